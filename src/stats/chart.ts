/**
 * The /stats chart: questions per day (bars) and the share answered (line), as a PNG.
 * Vega-Lite compiles the chart spec, Vega renders it to SVG without a browser or canvas (renderer 'none'),
 * and resvg (Rust, shipped as a prebuilt binary inside its npm package) turns the SVG into a PNG.
 * The image is exactly CHART_WIDTH × CHART_HEIGHT pixels (autosize fit, padding included).
 */
import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

export const CHART_WIDTH = 800;
export const CHART_HEIGHT = 300;

export interface ChartDay {
  /** "2026-11-29" */
  date: string;
  asked: number;
  answered: number;
}

export function chartSpec(days: readonly ChartDay[]): TopLevelSpec {
  const values = days.map((d) => ({ date: d.date, asked: d.asked, share: d.asked === 0 ? null : d.answered / d.asked }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    autosize: { type: "fit", contains: "padding" },
    background: "white",
    padding: 8,
    config: { font: "DejaVu Sans", axis: { labelFontSize: 11, titleFontSize: 12 } },
    data: { values },
    encoding: { x: { field: "date", type: "ordinal", title: null, axis: { labelAngle: -45 } } },
    layer: [
      { mark: { type: "bar", color: "#2b7bb9" }, encoding: { y: { field: "asked", type: "quantitative", title: "questions per day" } } },
      {
        mark: { type: "line", color: "#2e9d57", point: true, strokeWidth: 2 },
        encoding: { y: { field: "share", type: "quantitative", title: "share answered", scale: { domain: [0, 1] }, axis: { format: "%" } } },
      },
    ],
    resolve: { scale: { y: "independent" } },
  };
}

/** Renders the chart to SVG text. */
export async function chartSvg(days: readonly ChartDay[]): Promise<string> {
  const view = new vega.View(vega.parse(compile(chartSpec(days)).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Renders the chart to a PNG (fonts: the system's; without any, the axes have no labels). */
export async function chartPng(days: readonly ChartDay[]): Promise<Buffer> {
  const svg = await chartSvg(days);
  const resvg = new Resvg(svg, {
    background: "white",
    fitTo: { mode: "width", value: CHART_WIDTH },
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" },
  });
  return resvg.render().asPng();
}

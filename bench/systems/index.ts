/** The systems the bench runs, in table order. Each name is a module in this folder exporting an AdapterFactory. */
export const SYSTEMS = [
  "lookout",
  "lookout-bm25",
  "wink-bm25",
  "minisearch",
  "flexsearch",
  "lunr",
  "orama",
  "okapibm25",
  "sqlite-fts5",
] as const;

export type SystemId = (typeof SYSTEMS)[number];

/** File URL of a system's adapter module (the child imports it; tsx compiles the .ts on the fly). */
export function systemModuleUrl(id: string): string {
  return new URL(`./${id}.ts`, import.meta.url).href;
}

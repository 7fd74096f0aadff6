import { describe, expect, it } from "vitest";
import { describePlace } from "../../src/core/place.js";
import { citationLine } from "../../src/discord/format.js";
import type { Citation, Location } from "../../src/core/types.js";

const citation = (location: Omit<Location, "sentence" | "sentences">): Citation => ({
  documentId: "report.pdf",
  meta: { title: "Annual report" },
  location: { ...location, sentence: 1, sentences: 9 },
});

describe("citing a place", () => {
  it("says p. 12 for a PDF, the heading path for a web page or Word file, the line for text, both for Markdown", () => {
    expect(describePlace({ page: 12 })).toBe("p. 12");
    expect(describePlace({ heading: "Results › Costs" })).toBe("Results › Costs");
    expect(describePlace({ line: 3 })).toBe("line 3");
    expect(describePlace({ heading: "Fares", line: 20 })).toBe("Fares, line 20");
    expect(describePlace({})).toBe("");
  });

  it("shows it in Discord's citation line, the heading escaped (it comes from the document)", () => {
    expect(citationLine(citation({ page: 12 }))).toBe("*Annual report* · p. 12");
    expect(citationLine(citation({ heading: "Costs › *Dredging*" }))).toBe("*Annual report* · Costs › \\*Dredging\\*");
    expect(citationLine(citation({}))).toBe("*Annual report*");
  });
});

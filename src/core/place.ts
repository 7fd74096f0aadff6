/** A sentence's place as people cite it: "p. 12", "Results › Costs", "line 3" (a Markdown file: "Costs, line 20"). */
import type { Place } from "./types.js";

/** `escape` is applied to the heading path, the only part that comes from the document. "" when nothing is known. */
export function describePlace(place: Place, escape: (text: string) => string = (text) => text): string {
  const parts: string[] = [];
  if (place.page !== undefined) parts.push(`p. ${place.page}`);
  if (place.heading) parts.push(escape(place.heading));
  if (place.line !== undefined) parts.push(`line ${place.line}`);
  return parts.join(", ");
}

/** CSV (RFC 4180) for the /stats export. */

/**
 * One field: quoted when it holds a comma, quote or line break (quotes doubled). Text starting with = + - @
 * or a tab is prefixed with ' so a spreadsheet shows it instead of running it as a formula (OWASP's advice
 * against CSV injection: question texts are written by anyone).
 */
export function csvField(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: ReadonlyArray<string | number | null>): string {
  return `${values.map(csvField).join(",")}\r\n`;
}

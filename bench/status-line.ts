/** A single progress line on stderr, rewritten in place with "\r" (stdout stays clean for the table). */
export class StatusLine {
  private width = 0;
  private lastWrite = 0;

  /** Rewrites the line; at most ~5 times a second unless forced, so fast loops do not flood the terminal. */
  update(text: string, force = false): void {
    const now = Date.now();
    if (!force && now - this.lastWrite < 200) return;
    this.lastWrite = now;
    process.stderr.write(`\r${text.padEnd(this.width)}`);
    this.width = text.length;
  }

  /** Blanks the line so later output starts clean. */
  clear(): void {
    if (this.width === 0) return;
    process.stderr.write(`\r${" ".repeat(this.width)}\r`);
    this.width = 0;
  }
}

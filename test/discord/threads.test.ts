/** Thread names made from questions. */
import { describe, expect, it } from "vitest";
import { threadName } from "../../src/discord/threads.js";

describe("thread names", () => {
  it("are the question, whitespace collapsed, within 100 characters, never empty", () => {
    expect(threadName("  how far\ncan it fly? ")).toBe("how far can it fly?");
    expect(threadName("")).toBe("Question");
    const long = threadName(`${"x".repeat(98)}😀😀`);
    expect(long.length).toBeLessThanOrEqual(100);
    expect(long.endsWith("…")).toBe(true);
    expect(long).not.toMatch(/[\uD800-\uDBFF]…$/);
  });
});

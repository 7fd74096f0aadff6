import { describe, expect, it } from "vitest";
import { AnswerCache, Cooldown } from "../../src/discord/state.js";

describe("AnswerCache", () => {
  it("expires entries unused for ttlMs", () => {
    let now = 0;
    const cache = new AnswerCache({ ttlMs: 1000, now: () => now });
    cache.set("a", { question: "q", askerId: "u" });
    now = 900;
    expect(cache.get("a")).toEqual({ question: "q", askerId: "u" }); // use refreshes it
    now = 1800;
    expect(cache.get("a")).toBeDefined();
    now = 2900;
    expect(cache.get("a")).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("evicts the least recently used beyond maxEntries", () => {
    const cache = new AnswerCache({ maxEntries: 2 });
    cache.set("a", { question: "1", askerId: "u" });
    cache.set("b", { question: "2", askerId: "u" });
    cache.get("a");
    cache.set("c", { question: "3", askerId: "u" });
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")?.question).toBe("1");
    expect(cache.get("c")?.question).toBe("3");
    expect(cache.size).toBe(2);
  });
});

describe("Cooldown", () => {
  it("makes a user wait the configured seconds, per user", () => {
    let now = 0;
    const cooldown = new Cooldown(3, () => now);
    expect(cooldown.remaining("u")).toBe(0);
    cooldown.start("u");
    now = 1000;
    expect(cooldown.remaining("u")).toBe(2);
    expect(cooldown.remaining("other")).toBe(0);
    now = 3000;
    expect(cooldown.remaining("u")).toBe(0);
  });

  it("notifies once per cooldown", () => {
    const cooldown = new Cooldown(3, () => 0);
    cooldown.start("u");
    expect(cooldown.shouldNotify("u")).toBe(true);
    expect(cooldown.shouldNotify("u")).toBe(false);
  });

  it("0 disables it", () => {
    const cooldown = new Cooldown(0);
    cooldown.start("u");
    expect(cooldown.remaining("u")).toBe(0);
  });
});

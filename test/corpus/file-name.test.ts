import path from "node:path";
import { describe, expect, it } from "vitest";
import { safeFileName } from "../../src/corpus/file-name.js";

const nameOf = (raw: string) => {
  const r = safeFileName(raw);
  return "name" in r ? r.name : `REFUSED: ${r.refused}`;
};

describe("safeFileName", () => {
  it("keeps ordinary names as they are", () => {
    expect(nameOf("report.txt")).toBe("report.txt");
    expect(nameOf("Bus timetable 2025.md")).toBe("Bus timetable 2025.md");
    expect(nameOf("Ünïcödé – notes.html")).toBe("Ünïcödé – notes.html");
    expect(nameOf("archive.tar.txt")).toBe("archive.tar.txt");
  });

  it("keeps only the last path segment: no traversal, no absolute paths, no drive letters", () => {
    expect(nameOf("../x.txt")).toBe("x.txt");
    expect(nameOf("../../../../etc/passwd.txt")).toBe("passwd.txt");
    expect(nameOf("/etc/x.txt")).toBe("x.txt");
    expect(nameOf("C:\\x.txt")).toBe("x.txt");
    expect(nameOf("C:x.txt")).toBe("x.txt");
    expect(nameOf("\\\\server\\share\\x.txt")).toBe("x.txt");
    expect(nameOf("..\\..\\x.txt")).toBe("x.txt");
    expect(nameOf("x.txt:stream")).toBe("stream");
    expect(nameOf("..")).toMatch(/^REFUSED/);
    expect(nameOf(".")).toMatch(/^REFUSED/);
    expect(nameOf("../")).toMatch(/^REFUSED/);
    expect(nameOf("/")).toMatch(/^REFUSED/);
  });

  it("removes NUL and control characters, and characters Windows forbids", () => {
    expect(nameOf("a\u0000b.txt")).toBe("ab.txt");
    expect(nameOf("x.txt\u0000.pdf")).toBe("x.txt.pdf");
    expect(nameOf("line\nbreak\t.txt")).toBe("linebreak.txt");
    expect(nameOf("a\u007f\u0085b.txt")).toBe("ab.txt");
    expect(nameOf('what?<is>"this"|*.txt')).toBe("whatisthis.txt");
    expect(nameOf("evil\u202Etxt.exe.md")).toBe("eviltxt.exe.md");
    expect(nameOf("\u0000\u0001")).toMatch(/^REFUSED/);
  });

  it("never gives a hidden name: leading dots and spaces go", () => {
    expect(nameOf(".hidden.txt")).toBe("hidden.txt");
    expect(nameOf("...x.txt")).toBe("x.txt");
    expect(nameOf("  . x.txt")).toBe("x.txt");
    expect(nameOf(".txt")).toBe("txt"); // no extension left: the type check refuses it
  });

  it("drops trailing dots and spaces (Windows would)", () => {
    expect(nameOf("a.txt.")).toBe("a.txt");
    expect(nameOf("a.txt .. ")).toBe("a.txt");
    expect(nameOf("a .txt")).toBe("a.txt");
  });

  it("renames Windows reserved device names, whatever the case or extension", () => {
    expect(nameOf("con.txt")).toBe("con_.txt");
    expect(nameOf("CON.txt")).toBe("CON_.txt");
    expect(nameOf("nul.md")).toBe("nul_.md");
    expect(nameOf("NUL")).toBe("NUL_");
    expect(nameOf("com1.txt")).toBe("com1_.txt");
    expect(nameOf("LPT9.pdf")).toBe("LPT9_.pdf");
    expect(nameOf("aux.tar.txt")).toBe("aux_.tar.txt");
    expect(nameOf("com¹.txt")).toBe("com¹_.txt");
    expect(nameOf("console.txt")).toBe("console.txt");
    expect(nameOf("com10.txt")).toBe("com10.txt");
  });

  it("cuts long names to 200 bytes, keeping the extension", () => {
    const long = nameOf(`${"é".repeat(300)}.txt`);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(200);
    expect(long.endsWith(".txt")).toBe(true);
    expect(nameOf(`x.${"a".repeat(300)}`)).toMatch(/^REFUSED/);
  });

  it("whatever it is given, the result is one segment that stays inside the folder", () => {
    const folder = path.resolve("/srv/corpus");
    const hostile = [
      "../x.txt", "..\\x.txt", "/etc/x.txt", "C:\\x.txt", "C:/x.txt", "\u0000../x.txt", "..%2fx.txt", ". ./x.txt",
      "x/../../y.txt", "....//x.txt", "con", "", " ", "a:b:c.txt", "\\\\?\\C:\\x.txt",
    ];
    for (let i = 0; i < 2000; i++) {
      const chars = "./\\:\u0000 .aA1é%~-_\u202e";
      let s = "";
      for (let j = 0; j < 1 + (i % 15); j++) s += chars[Math.floor(((i * 7919 + j * 104729) % 9973) / 9973 * chars.length)];
      hostile.push(s + (i % 2 ? ".txt" : ""));
    }
    for (const raw of hostile) {
      const r = safeFileName(raw);
      if (!("name" in r)) continue;
      expect(r.name).not.toMatch(/[\\/:\u0000-\u001f]/);
      expect(r.name.startsWith(".")).toBe(false);
      expect(r.name).not.toMatch(/[. ]$/);
      expect(r.name).not.toBe("..");
      expect(path.dirname(path.resolve(folder, r.name))).toBe(folder);
      expect(path.win32.dirname(path.win32.resolve("C:\\corpus", r.name))).toBe("C:\\corpus");
    }
  });
});

/**
 * A file name from outside (a Discord attachment) → a name that is safe to write inside the corpus folder,
 * or why there is none. Pure: no file system. The result is always one path segment (no folder part),
 * so joined to the corpus folder it can never point outside it, on POSIX or Windows.
 *
 * What it does, in order:
 * - keeps only the last segment after any `/` or `\` (so `../x.txt`, `/etc/x.txt`, `C:\x.txt` → `x.txt`),
 *   then drops a drive prefix (`C:x.txt`) and any other `:` (NTFS alternate data streams);
 * - Unicode NFC, control characters (C0, DEL, C1, NUL) and the characters Windows forbids (`<>:"|?*`) removed,
 *   whitespace runs made one space;
 * - leading dots and spaces removed (a hidden file is passed over by the loader), trailing dots and spaces
 *   removed (Windows drops them, so `a.txt.` would be `a.txt` there);
 * - a Windows reserved device name (CON, PRN, AUX, NUL, COM0–9, LPT0–9, also with superscript digits), with
 *   any extension, gets a `_` appended to its stem (`con.txt` → `con_.txt`);
 * - cut to 200 bytes of UTF-8, keeping the extension.
 * Refused: nothing left but an extension, or nothing at all.
 */

export type SafeName = { name: string } | { refused: string };

const MAX_NAME_BYTES = 200;
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;

export function safeFileName(raw: string): SafeName {
  let name = raw.slice(0, 4096).normalize("NFC");
  // The last path segment only, whichever separator the sender's system uses.
  name = name.split(/[\\/]/).pop() ?? "";
  // Drive letters ("C:x.txt") and alternate data streams ("x.txt:evil"): nothing up to the last colon survives.
  name = name.includes(":") ? name.slice(name.lastIndexOf(":") + 1) : name;
  // Control characters (NUL included) and characters Windows forbids in names.
  name = name.replace(/[\u0000-\u001f\u007f-\u009f<>:"|?*]/g, "");
  // Line and paragraph separators, zero-width and direction marks: invisible or misleading in a name.
  name = name.replace(/[\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g, "");
  name = name.replace(/\s+/g, " ");
  name = name.replace(/^[.\s]+/, "").replace(/[.\s]+$/, "");
  if (name === "") return { refused: "the file name has no usable characters" };

  const dot = name.lastIndexOf(".");
  let stem = dot > 0 ? name.slice(0, dot) : name;
  const extension = dot > 0 ? name.slice(dot) : "";
  stem = stem.replace(/[.\s]+$/, "");
  if (stem === "") return { refused: "the file name is only an extension" };
  // Windows treats "con.txt" and even "con.tar.txt" as the device: the part before the first dot counts.
  const first = stem.split(".")[0] ?? "";
  if (RESERVED.test(first.trim())) stem = `${first.trim()}_${stem.slice(first.length)}`;

  const room = MAX_NAME_BYTES - Buffer.byteLength(extension);
  if (room < 1) return { refused: "the file name's extension is too long" };
  if (Buffer.byteLength(stem) > room) {
    const characters = [...stem];
    while (characters.length > 0 && Buffer.byteLength(characters.join("")) > room) characters.length -= Math.max(1, Math.floor((Buffer.byteLength(characters.join("")) - room) / 4));
    stem = characters.join("");
  }
  stem = stem.replace(/[.\s]+$/, "");
  if (stem === "") return { refused: "the file name has no usable characters" };
  return { name: stem + extension };
}

/**
 * The changing documents of the Discord load test: a harbour ledger, one small file per ship, each sentence
 * naming its ship and the version of that ship's file ("The ship Kalomi carries copper ingots in harbour
 * release v17."). A question about a ship ("What does the ship Kalomi carry?") is answered by both sentences of
 * its file, so an index holding two versions of one file shows both in the first three excerpts.
 *
 * The ledger keeps every corpus version it wrote (which ships, at which version), so an answer can be checked
 * against them: its ship excerpts must all come from one corpus version, and one that was in service while the
 * question waited. No Discord and no timing here; bench/discord-load.ts drives it.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Which ships a corpus version holds, each at the version its file was last written. */
export type LedgerState = ReadonlyMap<string, number>;

export type LedgerChange = "add" | "change" | "remove";

/** One ship file quoted or cited in a reply, at the version it showed. */
export interface ShipExcerpt {
  ship: string;
  version: number;
}

const SYLLABLES = ["ka", "lo", "mi", "ru", "te", "vo", "zi", "ba", "ne", "su"];
const CARGOES = ["copper ingots", "salt barrels", "wool bales", "tea chests", "iron rails", "cedar planks", "olive jars"];
const BERTHS = ["north quay", "south quay", "the coal dock", "the outer mole", "the ferry steps"];

/** A made-up ship name, one per number (three syllables, no English word), e.g. 0 → "Kaloka". */
export function shipName(n: number): string {
  const digits = String(n + 10).padStart(3, "0").split("").map(Number);
  const name = digits.map((d) => SYLLABLES[d]!).join("");
  return name[0]!.toUpperCase() + name.slice(1);
}

export function shipFile(ship: string): string {
  return `harbour-${ship.toLowerCase()}.txt`;
}

/** The title (front matter) of a ship's file at `version`: every citation of the file shows the version too. */
export function shipTitle(ship: string, version: number): string {
  return `Ledger of ${ship}, release v${version}`;
}

/**
 * A ship's file at `version`: two sentences, each carrying the ship and the version; the cargo and berth change
 * with it. The engine merges near-identical sentences of several files into one excerpt citing them all, so
 * the title carries the version as well: a merged excerpt still names every version it quotes.
 */
export function shipText(ship: string, version: number): string {
  const cargo = CARGOES[version % CARGOES.length]!;
  const berth = BERTHS[version % BERTHS.length]!;
  return [
    `---\ntitle: ${shipTitle(ship, version)}\n---`,
    `The ship ${ship} carries ${cargo} in harbour release v${version}.`,
    `The ship ${ship} moors at ${berth} in harbour release v${version}.\n`,
  ].join("\n\n");
}

/** The questions asked about a ship; each is answered by both of its sentences. */
export function shipQuestions(ship: string): string[] {
  return [`What does the ship ${ship} carry?`, `Where does the ship ${ship} moor?`, `Tell me about the ship ${ship}`];
}

/** Markdown and escapes off, whitespace collapsed: the text a Discord reader sees. */
export function readable(text: string): string {
  return text.replace(/\*\*/g, "").replace(/\\(.)/g, "$1").replace(/\s+/g, " ");
}

const EXCERPT_START = /\*\*\[\d+\]\*\* /;
const SHIP_SENTENCE = /The ship (\w+) .*? in harbour release v(\d+)\./;
const SHIP_TITLE = /Ledger of (\w+), release v(\d+)/g;

/**
 * The ship files an answer's description quotes: each excerpt's ship sentence, and every ship file its
 * citation lines name (its own source and the "also in" ones). Excerpts of other documents add nothing.
 */
export function shipExcerpts(description: string): ShipExcerpt[] {
  const found: ShipExcerpt[] = [];
  for (const block of description.split(EXCERPT_START).slice(1)) {
    const [quoted = "", ...citations] = block.split("\n↳");
    const sentence = SHIP_SENTENCE.exec(readable(quoted));
    if (sentence) found.push({ ship: sentence[1]!, version: Number(sentence[2]) });
    for (const title of readable(citations.join(" ")).matchAll(SHIP_TITLE)) found.push({ ship: title[1]!, version: Number(title[2]) });
  }
  return found;
}

export interface AnswerVerdict {
  /** Its ship excerpts fit no single corpus version that was in service while the question waited. */
  mixed: boolean;
  /** The ship asked about was in every such corpus version, yet the answer quotes none of its sentences. */
  missed: boolean;
}

/**
 * Judges an answer against the corpus versions that were in service at some moment while it waited
 * (`live`, at least one): its ship excerpts must all belong to one of them, and a ship every one of them
 * holds must be quoted when asked about.
 */
export function judgeAnswer(excerpts: readonly ShipExcerpt[], askedShip: string | undefined, live: readonly LedgerState[]): AnswerVerdict {
  const mixed = !live.some((state) => excerpts.every((e) => state.get(e.ship) === e.version));
  const missed = askedShip !== undefined && live.every((state) => state.has(askedShip)) && !excerpts.some((e) => e.ship === askedShip);
  return { mixed, missed };
}

/** Writes the ship files into a corpus folder and remembers each corpus version it made. */
export class HarbourLedger {
  /** Corpus versions in order: 0 is the starting one, n the one after the n-th change. */
  readonly states: LedgerState[] = [];
  /** The ship each change touched (index n for change n; none for version 0). */
  readonly touched: (string | undefined)[] = [undefined];
  private named = 0;
  /** Seeded, so two runs make the same changes. */
  private readonly random = seededRandom(20261129);

  constructor(
    private readonly corpusDir: string,
    startingShips = 6,
  ) {
    const ships = new Map<string, number>();
    for (let i = 0; i < startingShips; i++) {
      const ship = shipName(this.named++);
      writeFileSync(join(corpusDir, shipFile(ship)), shipText(ship, 0));
      ships.set(ship, 0);
    }
    this.states.push(ships);
  }

  get current(): LedgerState {
    return this.states.at(-1)!;
  }

  /** Every ship ever written, removed ones included. */
  get allShips(): string[] {
    return Array.from({ length: this.named }, (_, i) => shipName(i));
  }

  /** The change made for corpus version n (1-based): add, change, remove, add, ... */
  static changeFor(version: number): LedgerChange {
    return (["add", "change", "remove"] as const)[(version - 1) % 3]!;
  }

  /** Makes the next change on disk and records the corpus version it produces. */
  next(): { version: number; change: LedgerChange; ship: string } {
    const version = this.states.length;
    const change = HarbourLedger.changeFor(version);
    const ships = new Map(this.current);
    let ship: string;
    if (change === "add") {
      ship = shipName(this.named++);
      writeFileSync(join(this.corpusDir, shipFile(ship)), shipText(ship, version));
      ships.set(ship, version);
    } else {
      ship = pick([...ships.keys()], this.random);
      if (change === "change") {
        writeFileSync(join(this.corpusDir, shipFile(ship)), shipText(ship, version));
        ships.set(ship, version);
      } else {
        rmSync(join(this.corpusDir, shipFile(ship)));
        ships.delete(ship);
      }
    }
    this.states.push(ships);
    this.touched.push(ship);
    return { version, change, ship };
  }
}

/** A small linear congruential generator in [0, 1): the same numbers from the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

export function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}

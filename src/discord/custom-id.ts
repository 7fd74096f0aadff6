/**
 * custom_id of the answer buttons: `lookout:<action>:<answer key>:<page>`.
 * The key is the asking interaction's or message's id: it names an entry of the answer cache and, after a
 * restart or once the cache forgot it, the question's row in the question log (the question itself is too
 * long to fit in 100 characters). "up", "down" and "delete" carry page 0.
 */
import { DiscordLimits } from "./limits.js";

export type ButtonAction = "more" | "context" | "up" | "down" | "delete";

export interface ButtonId {
  action: ButtonAction;
  /** Answer-cache key: letters, digits, '-' and '_' only. */
  key: string;
  /** 0-based page the button acts on ("more": the page to show; "context": the page whose context to show). */
  page: number;
}

const PREFIX = "lookout";
const ACTIONS: readonly ButtonAction[] = ["more", "context", "up", "down", "delete"];

export function encodeButtonId(id: ButtonId): string {
  if (!/^[\w-]{1,64}$/.test(id.key)) throw new Error(`Invalid answer key '${id.key}'`);
  const out = `${PREFIX}:${id.action}:${id.key}:${id.page}`;
  if (out.length > DiscordLimits.customId) throw new Error("custom_id too long");
  return out;
}

export function decodeButtonId(customId: string): ButtonId | undefined {
  const m = /^lookout:([a-z]+):([\w-]{1,64}):(\d{1,4})$/.exec(customId);
  if (m === null) return undefined;
  const action = ACTIONS.find((a) => a === m[1]);
  if (action === undefined) return undefined;
  return { action, key: m[2] ?? "", page: Number(m[3]) };
}

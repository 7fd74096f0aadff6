/**
 * What every handler receives: settings, the corpus, the logger and the bot's small state.
 */
import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  MessageContextMenuCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from "discord.js";
import type { Config } from "../config.js";
import type { KnowledgeBase, RefreshReport } from "../core/contracts.js";
import type { ProgressListener } from "../core/progress.js";
import type { Answer, SkippedFile } from "../core/types.js";
import type { Logger } from "../log.js";
import type { ShardPeers } from "../sharding/shard-link.js";
import type { SafeStore } from "../store/safe-store.js";
import type { GuildSettingsSource } from "./guild-settings.js";
import type { AnswerCache, ButtonLimiter, Cooldown } from "./state.js";

/** The part of `Library` (src/corpus/library.ts) the bot uses; a fake in tests. */
export interface CorpusSource {
  /** The knowledge base answering now; replaced as a whole by refresh(). */
  readonly current: KnowledgeBase;
  /** Answers from the knowledge base answering now (with the semantic stage when it is ready). */
  ask(question: string): Promise<Answer>;
  /** Files skipped at the last successful load. */
  readonly skipped: readonly SkippedFile[];
  /** True while a refresh runs; refresh() then joins it instead of starting another. */
  readonly isRefreshing: boolean;
  /**
   * Builds a new knowledge base and swaps it in; concurrent calls share one reload, and each caller's
   * `onProgress` hears how far it got. Rejects on failure (the old one keeps serving).
   */
  refresh(onProgress?: ProgressListener): Promise<RefreshReport>;
}

export interface BotContext {
  readonly config: Config;
  readonly library: CorpusSource;
  readonly logger: Logger;
  readonly answers: AnswerCache;
  readonly cooldown: Cooldown;
  /** Per-user limit on button clicks. */
  readonly buttons: ButtonLimiter;
  /** How often a deferred /refresh or /corpus reply is edited with the build's progress (PROGRESS_EDIT_MS; shorter in tests). */
  readonly progressEditMs: number;
  /** The question log, votes and settings overrides; survives a failing database. */
  readonly store: SafeStore;
  /** Each server's settings in force (environment defaults + /settings overrides). */
  readonly guildSettings: GuildSettingsSource;
  /** The other shards, when the ShardingManager started this process (npm run start:sharded): a refresh reloads them too. */
  readonly shards?: ShardPeers;
  /** Mutable run-time state. */
  readonly state: {
    /** False when the bot connected without the Message Content intent: ask channels cannot work. */
    messageContent: boolean;
  };
}

/** The settings a command's registration depends on (read by `npm run register` from the same config as the bot). */
export type CommandSettings = Pick<Config, "moderatorRoleIds">;

/** One slash command: its definition (registered by `npm run register`) and its behaviour. */
export interface Command {
  readonly data: { readonly name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  /** The registration when it depends on settings; `data.toJSON()` otherwise. */
  definition?(settings: CommandSettings): RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void>;
}

/** One message command (right-click a message → Apps): its definition and its behaviour. */
export interface MessageCommand {
  readonly data: { readonly name: string; toJSON(): RESTPostAPIContextMenuApplicationCommandsJSONBody };
  execute(interaction: MessageContextMenuCommandInteraction, ctx: BotContext): Promise<void>;
}

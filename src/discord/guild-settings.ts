/**
 * Each server's settings in force: the environment's defaults merged with the server's /settings overrides
 * (read from the store once per server, then kept in memory; saving updates both).
 * When the database is unavailable, servers get the defaults and changes are refused.
 */
import { mergeSettings, type GuildOverrides, type GuildSettings } from "../settings.js";
import type { SafeStore } from "../store/safe-store.js";

export class GuildSettingsSource {
  private readonly overridesByGuild = new Map<string, GuildOverrides>();

  constructor(
    readonly defaults: GuildSettings,
    private readonly store: SafeStore,
  ) {}

  /** What a server changed (empty when nothing, or outside a server). */
  overrides(guildId: string | null): GuildOverrides {
    if (guildId === null) return {};
    let overrides = this.overridesByGuild.get(guildId);
    if (overrides === undefined) {
      overrides = this.store.guildOverrides(guildId) ?? {};
      this.overridesByGuild.set(guildId, overrides);
    }
    return overrides;
  }

  /** The settings in force in a server (the defaults in DMs). */
  get(guildId: string | null): GuildSettings {
    return mergeSettings(this.defaults, this.overrides(guildId));
  }

  /** Replaces a server's overrides; false when the database could not save them (nothing changes then). */
  save(guildId: string, overrides: GuildOverrides): boolean {
    if (!this.store.saveGuildOverrides(guildId, overrides)) return false;
    this.overridesByGuild.set(guildId, overrides);
    return true;
  }

  /** Whether any server (or the environment) has ask channels: the bot then asks for the Message Content intent. */
  anyAskChannels(): boolean {
    if (this.defaults.askChannelIds.length > 0) return true;
    return [...this.store.allGuildOverrides().values()].some((o) => (o.askChannelIds?.length ?? 0) > 0);
  }
}

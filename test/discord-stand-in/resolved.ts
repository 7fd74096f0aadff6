/**
 * The `resolved` data Discord adds to a command interaction for its channel and role options
 * (https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object-resolved-data-structure):
 * partial channels (id, name, type, permissions; threads also parent_id and thread_metadata) and whole roles,
 * keyed by id. discord.js reads option.channel / option.role from here.
 */
import { ApplicationCommandOptionType } from 'discord.js';
import type { APIApplicationCommandInteractionDataOption, APIChatInputApplicationCommandInteraction, APIInteractionDataResolvedChannel, APIRole } from 'discord-api-types/v10';
import type { StandInState } from './state.js';

function collect(options: readonly APIApplicationCommandInteractionDataOption[], type: ApplicationCommandOptionType, out: string[] = []): string[] {
  for (const o of options) {
    if ('options' in o && o.options) collect(o.options, type, out);
    else if (o.type === type && 'value' in o) out.push(String(o.value));
  }
  return out;
}

/** The interaction with `data.resolved` filled in for its channel and role options (unknown ids are left out). */
export function withResolved(interaction: APIChatInputApplicationCommandInteraction, state: StandInState): APIChatInputApplicationCommandInteraction {
  const options = interaction.data.options ?? [];
  const channels: Record<string, APIInteractionDataResolvedChannel> = {};
  for (const id of collect(options, ApplicationCommandOptionType.Channel)) {
    const channel = state.channel(id);
    if (!channel) continue;
    channels[id] = {
      id,
      type: channel.type,
      name: 'name' in channel ? (channel.name ?? null) : null,
      permissions: interaction.member?.permissions ?? '0',
      ...('parent_id' in channel && channel.parent_id ? { parent_id: channel.parent_id } : {}),
      ...('thread_metadata' in channel && channel.thread_metadata ? { thread_metadata: channel.thread_metadata } : {}),
    } as APIInteractionDataResolvedChannel;
  }
  const roles: Record<string, APIRole> = {};
  for (const id of collect(options, ApplicationCommandOptionType.Role)) {
    const role = state.roles.find((r) => r.id === id);
    if (role) roles[id] = role;
  }
  if (Object.keys(channels).length === 0 && Object.keys(roles).length === 0) return interaction;
  const resolved = { ...(Object.keys(channels).length ? { channels } : {}), ...(Object.keys(roles).length ? { roles } : {}) };
  return { ...interaction, data: { ...interaction.data, resolved } };
}

/**
 * Threads in the stand-in, as Discord documents them
 * (https://discord.com/developers/docs/resources/channel#start-thread-from-message and #start-thread-without-message):
 *
 * - POST /channels/{id}/messages/{id}/threads starts a thread on a message: on a GUILD_TEXT channel it is a
 *   PUBLIC_THREAD (11), on an announcement channel an ANNOUNCEMENT_THREAD (10); its id is the message's id; the
 *   message gets `thread` and the HAS_THREAD flag; a message can have one thread only (400, code 160004).
 * - POST /channels/{id}/threads starts a thread without a message; `type` defaults to PRIVATE_THREAD (12).
 * - `name` is required, 1–100 characters; auto_archive_duration is 60, 1440, 4320 or 10080 (default 4320).
 * - Both fire THREAD_CREATE (Guilds intent) with the thread channel and `newly_created: true`.
 * - Threads cannot be started inside a thread or in a DM (400, code 50024 "Cannot execute action on this channel type").
 */
import { ChannelType, type ChannelFlags, GatewayDispatchEvents, GatewayIntentBits, MessageFlags } from 'discord.js';
import type { APIMessage, APIThreadChannel, ThreadChannelType } from 'discord-api-types/v10';
import { snowflake } from './payloads.js';
import { discordError, isObject, type Reply, type Route, type RouteContext } from './rest.js';
import type { StandInState } from './state.js';

const ARCHIVE_DURATIONS = [60, 1440, 4320, 10080];

export type Dispatch = (event: string, data: unknown, requiredIntent?: number) => void;

function invalidBody(errors: Record<string, string>): Reply {
  const body: Record<string, unknown> = {};
  for (const [field, message] of Object.entries(errors)) body[field] = { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message }] };
  return discordError(400, 50035, 'Invalid Form Body', body);
}

/** Checks a thread-creation body; returns its name and archive duration, or the 400 to answer. */
function parseThreadBody(body: unknown): { name: string; autoArchive: number; type?: number } | Reply {
  const b = isObject(body) ? body : {};
  const name = typeof b.name === 'string' ? b.name : '';
  const errors: Record<string, string> = {};
  if (name.length < 1 || name.length > 100) errors.name = 'Must be between 1 and 100 in length.';
  const autoArchive = b.auto_archive_duration === undefined ? 4320 : Number(b.auto_archive_duration);
  if (!ARCHIVE_DURATIONS.includes(autoArchive)) errors.auto_archive_duration = `Value must be one of {${ARCHIVE_DURATIONS.join(', ')}}.`;
  if (Object.keys(errors).length > 0) return invalidBody(errors);
  return { name, autoArchive, ...(b.type === undefined ? {} : { type: Number(b.type) }) };
}

export function buildThread(
  state: StandInState,
  fields: { id: string; parentId: string; name: string; type: ThreadChannelType; autoArchive: number; ownerId: string },
): APIThreadChannel {
  const now = new Date().toISOString();
  return {
    id: fields.id,
    type: fields.type,
    guild_id: state.ids.guildId,
    parent_id: fields.parentId,
    owner_id: fields.ownerId,
    name: fields.name,
    last_message_id: null,
    message_count: 0,
    member_count: 1,
    total_message_sent: 0,
    rate_limit_per_user: 0,
    flags: 0 as ChannelFlags,
    thread_metadata: { archived: false, auto_archive_duration: fields.autoArchive, archive_timestamp: now, locked: false, create_timestamp: now },
  } as APIThreadChannel;
}

/** The two thread-creation routes; `dispatch` sends THREAD_CREATE through the gateway. */
export function threadRoutes(state: StandInState, dispatch: Dispatch): Route[] {
  const create = (parentId: string, body: unknown, message?: APIMessage): Reply => {
    const parent = state.channel(parentId);
    if (!parent) return discordError(404, 10003, 'Unknown Channel');
    const parentType: number = parent.type;
    if (parentType !== ChannelType.GuildText && parentType !== ChannelType.GuildAnnouncement) {
      return discordError(400, 50024, 'Cannot execute action on this channel type');
    }
    const parsed = parseThreadBody(body);
    if ('status' in parsed) return parsed;
    let type: ThreadChannelType;
    if (message) type = parentType === ChannelType.GuildAnnouncement ? ChannelType.AnnouncementThread : ChannelType.PublicThread;
    else type = (parsed.type ?? ChannelType.PrivateThread) as ThreadChannelType;
    if (message && Number(message.flags ?? 0) & MessageFlags.Ephemeral) return discordError(400, 50024, 'Cannot execute action on this channel type');
    if (message && state.threads.has(message.id)) return discordError(400, 160004, 'A thread has already been created for this message');
    const thread = buildThread(state, { id: message?.id ?? snowflake(), parentId, name: parsed.name, type, autoArchive: parsed.autoArchive, ownerId: state.botUser.id });
    state.threads.set(thread.id, thread);
    if (message) {
      message.thread = thread;
      message.flags = Number(message.flags ?? 0) | MessageFlags.HasThread;
    }
    dispatch(GatewayDispatchEvents.ThreadCreate, { ...thread, newly_created: true }, GatewayIntentBits.Guilds);
    return { status: 201, body: thread };
  };
  return [
    {
      method: 'POST',
      pattern: '/channels/:channelId/messages/:messageId/threads',
      auth: true,
      handler: ({ params, req }: RouteContext) => {
        const message = state.messages.get(params.messageId!);
        if (!message || message.channel_id !== params.channelId) return discordError(404, 10008, 'Unknown Message');
        return create(params.channelId!, req.body, message);
      },
    },
    { method: 'POST', pattern: '/channels/:channelId/threads', auth: true, handler: ({ params, req }: RouteContext) => create(params.channelId!, req.body) },
  ];
}

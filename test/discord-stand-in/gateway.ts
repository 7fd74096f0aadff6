/**
 * The gateway (WebSocket) half of the stand-in. Speaks the protocol @discordjs/ws 1.x
 * implements in WebSocketShard: HELLO (op 10) on connect, heartbeats (op 1 → op 11),
 * IDENTIFY (op 2) → READY + GUILD_CREATE, RESUME (op 6) → replay + RESUMED,
 * INVALID_SESSION (op 9), RECONNECT (op 7), REQUEST_GUILD_MEMBERS (op 8).
 *
 * One session per shard, as Discord documents sharding: IDENTIFY carries `shard: [id, count]` (absent
 * means [0, 1]); each session gets READY and GUILD_CREATE for its own guilds only, and a guild's events go
 * to the session of shard `(guild_id >> 22) % count`; events without a guild (DMs) go to shard 0.
 * Dispatches get sequence numbers per session and are kept in a buffer so a RESUME can replay what the
 * client missed, including dispatches injected while it was disconnected.
 */
import type { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { constants as zlibConstants, createDeflate, type Deflate } from 'node:zlib';
import { GatewayDispatchEvents, GatewayIntentBits, GatewayOpcodes } from 'discord.js';
import type { GatewayIdentifyData, GatewayRequestGuildMembersData, GatewayResumeData } from 'discord-api-types/v10';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { buildGuild, buildReady, shardOf } from './payloads.js';
import type { StandInState } from './state.js';

export interface SentDispatch<D = unknown> {
  /** Event name, e.g. `INTERACTION_CREATE`. */
  t: string;
  /** Sequence number; `null` if the dispatch was skipped (see `skipped`). */
  s: number | null;
  d: D;
  /** performance.now() when the dispatch was created. */
  createdAt: number;
  /**
   * performance.now() when it was written to the socket; `null` while buffered because
   * the client is disconnected (it is sent on RESUME) or when skipped.
   */
  sentAt: number | null;
  /** Why Discord would not have delivered it (e.g. the client lacks the intent). */
  skipped?: string;
  /** The shard id of the session it went to (undefined when skipped for want of a session). */
  shard?: number;
}

export interface ReceivedFrame {
  connectionId: number;
  op: number;
  d: unknown;
  receivedAt: number;
}

export interface GatewayStats {
  connections: number;
  identifies: number;
  resumes: number;
  /** RESUMEs that were refused with INVALID_SESSION. */
  failedResumes: number;
  heartbeats: number;
  /** Dispatches sent again during RESUME replays. */
  replayed: number;
}

export interface StandInEvents {
  request: [import('./rest.js').RecordedRequest];
  dispatch: [SentDispatch];
  frame: [ReceivedFrame];
  connection: [{ id: number; url: string }];
  identify: [GatewayIdentifyData];
  /** READY (+ GUILD_CREATE) have been sent for a new session of shard `shard[0]` of `shard[1]`. */
  shardReady: [{ sessionId: string; shard: [number, number]; guildIds: string[] }];
  resume: [GatewayResumeData];
  /** READY (+ GUILD_CREATE) have been sent for a new session. */
  ready: [{ sessionId: string }];
  /** A RESUME succeeded; `replayed` dispatches were re-sent before RESUMED. */
  resumed: [{ sessionId: string; replayed: number }];
  disconnect: [{ id: number; code: number; reason: string; by: 'client' | 'server' }];
}

export interface GatewayOptions {
  token: string;
  heartbeatIntervalMs: number;
  gatewayUrl: () => string;
  resumeGatewayUrl: () => string;
  /** Privileged intents the "developer portal" has enabled; others get close code 4014. */
  allowedPrivilegedIntents: number;
  applicationFlags: number;
  events: EventEmitter<StandInEvents>;
  log: (line: string) => void;
}

export const GATEWAY_PATH = '/gateway';
export const RESUME_GATEWAY_PATH = '/gateway-resume';

const PRIVILEGED_INTENTS = GatewayIntentBits.GuildMembers | GatewayIntentBits.GuildPresences | GatewayIntentBits.MessageContent;
const REPLAY_BUFFER_LIMIT = 10_000;

interface Session {
  id: string;
  /** [shard id, shard count] from IDENTIFY. */
  shard: [number, number];
  seq: number;
  intents: number;
  buffer: SentDispatch[];
  connection: Connection | null;
}

/** Discord's `compress=zlib-stream`: one deflate context per connection, each message ends with a sync flush. */
class ZlibStream {
  private readonly deflate: Deflate = createDeflate({ chunkSize: 65535 });
  private readonly chunks: Buffer[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor() {
    this.deflate.on('data', (c: Buffer) => this.chunks.push(c));
  }

  /** Encodes in order; `deliver` is called with each compressed message. */
  push(text: string, deliver: (data: Buffer) => void): void {
    this.queue = this.queue.then(
      () =>
        new Promise<void>((resolve) => {
          this.deflate.write(text);
          this.deflate.flush(zlibConstants.Z_SYNC_FLUSH, () => {
            deliver(Buffer.concat(this.chunks.splice(0)));
            resolve();
          });
        }),
    );
  }

  close(): void {
    this.deflate.close();
  }
}

class Connection {
  authenticated = false;
  session: Session | null = null;
  closedByServer = false;

  constructor(
    readonly id: number,
    readonly ws: WebSocket,
    readonly url: string,
    private readonly zlib: ZlibStream | null,
  ) {}

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(payload: { op: number; d: unknown; s?: number | null; t?: string | null }): void {
    if (!this.open) return;
    const text = JSON.stringify({ op: payload.op, d: payload.d, s: payload.s ?? null, t: payload.t ?? null });
    if (this.zlib) this.zlib.push(text, (data) => this.open && this.ws.send(data));
    else this.ws.send(text);
  }

  close(code: number, reason: string): void {
    this.closedByServer = true;
    if (this.open) this.ws.close(code, reason);
    this.zlib?.close();
  }

  terminate(): void {
    this.closedByServer = true;
    this.ws.terminate();
    this.zlib?.close();
  }
}

export class GatewayStandIn {
  readonly dispatches: SentDispatch[] = [];
  readonly frames: ReceivedFrame[] = [];
  /** Protocol problems seen (bad query string, unknown opcode, ...), for debugging tests. */
  readonly protocolErrors: string[] = [];
  readonly stats: GatewayStats = { connections: 0, identifies: 0, resumes: 0, failedResumes: 0, heartbeats: 0, replayed: 0 };
  /** Set to false to stop answering heartbeats (the client then treats the connection as zombied and resumes). */
  ackHeartbeats = true;

  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly connections = new Set<Connection>();
  /** Sessions by shard id. */
  private readonly sessions = new Map<number, Session>();
  private nextConnectionId = 1;

  constructor(
    private readonly state: StandInState,
    private readonly options: GatewayOptions,
  ) {}

  /** Shard 0's session (the only one when the bot does not shard): what the single-shard helpers act on. */
  private get session(): Session | null {
    return this.sessions.get(0) ?? this.sessions.values().next().value ?? null;
  }

  /** Shard ids with a connected, authenticated session, ascending. */
  get connectedShards(): number[] {
    return [...this.sessions.values()]
      .filter((s) => s.connection?.open && s.connection.authenticated)
      .map((s) => s.shard[0])
      .sort((a, b) => a - b);
  }

  /** The guilds a shard receives: those with `(guild_id >> 22) % count === id`. */
  guildIdsOfShard(shard: [number, number]): string[] {
    return this.state.guildFixtures.map((f) => f.ids.guildId).filter((id) => shardOf(id, shard[1]) === shard[0]);
  }

  /** Intents of the current session (undefined before the first IDENTIFY). */
  get intents(): number | undefined {
    return this.session?.intents;
  }

  get sessionId(): string | undefined {
    return this.session?.id;
  }

  /** True while a client is connected and authenticated (READY or RESUMED). */
  get connected(): boolean {
    const c = this.session?.connection;
    return Boolean(c?.open && c.authenticated);
  }

  /** Called from the HTTP server's `upgrade` event. Returns false if the path is not ours. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', `ws://${req.headers.host ?? 'stand-in'}`);
    const path = url.pathname.replace(/\/+$/, '');
    if (path !== GATEWAY_PATH && path !== RESUME_GATEWAY_PATH) return false;
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, url));
    return true;
  }

  private onConnection(ws: WebSocket, url: URL): void {
    const id = this.nextConnectionId++;
    this.stats.connections++;
    const version = url.searchParams.get('v');
    const encoding = url.searchParams.get('encoding') ?? 'json';
    const compress = url.searchParams.get('compress');
    const conn = new Connection(id, ws, url.toString(), compress === 'zlib-stream' ? new ZlibStream() : null);
    this.connections.add(conn);
    this.options.events.emit('connection', { id, url: url.toString() });

    ws.on('close', (code, reason) => this.onClose(conn, code, reason.toString()));
    ws.on('error', (error) => this.options.log(`gateway #${id} socket error: ${error.message}`));

    if (version !== '10') return this.protocolError(conn, 4012, `Invalid API version: v=${version}`);
    if (encoding !== 'json') return this.protocolError(conn, 1003, `stand-in only speaks encoding=json (got ${encoding})`);
    if (compress !== null && compress !== 'zlib-stream') return this.protocolError(conn, 1003, `unsupported compress=${compress}`);

    ws.on('message', (data, isBinary) => this.onMessage(conn, data, isBinary));
    conn.send({ op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.options.heartbeatIntervalMs, _trace: ['["discord-stand-in",{}]'] } });
  }

  private protocolError(conn: Connection, code: number, message: string): void {
    this.protocolErrors.push(`#${conn.id}: ${message}`);
    this.options.log(`gateway #${conn.id}: ${message} -> close ${code}`);
    conn.close(code, message.slice(0, 120));
  }

  private onClose(conn: Connection, code: number, reason: string): void {
    this.connections.delete(conn);
    const by = conn.closedByServer ? 'server' : 'client';
    this.options.events.emit('disconnect', { id: conn.id, code, reason, by });
    const session = conn.session;
    if (session && session.connection === conn) {
      session.connection = null;
      // Like Discord: a client closing with 1000/1001 ends its session (no RESUME possible).
      if (by === 'client' && (code === 1000 || code === 1001) && this.sessions.get(session.shard[0]) === session) this.sessions.delete(session.shard[0]);
    }
  }

  private onMessage(conn: Connection, data: RawData, isBinary: boolean): void {
    let payload: { op?: unknown; d?: unknown };
    try {
      if (isBinary) throw new Error('binary frames are not supported');
      payload = JSON.parse(data.toString());
    } catch (error) {
      return this.protocolError(conn, 4002, `undecodable payload: ${String(error)}`);
    }
    const op = Number(payload.op);
    this.frames.push({ connectionId: conn.id, op, d: payload.d, receivedAt: performance.now() });
    this.options.events.emit('frame', this.frames[this.frames.length - 1]!);

    switch (op) {
      case GatewayOpcodes.Heartbeat:
        this.stats.heartbeats++;
        if (this.ackHeartbeats) conn.send({ op: GatewayOpcodes.HeartbeatAck, d: null });
        return;
      case GatewayOpcodes.Identify:
        return this.onIdentify(conn, payload.d as GatewayIdentifyData);
      case GatewayOpcodes.Resume:
        return this.onResume(conn, payload.d as GatewayResumeData);
      case GatewayOpcodes.PresenceUpdate:
      case GatewayOpcodes.VoiceStateUpdate:
        if (!conn.authenticated) return this.protocolError(conn, 4003, 'Not authenticated.');
        return; // recorded in `frames`; nothing to answer
      case GatewayOpcodes.RequestGuildMembers:
        if (!conn.authenticated) return this.protocolError(conn, 4003, 'Not authenticated.');
        return this.onRequestGuildMembers(payload.d as GatewayRequestGuildMembersData);
      default:
        return this.protocolError(conn, 4001, `Unknown opcode ${op}`);
    }
  }

  private onIdentify(conn: Connection, d: GatewayIdentifyData): void {
    if (conn.authenticated) return this.protocolError(conn, 4005, 'Already authenticated.');
    if (d?.token !== this.options.token) return this.protocolError(conn, 4004, 'Authentication failed.');
    const shard: [number, number] = d.shard ? [Number(d.shard[0]), Number(d.shard[1])] : [0, 1];
    if (!Number.isInteger(shard[0]) || !Number.isInteger(shard[1]) || shard[1] < 1 || shard[0] < 0 || shard[0] >= shard[1]) {
      return this.protocolError(conn, 4010, 'Invalid shard.');
    }
    const intents = Number(d.intents);
    if (intents & PRIVILEGED_INTENTS & ~this.options.allowedPrivilegedIntents) return this.protocolError(conn, 4014, 'Disallowed intent(s).');

    this.stats.identifies++;
    this.options.events.emit('identify', d);
    // A new IDENTIFY replaces any previous session of the same shard.
    const old = this.sessions.get(shard[0])?.connection;
    if (old && old !== conn) old.close(4000, 'Session replaced');
    const session: Session = { id: randomBytes(16).toString('hex'), shard, seq: 0, intents, buffer: [], connection: conn };
    this.sessions.set(shard[0], session);
    conn.session = session;
    conn.authenticated = true;

    const guildIds = this.guildIdsOfShard(shard);
    this.send(session, GatewayDispatchEvents.Ready, buildReady(this.state.fixture, session.id, this.options.resumeGatewayUrl(), this.options.applicationFlags, { guildIds, shard }));
    if (intents & GatewayIntentBits.Guilds) {
      for (const fixture of this.state.guildFixtures.filter((f) => guildIds.includes(f.ids.guildId))) {
        this.send(session, GatewayDispatchEvents.GuildCreate, buildGuild(fixture, [...this.state.members.values()]));
      }
    }
    this.options.events.emit('shardReady', { sessionId: session.id, shard, guildIds });
    this.options.events.emit('ready', { sessionId: session.id });
  }

  private onResume(conn: Connection, d: GatewayResumeData): void {
    if (conn.authenticated) return this.protocolError(conn, 4005, 'Already authenticated.');
    if (d?.token !== this.options.token) return this.protocolError(conn, 4004, 'Authentication failed.');
    const session = [...this.sessions.values()].find((s) => s.id === d?.session_id);
    const oldest = session?.buffer[0]?.s ?? 1;
    if (!session || session.id !== d.session_id || d.seq > session.seq || d.seq < oldest - 1) {
      this.stats.failedResumes++;
      this.options.log(`gateway #${conn.id}: RESUME refused (session ${d?.session_id}, seq ${d?.seq})`);
      conn.send({ op: GatewayOpcodes.InvalidSession, d: false });
      return;
    }
    this.stats.resumes++;
    this.options.events.emit('resume', d);
    const previous = session.connection;
    if (previous && previous !== conn) previous.close(4000, 'Resumed elsewhere');
    session.connection = conn;
    conn.session = session;
    conn.authenticated = true;

    const missed = session.buffer.filter((x) => x.s !== null && x.s > d.seq);
    for (const dispatch of missed) {
      dispatch.sentAt ??= performance.now();
      conn.send({ op: GatewayOpcodes.Dispatch, t: dispatch.t, s: dispatch.s, d: dispatch.d });
    }
    this.stats.replayed += missed.length;
    this.send(session, GatewayDispatchEvents.Resumed, { _trace: ['["discord-stand-in",{}]'] });
    this.options.events.emit('resumed', { sessionId: session.id, replayed: missed.length });
  }

  private onRequestGuildMembers(d: GatewayRequestGuildMembersData): void {
    const all = [...this.state.members.values()];
    const ids = 'user_ids' in d && d.user_ids !== undefined ? [d.user_ids].flat() : undefined;
    const query = 'query' in d ? (d.query ?? '') : '';
    const limit = ('limit' in d && d.limit) || all.length;
    const members = all
      .filter((m) => (ids ? ids.includes(m.user.id) : m.user.username.toLowerCase().startsWith(query.toLowerCase())))
      .slice(0, limit);
    this.dispatch(GatewayDispatchEvents.GuildMembersChunk, {
      guild_id: this.state.ids.guildId,
      members,
      chunk_index: 0,
      chunk_count: 1,
      ...(ids ? { not_found: ids.filter((id) => !members.some((m) => m.user.id === id)) } : {}),
      ...(d.nonce ? { nonce: d.nonce } : {}),
    });
  }

  /**
   * Send (or, while the client is disconnected, buffer for RESUME) a dispatch.
   * `requiredIntent`: Discord only delivers the event to sessions that asked for it.
   */
  dispatch<D>(t: string, d: D, requiredIntent?: number): SentDispatch<D> {
    if (this.sessions.size === 0) throw new Error(`stand-in: cannot send ${t}: no gateway session (wait for the client's clientReady first)`);
    const guildId = guildIdOf(t, d);
    const session = [...this.sessions.values()].find((s) => s.shard[0] === (guildId === undefined ? 0 : shardOf(guildId, s.shard[1])));
    if (!session) {
      const record: SentDispatch<D> = { t, s: null, d, createdAt: performance.now(), sentAt: null, skipped: `no session of the shard for guild ${guildId ?? '(none: DM)'}` };
      this.dispatches.push(record as SentDispatch);
      this.options.events.emit('dispatch', record as SentDispatch);
      return record;
    }
    return this.send(session, t, d, requiredIntent);
  }

  /** Sends (or buffers) a dispatch on one session. */
  private send<D>(session: Session, t: string, d: D, requiredIntent?: number): SentDispatch<D> {
    const record: SentDispatch<D> = { t, s: null, d, createdAt: performance.now(), sentAt: null, shard: session.shard[0] };
    if (requiredIntent !== undefined && !(session.intents & requiredIntent)) {
      record.skipped = `client did not request intent ${GatewayIntentBits[requiredIntent] ?? requiredIntent}`;
    } else {
      record.s = ++session.seq;
      session.buffer.push(record as SentDispatch);
      if (session.buffer.length > REPLAY_BUFFER_LIMIT) session.buffer.shift();
      const conn = session.connection;
      if (conn?.open && conn.authenticated) {
        record.sentAt = performance.now();
        conn.send({ op: GatewayOpcodes.Dispatch, t, s: record.s, d });
      }
    }
    this.dispatches.push(record as SentDispatch);
    this.options.events.emit('dispatch', record as SentDispatch);
    return record;
  }

  /**
   * Cut the client's connection without ending the session, so it should RESUME.
   * Default: abrupt TCP teardown (client sees 1006). With `code`, a close frame with
   * that code instead (4000 = unknown error, also resumable).
   */
  dropConnection(options: { code?: number } = {}): void {
    const conn = this.session?.connection;
    if (!conn) throw new Error('stand-in: dropConnection: no connected client');
    if (options.code !== undefined) conn.close(options.code, 'stand-in dropConnection');
    else conn.terminate();
  }

  /** Send op 7 RECONNECT: the client closes and RESUMEs. */
  requestReconnect(): void {
    this.session?.connection?.send({ op: GatewayOpcodes.Reconnect, d: null });
  }

  /** Send op 9 INVALID_SESSION. With `resumable = false` the session is dropped and the client must re-IDENTIFY. */
  invalidateSession(resumable: boolean): void {
    const session = this.session;
    const conn = session?.connection;
    if (!resumable && session) this.sessions.delete(session.shard[0]);
    if (conn) {
      // Either way the client must authenticate again on this socket (RESUME or IDENTIFY).
      conn.authenticated = false;
      conn.send({ op: GatewayOpcodes.InvalidSession, d: resumable });
    }
  }

  /** Send op 1: the client must heartbeat immediately. */
  requestHeartbeat(): void {
    this.session?.connection?.send({ op: GatewayOpcodes.Heartbeat, d: null });
  }

  async close(): Promise<void> {
    for (const conn of this.connections) conn.terminate();
    this.connections.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

/** The guild a dispatch belongs to (GUILD_CREATE/UPDATE carry it as `id`), or undefined (DMs, READY). */
function guildIdOf(t: string, d: unknown): string | undefined {
  if (typeof d !== 'object' || d === null) return undefined;
  const data = d as { guild_id?: unknown; id?: unknown };
  if (typeof data.guild_id === 'string') return data.guild_id;
  if ((t === GatewayDispatchEvents.GuildCreate || t === GatewayDispatchEvents.GuildUpdate || t === GatewayDispatchEvents.GuildDelete) && typeof data.id === 'string') return data.id;
  return undefined;
}

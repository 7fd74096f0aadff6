/**
 * Attachment options of slash commands, as Discord delivers them
 * (https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-option-type,
 * https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object-resolved-data-structure):
 * the option (type ATTACHMENT, 11) carries the attachment's id as its value, and `data.resolved.attachments`
 * maps that id to an attachment object (id, filename, size, url, proxy_url, content_type when known,
 * ephemeral: true, as files uploaded with a command are). The file itself is on Discord's CDN at `url`;
 * here the stand-in serves it over HTTP on loopback, at
 * `/ephemeral-attachments/{application id}/{attachment id}/{filename}` of its own address.
 *
 * For tests of a bot's limits, an upload can declare another size than it has (`declaredSize`) and be
 * served without a Content-Length (`chunked`), so only counting the bytes as they arrive catches it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApplicationCommandOptionType } from 'discord.js';
import type { APIApplicationCommandInteractionDataOption, APIAttachment, APIChatInputApplicationCommandInteraction } from 'discord-api-types/v10';
import { snowflake } from './payloads.js';

export const ATTACHMENT_PATH = '/ephemeral-attachments/';

export interface UploadOptions {
  /** MIME type Discord reports (it guesses from the name); omitted when undefined. */
  contentType?: string;
  /** The size the attachment object claims. Default: the real byte length. */
  declaredSize?: number;
  /** Serve without Content-Length, in chunks of this many bytes (default: one response with Content-Length). */
  chunked?: number;
}

interface Upload {
  attachment: APIAttachment;
  bytes: Buffer;
  chunked: number | undefined;
}

export class AttachmentStore {
  private readonly uploads = new Map<string, Upload>();
  /** Every download of an attachment (its id), in order. */
  readonly downloads: string[] = [];

  constructor(
    private readonly baseUrl: () => string,
    private readonly applicationId: string,
  ) {}

  /** A file a user attached to a command: its attachment object (give `id` as the option's value). */
  upload(filename: string, content: string | Uint8Array, options: UploadOptions = {}): APIAttachment {
    const id = snowflake();
    const bytes = Buffer.from(content);
    const url = `${this.baseUrl()}${ATTACHMENT_PATH}${this.applicationId}/${id}/${encodeURIComponent(filename)}?ex=0&is=0&hm=0`;
    const attachment: APIAttachment = {
      id,
      filename,
      size: options.declaredSize ?? bytes.length,
      url,
      proxy_url: url,
      ephemeral: true,
      ...(options.contentType === undefined ? {} : { content_type: options.contentType }),
    };
    this.uploads.set(id, { attachment, bytes, chunked: options.chunked });
    return attachment;
  }

  get(id: string): APIAttachment | undefined {
    return this.uploads.get(id)?.attachment;
  }

  /** Serves GET /ephemeral-attachments/…; false when the request is not for an attachment. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (!url.pathname.startsWith(ATTACHMENT_PATH)) return false;
    const [, id] = url.pathname.slice(ATTACHMENT_PATH.length).split('/');
    const upload = id === undefined ? undefined : this.uploads.get(id);
    if (req.method !== 'GET' || upload === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return true;
    }
    this.downloads.push(upload.attachment.id);
    const type = upload.attachment.content_type ?? 'application/octet-stream';
    if (upload.chunked === undefined) {
      res.writeHead(200, { 'content-type': type, 'content-length': upload.bytes.length }).end(upload.bytes);
      return true;
    }
    res.writeHead(200, { 'content-type': type }); // no Content-Length: Transfer-Encoding chunked
    const size = Math.max(1, upload.chunked);
    let offset = 0;
    const next = (): void => {
      if (res.destroyed) return;
      if (offset >= upload.bytes.length) {
        res.end();
        return;
      }
      const chunk = upload.bytes.subarray(offset, offset + size);
      offset += size;
      if (res.write(chunk)) setImmediate(next);
      else res.once('drain', next);
    };
    next();
    return true;
  }
}

function collectIds(options: readonly APIApplicationCommandInteractionDataOption[], out: string[] = []): string[] {
  for (const o of options) {
    if ('options' in o && o.options) collectIds(o.options, out);
    else if (o.type === ApplicationCommandOptionType.Attachment && 'value' in o) out.push(String(o.value));
  }
  return out;
}

/** The interaction with `data.resolved.attachments` filled in for its attachment options (unknown ids left out). */
export function withResolvedAttachments(
  interaction: APIChatInputApplicationCommandInteraction,
  store: AttachmentStore,
): APIChatInputApplicationCommandInteraction {
  const attachments: Record<string, APIAttachment> = {};
  for (const id of collectIds(interaction.data.options ?? [])) {
    const attachment = store.get(id);
    if (attachment) attachments[id] = attachment;
  }
  if (Object.keys(attachments).length === 0) return interaction;
  return { ...interaction, data: { ...interaction.data, resolved: { ...interaction.data.resolved, attachments } } };
}

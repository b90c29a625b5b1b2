// One side of one message, ready to render a row into what a reviewer compares (compare.ts): what
// every row of the side shares (its channel, its workspace, whether the message sets its own
// reference) is found once per message, not once per row (#22).
import type { CompiledMessage, RowResult } from '../render/index.js';
import { compileMessage } from '../render/index.js';
import { maskRecipientIn } from '../util/index.js';
import { messageRequestChecker, UUID, type CatalogContext, type MessageDefinition } from '../check/index.js';
import type { Row } from '../types.js';
import type { Side, SideMessage } from './sides.js';
import { cloneValues } from '../util/index.js';

/** A plan compares requests and sends none: no JSON and no chirp reference per row (comparable drops it). */
export const BARE = { requestOnly: true } as const;

export interface Renderer {
  message: SideMessage;
  compiled: CompiledMessage;
  fallback: CompiledMessage | undefined;
  side: Side;
  /** The message sets `reference` itself: it is compared like any field. */
  ownReference: boolean;
  workspace: string;
  channel: string;
}

export function rendererOf(message: SideMessage | undefined, side: Side): Renderer | undefined {
  const compiled = message?.compiled;
  if (!message || !compiled) return undefined;
  const d = compiled.definition;
  const { fallback, body: _body, translations: _translations, ...rest } = d;
  return {
    message,
    compiled,
    side,
    fallback: fallback ? compileFallback({ ...rest, template: fallback.template }, message.ctx) : undefined,
    ownReference: Object.hasOwn(d.passthrough, 'reference'),
    workspace: side.workspace ?? '(none)',
    channel: UUID.test(d.channel) ? d.channel : (side.channels[d.channel] ?? `(alias "${d.channel}" is not in the config)`),
  };
}

function compileFallback(definition: MessageDefinition, ctx: CatalogContext): ReturnType<typeof compileMessage> {
  return compileMessage(definition, ctx.env, { check: messageRequestChecker(definition, ctx) });
}

/**
 * The request as a reviewer compares it, where it goes first. chirp's own reference (a hash of the
 * content) is noise and left out unless the message sets one.
 */
export function comparable(result: RowResult, r: Renderer, row: Row, fromText: boolean): Record<string, unknown> | undefined {
  if (!result.ok) return undefined;
  const d = r.compiled.definition;
  const request = result.request;
  // The API URL is where the access key and every request go (Side.apiUrl).
  const destination: Record<string, unknown> = { workspace: r.workspace, channel: r.channel, apiUrl: r.side.apiUrl };
  if (request.sender !== undefined) destination.sender = request.sender;
  if (r.side.destinationOf) Object.assign(destination, r.side.destinationOf(d));
  // The locale a recipient gets is part of what changes for them (a new translation: `en` → `nl`).
  const out: Record<string, unknown> = { destination };
  if (result.locale) out.locale = result.locale.used;
  // The request's fields in its order (one copy, not two spreads), but the sender (in `destination`).
  for (const key of Object.keys(request)) if (key !== 'sender' && (key !== 'reference' || r.ownReference)) out[key] = request[key];
  if (d.fallback) {
    const { parameters: _p, ...identity } = d.fallback.template as Record<string, unknown>;
    destination.fallbackTemplate = identity;
    const fb = r.fallback?.renderRow(cloneValues(row.values), fromText, BARE);
    const template = fb?.ok ? (fb.request.template as Record<string, unknown> | undefined) : undefined;
    out.fallback = fb?.ok
      ? { parameters: template?.parameters ?? [] }
      : { problems: fb && !fb.ok ? fb.problems.map((p) => p.code) : ['not rendered'] };
  }
  return out;
}

export function mask<T>(value: T, recipient: string | undefined, reveal: boolean): T {
  if (reveal || !recipient || value === undefined) return value;
  return JSON.parse(maskRecipientIn(JSON.stringify(value), recipient)) as T;
}

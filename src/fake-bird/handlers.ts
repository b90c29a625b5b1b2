// What each Bird operation does once a request is authorised, in budget and fault-free.
import type { ContactBook } from './contacts.js';
import type { Lifecycle } from './progress.js';
import { toMessage } from './message-json.js';
import { errorReply, jsonReply, type Reply } from './reply.js';
import type { Route } from './routes.js';
import type { MessageStore } from './store.js';
import type { AcceptedMessage, FakeBirdStats, MessageFailure, MessageStatus, ValidationResult } from './types.js';
import { isObject } from './validate.js';
import { inRange, parseRange, type Interactions, type ListingBehaviour } from './lifecycle.js';

export interface Context {
  /** undefined when the server runs with `record: false`. */
  store: MessageStore | undefined;
  contacts: ContactBook | undefined;
  stats: FakeBirdStats;
  validate: (body: unknown) => ValidationResult;
  clock: () => number;
  newId: () => string;
  listing: ListingBehaviour;
  interactions: Interactions;
  /** Moves accepted messages on by themselves; undefined = they stay as created. */
  lifecycle?: Lifecycle | undefined;
}

/** Bird's failure codes for messages rejected after acceptance are in the 11XXX range. */
export const INVALID_PAYLOAD_FAILURE = 11001;
export const MAX_BATCH = 100;
const MAX_PAGE = 100;
const DEFAULT_PAGE = 10;

export function handle(ctx: Context, route: Route, body: Buffer, query: string): Reply {
  switch (route.operation) {
    case 'send':
      return withJson(body, (request) => sendOne(ctx, route, request));
    case 'batch':
      return withJson(body, (request) => sendBatch(ctx, route, request));
    case 'search-contacts':
      return withJson(body, (request) => searchContacts(ctx, request));
    case 'get-message':
      return getMessage(ctx, route);
    case 'list-messages':
      return listMessages(ctx, route, new URLSearchParams(query));
    case 'get-window':
      return getWindow(ctx, route);
    case 'get-interactions':
      return getInteractions(ctx, route);
  }
}

function withJson(body: Buffer, next: (request: unknown) => Reply): Reply {
  let request: unknown;
  try {
    request = JSON.parse(body.toString('utf8'));
  } catch {
    return errorReply(400, 'the request body is not valid JSON');
  }
  return next(request);
}

function sendOne(ctx: Context, route: Route, request: unknown): Reply {
  const result = ctx.validate(request);
  if (!result.ok) return errorReply(422, 'the message request is invalid', { details: result.details });
  const now = ctx.clock();
  return jsonReply(202, toMessage(create(ctx, route, request, now, new Date(now).toISOString())));
}

function sendBatch(ctx: Context, route: Route, body: unknown): Reply {
  const requests = isObject(body) ? body.messageRequests : undefined;
  if (!Array.isArray(requests) || requests.length < 1 || requests.length > MAX_BATCH) {
    const got = Array.isArray(requests) ? `${requests.length} messages` : 'no messageRequests array';
    return errorReply(400, `a batch must hold 1 to ${MAX_BATCH} messageRequests, got ${got}`);
  }
  const batchId = ctx.newId();
  const now = ctx.clock();
  const iso = new Date(now).toISOString();
  // Bird takes the batch first and validates each message later: a bad one ends up `rejected`.
  for (const request of requests as unknown[]) {
    const result = ctx.validate(request);
    if (result.ok) create(ctx, route, request, now, iso, batchId);
    else create(ctx, route, request, now, iso, batchId, rejection(result.details));
  }
  return jsonReply(202, { id: batchId, batchId });
}

function rejection(details: Record<string, string[]>): MessageFailure {
  const description = Object.entries(details)
    .map(([path, problems]) => `${path}: ${problems.join(', ')}`)
    .join('; ');
  return { code: INVALID_PAYLOAD_FAILURE, description, source: { name: 'validation' } };
}

function create(
  ctx: Context,
  route: Route,
  request: unknown,
  now: number,
  iso: string,
  batchId?: string,
  failure?: MessageFailure,
): AcceptedMessage {
  // Bird keeps a message `scheduled` until its time; less than 10 minutes ahead it may go at once.
  const scheduledFor = isObject(request) && typeof request.scheduledFor === 'string' ? Date.parse(request.scheduledFor) : NaN;
  const status: MessageStatus = failure !== undefined ? 'rejected' : scheduledFor > now + 600_000 ? 'scheduled' : 'accepted';
  if (status !== 'rejected') ctx.stats.accepted++;
  else ctx.stats.rejected++;
  const fields = isObject(request) ? request : {};
  const receiver = isObject(fields.receiver) ? fields.receiver : {};
  const first: unknown = Array.isArray(receiver.contacts) ? receiver.contacts[0] : undefined;
  const contact = isObject(first) ? first : {};
  const recipient = typeof contact.identifierValue === 'string' ? contact.identifierValue : undefined;
  const key = typeof contact.identifierKey === 'string' ? contact.identifierKey : undefined;
  // Sending to an unknown identifier creates the contact (rejected messages never reach that step).
  const known = status !== 'rejected' && recipient !== undefined ? ctx.contacts?.ensure(recipient, key) : undefined;
  const message: AcceptedMessage = {
    id: ctx.newId(),
    channelId: route.channelId,
    workspaceId: route.workspaceId,
    request,
    receivedAt: now,
    createdAt: iso,
    updatedAt: iso,
    status,
  };
  if (batchId !== undefined) message.batchId = batchId;
  if (recipient !== undefined) message.recipient = recipient;
  if (typeof fields.reference === 'string') message.reference = fields.reference;
  const contactId = known?.id ?? (typeof contact.id === 'string' ? contact.id : undefined);
  if (contactId !== undefined) message.contactId = contactId;
  if (failure !== undefined) message.failure = failure;
  ctx.store?.add(message);
  if (status === 'accepted' && ctx.store !== undefined) ctx.lifecycle?.created(message);
  return message;
}

function getMessage(ctx: Context, route: Route): Reply {
  const message = ctx.store?.byId(route.id);
  if (message === undefined || message.channelId !== route.channelId || message.workspaceId !== route.workspaceId) {
    return errorReply(404, 'message not found');
  }
  ctx.lifecycle?.advance(message, ctx.clock());
  return jsonReply(200, toMessage(message));
}

/**
 * `batchId` is the fake's convenience: Bird documents only `limit` and `pageToken` for this
 * listing, and no way to list one batch's messages.
 */
function listMessages(ctx: Context, route: Route, params: URLSearchParams): Reply {
  const behaviour = ctx.listing;
  if (behaviour.html) {
    return { status: 200, body: '<!doctype html><html><body><h1>Sign in</h1></body></html>', headers: { 'content-type': 'text/html' } };
  }
  const range = parseRange(params);
  if (Number.isNaN(range.startAt) || Number.isNaN(range.endAt))
    return errorReply(400, 'Bad request: startAt and endAt must be RFC 3339 date-times');
  if (behaviour.requireTimeRange && (range.startAt === undefined || range.endAt === undefined))
    return errorReply(400, 'Bad request: startAt and endAt are required');
  if (
    range.startAt !== undefined &&
    range.endAt !== undefined &&
    (range.endAt < range.startAt || range.endAt - range.startAt > behaviour.maxRangeMs)
  ) {
    return errorReply(400, 'Bad request: Invalid time range to filter');
  }
  const limitText = params.get('limit');
  const limit = limitText === null ? DEFAULT_PAGE : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    return errorReply(400, `limit must be an integer from 1 to ${MAX_PAGE}`);
  }
  const size = ctx.store?.channelSize(route.workspaceId, route.channelId) ?? 0;
  const token = params.get('pageToken');
  const start = token === null || token === '' ? undefined : decodeToken(token);
  if (start !== undefined && (Number.isNaN(start) || start >= size)) return errorReply(400, 'invalid pageToken');
  const batchId = params.get('batchId') ?? undefined;
  if (behaviour.direction === 'refuse' && params.has('direction')) return errorReply(400, 'Bad request: unknown parameter direction');
  const direction = behaviour.direction === 'honour' ? params.get('direction') : null;
  if (direction !== null && direction !== 'incoming' && direction !== 'outgoing')
    return errorReply(400, 'Bad request: direction must be incoming or outgoing');
  const timed = range.startAt !== undefined || range.endAt !== undefined;
  const filter =
    !timed && direction === null
      ? undefined
      : (m: AcceptedMessage) => (!timed || inRange(m, range)) && (direction === null || (m.direction ?? 'outgoing') === direction);
  const page = ctx.store?.list(route.workspaceId, route.channelId, {
    limit,
    start,
    batchId,
    order: behaviour.order,
    ...(filter ? { filter } : {}),
  }) ?? { results: [] };
  const now = ctx.clock();
  for (const message of page.results) if (message.direction !== 'incoming') ctx.lifecycle?.advance(message, now);
  return jsonReply(200, {
    results: page.results.map(toMessage),
    nextPageToken: page.next === undefined ? null : encodeToken(page.next),
  });
}

function encodeToken(index: number): string {
  return Buffer.from(`m${index}`).toString('base64url');
}

function decodeToken(token: string): number {
  const match = /^m(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  return match?.[1] === undefined ? NaN : Number(match[1]);
}

function searchContacts(ctx: Context, body: unknown): Reply {
  const identifier = isObject(body) ? body.identifier : undefined;
  if (!isObject(identifier) || typeof identifier.key !== 'string' || typeof identifier.value !== 'string') {
    return errorReply(422, 'the search request is invalid', {
      details: { identifier: ['key and value (strings) are required'] },
    });
  }
  const contact = ctx.contacts?.find(identifier.key, identifier.value);
  const results =
    contact === undefined
      ? []
      : [
          {
            id: contact.id,
            featuredIdentifiers: [{ key: contact.identifierKey, value: contact.identifierValue }],
          },
        ];
  return jsonReply(200, { results, nextPageToken: null });
}

function getWindow(ctx: Context, route: Route): Reply {
  const contact = ctx.contacts?.byId(route.id);
  if (contact === undefined || contact.window === 'unknown') {
    return errorReply(404, 'contact not found for this channel');
  }
  return jsonReply(200, contact.window);
}

function getInteractions(ctx: Context, route: Route): Reply {
  const message = ctx.store?.byId(route.id);
  if (message === undefined || message.channelId !== route.channelId || message.workspaceId !== route.workspaceId) {
    return errorReply(404, 'message not found');
  }
  return jsonReply(200, { results: ctx.interactions.of(message.id), nextPageToken: null });
}

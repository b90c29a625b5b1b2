// A fake Bird Channels API on loopback for chirp's tests (and `npm run fake-bird`): real HTTP,
// every request recorded, faults injected on demand. Hot path kept lean for the batch benchmark.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ContactBook } from './contacts.js';
import { FaultQueue, type Fault } from './faults.js';
import { handle, type Context } from './handlers.js';
import { Lifecycle } from './progress.js';
import { uuidSequence } from './ids.js';
import { RateLimiter } from './rate-limit.js';
import { errorReply, type Reply } from './reply.js';
import { matchRoute, type Route } from './routes.js';
import { MessageStore } from './store.js';
import type { AcceptedMessage, FakeBird, FakeBirdOptions, InboundMessage, RequestLogEntry } from './types.js';
import { toMessage } from './message-json.js';
import { validateStructure } from './validate.js';
import { TemplateStore } from './templates.js';
import { applyMix, DEFAULT_LISTING, Interactions } from './lifecycle.js';

export type * from './types.js';
export type * from './faults.js';
export { FaultQueue, DEFAULT_RANDOM_KINDS, mulberry32 } from './faults.js';
export { validateStructure } from './validate.js';
export { INVALID_PAYLOAD_FAILURE } from './handlers.js';
export type { PublishOptions } from './templates.js';
export { DEFAULT_FAILURES, DEFAULT_REASONS, DEFAULT_LISTING } from './lifecycle.js';
export { DEFAULT_LIFECYCLE_MIX, type LifecycleOptions } from './progress.js';

/** POST here (with the access key) `{from, channelId, text | body, workspaceId?}`: a contact's reply (see FakeBird.addInbound). */
export const INBOUND_PATH = '/_fake/inbound';

export async function startFakeBird(options: FakeBirdOptions = {}): Promise<FakeBird> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host)) throw new Error(`the fake Bird server listens on loopback only, not on ${host}`);
  const accessKey = options.accessKey ?? 'test-key';
  const expectedAuthorization = `AccessKey ${accessKey}`;
  const record = options.record ?? true;
  const store = record ? new MessageStore() : undefined;
  const newId = uuidSequence();
  const contacts = record ? new ContactBook(newId) : undefined;
  const stats = { requests: 0, accepted: 0, rejected: 0 };
  const templates = options.templates === undefined ? undefined : new TemplateStore(options.templates, newId, options.templatePageSize);
  const baseValidate = options.validate ?? validateStructure;
  const ctx: Context = {
    store,
    contacts,
    stats,
    validate:
      templates === undefined
        ? baseValidate
        : (body) => {
            const first = baseValidate(body);
            return first.ok ? templates.checkSend(body) : first;
          },
    clock: options.clock ?? Date.now,
    newId,
    listing: { ...DEFAULT_LISTING, ...options.listing },
    interactions: new Interactions(),
    lifecycle: options.lifecycle === undefined ? undefined : new Lifecycle(options.lifecycle),
  };
  const faults = new FaultQueue();
  const requests: RequestLogEntry[] = [];
  const limiter = options.rateLimit === undefined ? undefined : new RateLimiter(options.rateLimit);
  const timers = new Set<NodeJS.Timeout>();

  const channels = options.channels !== undefined ? new Set(options.channels) : undefined;
  function addInbound(inbound: InboundMessage): AcceptedMessage {
    if (store === undefined || contacts === undefined) throw new Error('fake Bird: inbound messages are not kept with record: false');
    const at = inbound.at ?? ctx.clock();
    const iso = new Date(at).toISOString();
    const body = inbound.body ?? { type: 'text', text: { text: inbound.text ?? '' } };
    const message: AcceptedMessage = {
      id: newId(),
      channelId: inbound.channelId,
      workspaceId: inbound.workspaceId ?? options.workspaceId ?? workspaceOf(store, inbound.channelId),
      request: { body },
      receivedAt: at,
      createdAt: iso,
      updatedAt: iso,
      status: 'delivered',
      direction: 'incoming',
      sender: inbound.from,
      contactId: contacts.ensure(inbound.from).id,
    };
    store.addInbound(message);
    return message;
  }

  // The fake's own control path (not Bird's): a contact's reply, for pipelines that run chirp-fake-bird.
  const controlInbound = (body: Buffer): Reply => {
    let request: unknown;
    try {
      request = JSON.parse(body.toString('utf8'));
    } catch {
      return errorReply(400, 'the request body is not valid JSON');
    }
    const r = typeof request === 'object' && request !== null ? (request as Record<string, unknown>) : {};
    if (typeof r.from !== 'string' || typeof r.channelId !== 'string' || (r.text !== undefined && typeof r.text !== 'string'))
      return errorReply(422, 'an inbound message needs from and channelId (strings), and text or body', {
        details: { $: ['from and channelId are required strings'] },
      });
    try {
      const message = addInbound({
        from: r.from,
        channelId: r.channelId,
        ...(typeof r.text === 'string' ? { text: r.text } : {}),
        ...(r.body !== undefined ? { body: r.body } : {}),
        ...(typeof r.workspaceId === 'string' ? { workspaceId: r.workspaceId } : {}),
      });
      return { status: 201, body: toMessage(message) };
    } catch (error) {
      return errorReply(409, (error as Error).message);
    }
  };
  const processRequest = (
    method: string,
    path: string,
    route: Route | undefined,
    authorized: boolean,
    body: Buffer,
    query: string,
  ): Reply => {
    // The key is never echoed: a wrong key and a missing one get the same answer.
    if (!authorized) return errorReply(401, 'missing or invalid access key');
    if (path === INBOUND_PATH) return method === 'POST' ? controlInbound(body) : errorReply(404, `no such endpoint: ${method} ${path}`);
    const templateReply = route === undefined ? templates?.route(method, path.split('/'), query) : undefined;
    if (templateReply !== undefined) {
      const ws = path.split('/')[2];
      return options.workspaceId !== undefined && ws !== options.workspaceId
        ? errorReply(404, 'Project or workspace not found')
        : templateReply;
    }
    if (route === undefined) return errorReply(404, `no such endpoint: ${method} ${path}`);
    if (options.workspaceId !== undefined && route.workspaceId !== options.workspaceId) {
      return errorReply(404, 'workspace not found');
    }
    // The workspace-level contact search names no channel.
    if (channels !== undefined && route.channelId !== '' && !channels.has(route.channelId)) {
      return errorReply(404, 'channel not found');
    }
    if (limiter !== undefined && !limiter.allow(route.workspaceId, method)) {
      return errorReply(429, 'rate limit exceeded', { headers: { 'retry-after': '1' } });
    }
    return handle(ctx, route, body, query);
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const query = q === -1 ? '' : url.slice(q + 1);
    const method = req.method ?? 'GET';
    const authorized = req.headers.authorization === expectedAuthorization;
    const bodyBytes = body.length;
    const entry: RequestLogEntry = { method, path, query, at: Date.now(), status: 0, authorized, bodyBytes };
    stats.requests++;
    if (record) requests.push(entry);
    const route = matchRoute(method, path);
    const fault = faults.take({ method, path, endpoint: route?.endpoint ?? 'other' });
    if (fault !== undefined) entry.fault = fault;
    const run = (): Reply => processRequest(method, path, route, authorized, body, query);
    switch (fault?.kind) {
      case undefined:
        return send(res, entry, run(), ctx.clock);
      case 'status':
        return send(res, entry, faultReply(fault), ctx.clock);
      case 'reset-before':
        req.socket.destroy();
        return;
      case 'reset-after':
        run();
        req.socket.destroy();
        return;
      case 'latency': {
        // Processed when the delay ends, even if the client gave up meanwhile: a timeout does not
        // tell the client whether the message was created.
        const timer = setTimeout(() => {
          timers.delete(timer);
          send(res, entry, run(), ctx.clock);
        }, fault.ms);
        timers.add(timer);
        return;
      }
      case 'hang':
        return;
      case 'raw':
        if (fault.process === true) run();
        return send(
          res,
          entry,
          { status: fault.status, body: fault.body, headers: { 'content-type': fault.contentType ?? 'text/html' } },
          ctx.clock,
        );
      case 'truncate': {
        const reply = run();
        const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        res.end(Buffer.from(text).subarray(0, fault.bytes));
        entry.status = reply.status;
        return;
      }
      case 'trickle': {
        const reply = run();
        const bytes = Buffer.from(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
        res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': bytes.length, ...reply.headers });
        entry.status = reply.status;
        let at = 0;
        const drip = (): void => {
          timers.delete(timer);
          if (res.destroyed) return;
          res.write(bytes.subarray(at, at + 1));
          if (++at >= bytes.length) res.end();
          else {
            timer = setTimeout(drip, fault.intervalMs);
            timers.add(timer);
          }
        };
        let timer = setTimeout(drip, fault.intervalMs);
        timers.add(timer);
        return;
      }
      case 'echo': {
        const header = req.headers.authorization ?? '';
        const auth =
          fault.spelling === 'url'
            ? encodeURIComponent(header)
            : fault.spelling === 'base64'
              ? Buffer.from(header).toString('base64')
              : fault.spelling === 'upper'
                ? header.toUpperCase()
                : fault.spelling === 'prefix'
                  ? `${header.slice(0, 24)}…`
                  : header;
        const status = fault.status ?? 422;
        const body = {
          code: `Echo ${auth}`,
          message: `refused: ${auth}`,
          details: { authorization: [auth], [auth]: [`${auth} again`], nested: { deep: [{ header: auth }] } },
        };
        return send(res, entry, { status, body, headers: { 'x-echo-authorization': auth.replace(/[^\x20-\x7e]/g, '') } }, ctx.clock);
      }
      case 'redirect':
        return send(
          res,
          entry,
          {
            status: fault.status,
            body: `<html><body>Moved to <a href="${fault.location}">${fault.location}</a></body></html>`,
            headers: { location: fault.location, 'content-type': 'text/html' },
          },
          ctx.clock,
        );
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
    });
    req.on('end', () => onRequest(req, res, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.close(() => resolve());
      // close() alone waits for keep-alive and hanging sockets; these must not keep a test alive.
      server.closeAllConnections();
    });
    return closing;
  };

  return {
    url: `http://${shownHost}:${address.port}`,
    accessKey,
    accepted: store?.accepted ?? [],
    requests,
    stats,
    faults,
    setStatus(messageId, status, failure) {
      const message = store?.byId(messageId);
      if (message === undefined) throw new Error(`fake Bird: no message ${messageId}`);
      ctx.lifecycle?.forget(messageId);
      message.status = status;
      message.updatedAt = new Date(ctx.clock()).toISOString();
      if (failure === undefined) delete message.failure;
      else message.failure = failure;
    },
    publishTemplate(projectId, publish) {
      if (templates === undefined) throw new Error('fake Bird: started without `templates`');
      return templates.publish(projectId, publish);
    },
    setTemplateLocaleStatus(projectId, locale, status, templateId) {
      if (templates === undefined) throw new Error('fake Bird: started without `templates`');
      templates.setLocaleStatus(projectId, locale, status, templateId);
    },
    applyStatusMix(mix) {
      return applyMix(store?.accepted ?? [], mix, new Date(ctx.clock()).toISOString());
    },
    setReason(messageId, reason) {
      const message = store?.byId(messageId);
      if (message === undefined) throw new Error(`fake Bird: no message ${messageId}`);
      if (reason === undefined) delete message.reason;
      else message.reason = reason;
    },
    addInbound,
    addInteraction(messageId, type) {
      if (store?.byId(messageId) === undefined) throw new Error(`fake Bird: no message ${messageId}`);
      return ctx.interactions.add(messageId, type, newId(), new Date(ctx.clock()).toISOString());
    },
    setListing(behaviour) {
      Object.assign(ctx.listing, behaviour);
    },
    contactId(phone) {
      if (contacts === undefined) throw new Error('fake Bird: contacts are not kept with record: false');
      return contacts.ensure(phone).id;
    },
    setContactWindow(phone, window) {
      if (contacts === undefined) throw new Error('fake Bird: contacts are not kept with record: false');
      contacts.ensure(phone).window = window;
    },
    close,
  };
}

/** The workspace a channel's messages were sent in (an inbound message's default). */
function workspaceOf(store: MessageStore, channelId: string): string {
  for (let i = store.accepted.length - 1; i >= 0; i--)
    if (store.accepted[i]!.channelId === channelId) return store.accepted[i]!.workspaceId;
  throw new Error(`fake Bird: no message was sent on channel ${channelId} yet: give addInbound a workspaceId`);
}

function send(res: ServerResponse, entry: RequestLogEntry, reply: Reply, clock: () => number): void {
  if (res.destroyed) return;
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    // Bird's clock is the fake's: `status --reconcile` places a run on it through this header.
    date: new Date(clock()).toUTCString(),
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...reply.headers,
  });
  res.end(text);
  entry.status = reply.status;
}

function faultReply(fault: Extract<Fault, { kind: 'status' }>): Reply {
  const headers: Record<string, string> = {};
  if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
  if (typeof fault.body === 'string') headers['content-type'] = 'text/html';
  if (fault.body !== undefined) return { status: fault.status, body: fault.body, headers };
  const details = fault.status === 422 ? { details: {} } : {};
  return errorReply(fault.status, `injected fault: ${fault.status}`, { ...details, headers });
}

/** 127.0.0.0/8, ::1 and localhost: the fake must never be reachable from another machine. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  const parts = host.split('.');
  return parts.length === 4 && parts[0] === '127' && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

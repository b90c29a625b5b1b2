// The transport against the fake Bird server over real HTTP on 127.0.0.1: each of Bird's rules
// (what is retried, what is final, what is unknown, how fast) is checked from both sides: the
// outcome chirp reports and what the server actually received.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { mulberry32, startFakeBird, type FakeBird, type FakeBirdOptions } from '../../src/fake-bird/index.js';
import {
  createDispatcher,
  createTransport,
  type SendOutcome,
  type Transport,
  type TransportEvent,
  type TransportOptions,
} from '../../src/transport/client.js';
import { fullJitter, parseRetryAfter } from '../../src/transport/backoff.js';
import { classifyError } from '../../src/transport/classify.js';
import { RateLimiter } from '../../src/transport/rate-limiter.js';

/** Every test sends this key: none of them may find it in anything the transport hands back. */
const KEY = 'canary-5f0c2a91-do-not-leak';
const WS = 'ws-1';
const CH = 'ch-1';

function message(to: string): string {
  return JSON.stringify({
    receiver: { contacts: [{ identifierValue: to }] },
    body: { type: 'text', text: { text: `hi ${to}` } },
  });
}
const unit = (...bodies: string[]): { channelId: string; bodies: string[] } => ({ channelId: CH, bodies });
const one = (n = 1): { channelId: string; bodies: string[] } => unit(message(`+3160000${String(n).padStart(4, '0')}`));

const cleanups: (() => Promise<unknown>)[] = [];
/** Everything a test got back from a transport, for the key-leak check in afterEach. */
const seen: unknown[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  const text = JSON.stringify(seen.splice(0));
  expect(text).not.toContain(KEY);
});

interface Setup {
  fake: FakeBird;
  transport: Transport;
  events: TransportEvent[];
  send: (u?: { channelId: string; bodies: string[] }, endpoint?: 'single' | 'batch') => Promise<SendOutcome>;
}

async function setup(options: Partial<TransportOptions> = {}, fakeOptions: FakeBirdOptions = {}): Promise<Setup> {
  const fake = await startFakeBird({ accessKey: KEY, ...fakeOptions });
  const dispatcher = createDispatcher({ connections: 8 });
  // The fake first: closing it destroys hanging sockets, which destroy() would otherwise wait on.
  cleanups.push(
    () => dispatcher.destroy(),
    () => fake.close(),
  );
  const events: TransportEvent[] = [];
  seen.push(events);
  const transport = createTransport({
    dispatcher,
    baseUrl: fake.url,
    accessKey: KEY,
    workspace: WS,
    rate: 1000,
    concurrency: 4,
    backoffBaseMs: 5,
    backoffCapMs: 20,
    timeoutMs: 2000,
    onEvent: (event) => events.push(event),
    ...options,
  });
  const send = async (u = one(), endpoint: 'single' | 'batch' = 'single'): Promise<SendOutcome> => {
    const outcome = await transport.send(u, endpoint);
    seen.push(outcome);
    return outcome;
  };
  return { fake, transport, events, send };
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A port nothing listens on: a fake that has been closed again. */
/**
 * A loopback address nothing listens on. Not the port of a closed fake: on a busy machine another
 * process's server (a fake Bird of a test file running beside this one) can be given that port
 * while the retries run, and the send is then accepted there (a suite run failed so).
 */
function deadUrl(): { url: string } {
  return { url: 'http://127.0.0.1:1' };
}

/** Virtual time: sleeping moves the clock instead of waiting. */
function virtualClock(start = Date.UTC(2030, 0, 1)): {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  slept: number[];
} {
  let clock = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => clock,
    sleep: (ms) => {
      slept.push(ms);
      clock += ms;
      return Promise.resolve();
    },
  };
}

describe('accepted', () => {
  it('sends a single message byte for byte and records its id', async () => {
    const { fake, send } = await setup();
    const body = `{ "receiver":{"contacts":[{"identifierValue":"+31600000001"}]},  "body":{"type":"text","text":{"text":"héllo"}}}`;
    const outcome = await send(unit(body));
    expect(outcome).toMatchObject({ kind: 'accepted', http: 202, ids: [fake.accepted[0]!.id] });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({ method: 'POST', path: `/workspaces/${WS}/channels/${CH}/messages` });
    expect(fake.requests[0]!.bodyBytes).toBe(Buffer.byteLength(body));
    expect(fake.accepted[0]!.request).toEqual(JSON.parse(body));
  });

  it('sends a batch as {"messageRequests":[...]} and records the batch id', async () => {
    const { fake, send } = await setup();
    const bodies = [message('+31600000001'), message('+31600000002'), message('+31600000003')];
    const outcome = await send(unit(...bodies), 'batch');
    const batchId = fake.accepted[0]!.batchId;
    expect(outcome).toMatchObject({ kind: 'accepted', http: 202, batchId });
    expect(fake.accepted.map((m) => m.batchId)).toEqual([batchId, batchId, batchId]);
    expect(fake.requests[0]).toMatchObject({ path: `/workspaces/${WS}/channels/${CH}/batch/messages` });
    expect(fake.requests[0]!.bodyBytes).toBe(Buffer.byteLength(`{"messageRequests":[${bodies.join(',')}]}`));
  });

  it('sends the documented headers, with no double slash after a trailing-slash baseUrl', async () => {
    const seenHeaders: { url: string; headers: IncomingHttpHeaders }[] = [];
    const server = createServer((req, res) => {
      seenHeaders.push({ url: req.url ?? '', headers: req.headers });
      req.resume();
      req.on('end', () => res.writeHead(202, { 'content-type': 'application/json' }).end('{"id":"m-1"}'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const port = (server.address() as AddressInfo).port;
    const dispatcher = createDispatcher({ connections: 1 });
    cleanups.push(() => dispatcher.destroy());
    const transport = createTransport({
      dispatcher,
      baseUrl: `http://127.0.0.1:${port}/`,
      accessKey: KEY,
      workspace: WS,
      rate: 10,
      concurrency: 1,
      userAgent: '1.2.3',
    });
    expect(await transport.send(one(), 'single')).toMatchObject({ kind: 'accepted', ids: ['m-1'] });
    expect(seenHeaders[0]!.url).toBe(`/workspaces/${WS}/channels/${CH}/messages`);
    expect(seenHeaders[0]!.headers).toMatchObject({
      authorization: `AccessKey ${KEY}`,
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': 'chirp/1.2.3',
    });
  });
});

describe('failed: final answers, never retried', () => {
  it('422 carries Bird code, message and details', async () => {
    const { fake, send } = await setup();
    const outcome = await send(unit('{"receiver":{"contacts":[{}]},"body":{"type":"text","text":{"text":"x"}}}'));
    expect(outcome).toMatchObject({
      kind: 'failed',
      http: 422,
      code: 'InvalidPayload',
      details: { 'receiver.contacts[0].identifierValue': ['identifierValue or id is required'] },
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('400, 404 and 409 are failed after one request each; a non-JSON body becomes the message', async () => {
    const { fake, send } = await setup();
    fake.faults.push(
      { kind: 'status', status: 400, body: '<html>bad gateway page</html>' },
      { kind: 'status', status: 404 },
      { kind: 'status', status: 409 },
    );
    expect(await send()).toEqual({ kind: 'failed', http: 400, message: '<html>bad gateway page</html>' });
    expect(await send()).toMatchObject({ kind: 'failed', http: 404, code: 'NotFound' });
    expect(await send()).toMatchObject({ kind: 'failed', http: 409, code: 'Conflict' });
    expect(fake.requests).toHaveLength(3);
    expect(await send()).toMatchObject({ kind: 'accepted' });
  });
});

describe('retried: Bird did not process it', () => {
  it('500 twice, then accepted on the third request', async () => {
    const { fake, send, transport, events } = await setup();
    fake.faults.push({ kind: 'status', status: 500, times: 2 });
    expect(await send()).toMatchObject({ kind: 'accepted', ids: [fake.accepted[0]!.id] });
    expect(fake.requests.map((r) => r.status)).toEqual([500, 500, 202]);
    expect(fake.accepted).toHaveLength(1);
    expect(transport.stats()).toMatchObject({ requests: 3, retries: 2 });
    expect(events.filter((e) => e.type === 'retry')).toMatchObject([
      { status: 500, attempt: 1 },
      { status: 500, attempt: 2 },
    ]);
  });

  it('gives up after maxAttempts with retries-exhausted, and later sends stay off the network', async () => {
    const { fake, send } = await setup({ maxAttempts: 3 });
    fake.faults.set('any', { kind: 'status', status: 503 });
    expect(await send()).toMatchObject({ kind: 'fatal', reason: 'retries-exhausted', http: 503 });
    expect(fake.requests).toHaveLength(3);
    expect(await send()).toMatchObject({ kind: 'fatal', reason: 'retries-exhausted' });
    expect(fake.requests).toHaveLength(3);
  });

  it('stops at the run-wide retry budget', async () => {
    const { fake, send } = await setup({ retryBudget: 1 });
    fake.faults.push({ kind: 'status', status: 502, times: 5 });
    expect(await send()).toMatchObject({ kind: 'fatal', reason: 'retry-budget', http: 502 });
    expect(fake.requests).toHaveLength(2);
  });

  it('connection refused: retried, then fatal unreachable; nothing reached any server', async () => {
    const dead = deadUrl();
    const { transport, send, events } = await setup({ baseUrl: dead.url, maxAttempts: 3 });
    const outcome = await send();
    expect(outcome).toMatchObject({ kind: 'fatal', reason: 'unreachable', code: 'ECONNREFUSED' });
    expect(events.filter((e) => e.type === 'retry')).toMatchObject([{ code: 'ECONNREFUSED' }, { code: 'ECONNREFUSED' }]);
    expect(transport.stats().requests).toBe(3);
    expect(await send()).toMatchObject({ kind: 'fatal', reason: 'unreachable' });
    expect(transport.stats().requests).toBe(3);
  });
});

describe('429: slow the whole run down', () => {
  it('Retry-After: 1 holds back the sender that got it and every other sender', async () => {
    const { fake, send, events } = await setup({ concurrency: 4 });
    expect(await send(one(1))).toMatchObject({ kind: 'accepted' }); // opens the first-request gate
    fake.faults.push({ kind: 'status', status: 429, retryAfter: 1 });
    const first = send(one(2));
    await until(() => events.some((e) => e.type === 'retry'));
    const others = [send(one(3)), send(one(4))];
    const outcomes = await Promise.all([first, ...others]);
    expect(outcomes.map((o) => o.kind)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(events.find((e) => e.type === 'retry')).toMatchObject({ status: 429, delayMs: 1000 });
    const throttledAt = fake.requests[1]!.at;
    expect(fake.requests[1]!.status).toBe(429);
    const later = fake.requests.slice(2);
    expect(later).toHaveLength(3);
    // Loose on purpose: the server's clock and chirp's are read at different moments.
    for (const request of later) expect(request.at - throttledAt).toBeGreaterThanOrEqual(950);
  });

  it('without Retry-After: full-jitter backoff, and the effective rate is halved', async () => {
    const { fake, send, events, transport } = await setup({
      backoffBaseMs: 100,
      backoffCapMs: 1000,
      random: () => 0.5,
    });
    fake.faults.push({ kind: 'status', status: 429 });
    expect(await send()).toMatchObject({ kind: 'accepted' });
    expect(events.find((e) => e.type === 'retry')).toMatchObject({ status: 429, attempt: 1, delayMs: 50 });
    expect(events.find((e) => e.type === 'throttle')).toEqual({ type: 'throttle', rate: 500, method: 'POST' });
    expect(fake.requests[1]!.at - fake.requests[0]!.at).toBeGreaterThanOrEqual(45);
    expect(transport.stats()).toMatchObject({ throttled: 1, retries: 1 });
    expect(transport.stats().currentRate).toBeLessThan(1000);
  });

  it('reads an HTTP-date Retry-After and clamps a long one to maxRetryAfterMs', async () => {
    const clock = virtualClock();
    const { fake, send, events } = await setup({ ...clock, maxRetryAfterMs: 45_000 });
    fake.faults.push(
      { kind: 'status', status: 429, retryAfter: new Date(clock.now() + 30_000).toUTCString() },
      { kind: 'status', status: 429, retryAfter: 3600 },
    );
    expect(await send()).toMatchObject({ kind: 'accepted' });
    expect(events.filter((e) => e.type === 'retry').map((e) => e.type === 'retry' && e.delayMs)).toEqual([30_000, 45_000]);
    expect(fake.requests).toHaveLength(3);
  });
});

describe('auth: stop everything', () => {
  it('401: one request leaves, all ten sends end fatal, the message names BIRD_ACCESS_KEY', async () => {
    const { fake, send } = await setup({ concurrency: 2 }, { accessKey: 'another-key' });
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => send(one(i))));
    expect(fake.requests).toHaveLength(1);
    expect(outcomes.every((o) => o.kind === 'fatal' && o.reason === 'auth')).toBe(true);
    expect(outcomes[0]).toMatchObject({ http: 401, message: expect.stringContaining('BIRD_ACCESS_KEY') as unknown });
    expect(await send()).toMatchObject({ kind: 'fatal', reason: 'auth' });
    expect(fake.requests).toHaveLength(1);
  });

  it('403: fatal, pointing at the key permissions and the workspace id', async () => {
    const { fake, send } = await setup();
    fake.faults.push({ kind: 'status', status: 403 });
    const outcome = await send();
    expect(outcome).toMatchObject({ kind: 'fatal', reason: 'auth', http: 403 });
    expect(outcome.kind === 'fatal' && outcome.message).toMatch(/permissions.*workspace id \(ws-1\)/);
    expect(await send()).toMatchObject({ kind: 'fatal', reason: 'auth' });
    expect(fake.requests).toHaveLength(1);
  });
});

describe('unknown: may have been created, never retried', () => {
  // The fake's reset-before reads the whole request and then drops the socket. From chirp's side
  // that is after the request was written, exactly like a crash inside Bird: it must be unknown.
  it('reset-before is unknown (nothing was created, but chirp cannot know that)', async () => {
    const { fake, send } = await setup();
    fake.faults.push({ kind: 'reset-before' });
    expect(await send()).toMatchObject({ kind: 'unknown' });
    expect(fake.requests).toHaveLength(1);
    expect(fake.accepted).toHaveLength(0);
    expect(await send()).toMatchObject({ kind: 'accepted' });
  });

  it('reset-after is unknown, and Bird does have the message', async () => {
    const { fake, send } = await setup();
    fake.faults.push({ kind: 'reset-after' });
    expect(await send()).toMatchObject({ kind: 'unknown' });
    expect(fake.requests).toHaveLength(1);
    expect(fake.accepted).toHaveLength(1);
  });

  it('a hanging request times out as unknown', async () => {
    const { fake, send } = await setup({ timeoutMs: 150 });
    fake.faults.push({ kind: 'hang' });
    expect(await send()).toMatchObject({ kind: 'unknown', code: 'UND_ERR_HEADERS_TIMEOUT' });
    expect(fake.requests).toHaveLength(1);
  });
});

describe('pace and concurrency', () => {
  it('rate 20: no 1-second window holds more than 20 of 60 requests as chirp hands them to the HTTP client', async () => {
    // When each request leaves chirp: the moment the transport hands it to undici (an interceptor on the
    // dispatcher), which is what the limiter controls. Arrival times at a server add the scheduler's jitter
    // on both sides (17 ms on a machine at load 16), which no client can bound; the limiter's own
    // guarantee is also checked exactly on an injected clock in rate-limiter.test.ts.
    const handed: number[] = [];
    const base = createDispatcher({ connections: 8 });
    cleanups.push(() => base.destroy());
    const dispatcher = base.compose((dispatch) => (opts, handler) => {
      handed.push(performance.timeOrigin + performance.now());
      return dispatch(opts, handler);
    });
    const { fake, send } = await setup({ rate: 20, concurrency: 8, dispatcher });
    const outcomes = await Promise.all(Array.from({ length: 60 }, (_, i) => send(one(i))));
    expect(outcomes.every((o) => o.kind === 'accepted')).toBe(true);
    expect(fake.requests).toHaveLength(60);
    expect(handed).toHaveLength(60);
    handed.sort((a, b) => a - b);
    for (let i = 0; i + 20 < handed.length; i++) expect(handed[i + 20]! - handed[i]!).toBeGreaterThanOrEqual(1000);
  });

  it('never has more than `concurrency` requests in flight (and does use them all)', async () => {
    const { fake, send } = await setup({ concurrency: 3 });
    fake.faults.set('any', { kind: 'latency', ms: 80 });
    await Promise.all(Array.from({ length: 12 }, (_, i) => send(one(i))));
    // The fake answers 80 ms after reading a request: [at, at + 80) is when it is in flight.
    const at = fake.requests.map((r) => r.at);
    const overlap = at.map((t) => at.filter((u) => u <= t && t < u + 80).length);
    expect(Math.max(...overlap)).toBe(3);
  });

  it('stop(): in-flight finishes, queued sends end fatal stopped without the network', async () => {
    const { fake, transport, send } = await setup({ concurrency: 1 });
    fake.faults.push({ kind: 'latency', ms: 150 });
    const outcomes = Promise.all(Array.from({ length: 4 }, (_, i) => send(one(i))));
    await until(() => fake.requests.length === 1);
    transport.stop();
    expect((await outcomes).map((o) => (o.kind === 'fatal' ? o.reason : o.kind))).toEqual(['accepted', 'stopped', 'stopped', 'stopped']);
    expect(await send()).toMatchObject({ kind: 'fatal', reason: 'stopped' });
    expect(fake.requests).toHaveLength(1);
  });
});

describe('under random faults', () => {
  it('creates no message twice, and every outcome matches what the server holds', async () => {
    const { fake, send, transport } = await setup({ concurrency: 8, maxAttempts: 10 });
    fake.faults.random({
      rate: 0.3,
      seed: 42,
      kinds: [
        { kind: 'status', status: 500 },
        { kind: 'status', status: 503 },
        { kind: 'status', status: 429 },
        { kind: 'reset-before' },
        { kind: 'reset-after' },
        { kind: 'latency', ms: 5 },
      ],
    });
    const bodies = Array.from({ length: 200 }, (_, i) =>
      JSON.stringify({
        receiver: { contacts: [{ identifierValue: `+3161${i}` }] },
        body: { type: 'text', text: { text: 'x' } },
        reference: `r${i}`,
      }),
    );
    const units = [
      ...bodies.slice(0, 100).map((b, i) => ({ refs: [`r${i}`], endpoint: 'single' as const, bodies: [b] })),
      ...Array.from({ length: 10 }, (_, k) => ({
        refs: Array.from({ length: 10 }, (_, j) => `r${100 + k * 10 + j}`),
        endpoint: 'batch' as const,
        bodies: bodies.slice(100 + k * 10, 110 + k * 10),
      })),
    ];
    const outcomes = await Promise.all(units.map((u) => send(unit(...u.bodies), u.endpoint)));
    const stored = new Map<string, string[]>();
    for (const m of fake.accepted) stored.set(m.reference!, [...(stored.get(m.reference!) ?? []), m.id]);
    expect([...stored.values()].filter((ids) => ids.length > 1)).toEqual([]);
    units.forEach((u, i) => {
      const outcome = outcomes[i]!;
      const held = u.refs.filter((ref) => stored.has(ref)).length;
      if (outcome.kind === 'accepted') {
        expect(held).toBe(u.refs.length);
        if (u.endpoint === 'single') expect(outcome.ids).toEqual(stored.get(u.refs[0]!));
      } else {
        // A reset-before or reset-after: all of the unit or none of it, never part.
        expect(outcome.kind).toBe('unknown');
        expect([0, u.refs.length]).toContain(held);
      }
    });
    expect(outcomes.filter((o) => o.kind === 'unknown').length).toBeGreaterThan(0);
    expect(transport.stats().retries).toBeGreaterThan(0);
  });
});

describe('get', () => {
  it('reads a message back, answers 404 as failed, and retries a GET even after a reset', async () => {
    const { fake, send, transport } = await setup();
    const sent = await send();
    const id = sent.kind === 'accepted' ? sent.ids?.[0] : undefined;
    const got = await transport.get(`/channels/${CH}/messages/${id}`);
    seen.push(got);
    expect(got).toMatchObject({ http: 200, body: { id, status: 'accepted' } });
    expect(await transport.get(`channels/${CH}/messages/nope`)).toMatchObject({ kind: 'failed', http: 404 });
    fake.faults.push({ kind: 'reset-after', on: 'get' });
    expect(await transport.get(`/channels/${CH}/messages/${id}`)).toMatchObject({ http: 200 });
    expect(fake.requests.filter((r) => r.method === 'GET')).toHaveLength(4);
  });
});

describe('the access key never leaks', () => {
  it('is in no outcome, event or error, whatever goes wrong', async () => {
    const texts: string[] = [];
    const { fake, send } = await setup({ timeoutMs: 150, maxAttempts: 2 });
    fake.faults.push(
      { kind: 'status', status: 422 },
      { kind: 'status', status: 400, body: 'plain text' },
      { kind: 'reset-after' },
      { kind: 'hang' },
      { kind: 'status', status: 503, times: 2 },
    );
    for (let i = 0; i < 5; i++) texts.push(JSON.stringify(await send()));
    const denied = await setup({}, { accessKey: 'another-key' });
    texts.push(JSON.stringify(await denied.send()));
    const dead = deadUrl();
    texts.push(JSON.stringify(await (await setup({ baseUrl: dead.url, maxAttempts: 2 })).send()));
    for (const accessKey of [`${KEY} x`, `${KEY}\n`]) {
      try {
        createTransport({
          dispatcher: createDispatcher(),
          baseUrl: fake.url,
          accessKey,
          workspace: WS,
          rate: 1,
          concurrency: 1,
        });
        texts.push('constructed');
      } catch (error) {
        texts.push(String(error), (error as Error).stack ?? '');
      }
    }
    expect(texts.join('\n')).not.toContain(KEY);
    expect(texts.filter((t) => t.includes('"kind":"fatal"'))).toHaveLength(3);
    // afterEach checks every outcome and event the setups collected.
  });
});

describe('with a MockAgent', () => {
  it('works, and tells an error before the connection from one after it', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    cleanups.push(() => agent.close());
    const pool = agent.get('https://api.bird.com');
    const path = `/workspaces/${WS}/channels/${CH}/messages`;
    pool.intercept({ path, method: 'POST' }).reply(202, { id: 'm-9' });
    pool.intercept({ path, method: 'POST' }).replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    pool.intercept({ path, method: 'POST' }).reply(202, { id: 'm-10' });
    pool.intercept({ path, method: 'POST' }).replyWithError(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }));
    const transport = createTransport({
      dispatcher: agent,
      baseUrl: 'https://api.bird.com',
      accessKey: KEY,
      workspace: WS,
      rate: 100,
      concurrency: 1,
      backoffBaseMs: 1,
    });
    expect(await transport.send(one(), 'single')).toMatchObject({ kind: 'accepted', ids: ['m-9'] });
    expect(await transport.send(one(), 'single')).toMatchObject({ kind: 'accepted', ids: ['m-10'] });
    expect(await transport.send(one(), 'single')).toMatchObject({ kind: 'unknown', code: 'UND_ERR_SOCKET' });
    expect(transport.stats()).toMatchObject({ requests: 4, retries: 1 });
  });
});

describe('pieces', () => {
  it('parseRetryAfter: seconds, HTTP-date, past dates, clamping, garbage', () => {
    const now = Date.UTC(2030, 0, 1);
    expect(parseRetryAfter('2', now, 60_000)).toBe(2000);
    expect(parseRetryAfter(' 0 ', now, 60_000)).toBe(0);
    expect(parseRetryAfter(new Date(now + 7000).toUTCString(), now, 60_000)).toBe(7000);
    expect(parseRetryAfter(new Date(now - 7000).toUTCString(), now, 60_000)).toBe(0);
    expect(parseRetryAfter('86400', now, 60_000)).toBe(60_000);
    expect(parseRetryAfter('soon', now, 60_000)).toBeUndefined();
    expect(parseRetryAfter(undefined, now, 60_000)).toBeUndefined();
  });

  it('fullJitter: uniform below min(cap, base * 2^(attempt-1))', () => {
    expect(fullJitter(1, 500, 30_000, () => 0.999)).toBe(499);
    expect(fullJitter(4, 500, 30_000, () => 0.5)).toBe(2000);
    expect(fullJitter(40, 500, 30_000, () => 0.5)).toBe(15_000);
    expect(fullJitter(3, 500, 30_000, () => 0)).toBe(0);
  });

  it('classifyError: only an error before the socket is a connection failure', () => {
    const refused = Object.assign(new Error('x'), { code: 'ECONNREFUSED' });
    const reset = Object.assign(new Error('x'), { code: 'ECONNRESET' });
    expect(classifyError(refused, false)).toBe('connect');
    expect(classifyError(reset, false)).toBe('connect');
    expect(classifyError(reset, true)).toBe('written');
    expect(classifyError(Object.assign(new Error('x'), { code: 'UND_ERR_HEADERS_TIMEOUT' }), false)).toBe('written');
    expect(classifyError(Object.assign(new Error('x'), { code: 'UND_ERR_DESTROYED' }), false)).toBe('closed');
  });

  it('RateLimiter: late timers and 32 senders never put more than `rate` sends in a window', () => {
    for (const rate of [20, 500, 3000]) {
      const limiter = new RateLimiter({ rate });
      const random = mulberry32(rate);
      const sends = simulate(limiter, 32, Math.max(200, rate * 3), random);
      sends.sort((a, b) => a - b);
      for (let i = 0; i + rate < sends.length; i++) expect(sends[i + rate]! - sends[i]!).toBeGreaterThanOrEqual(1000);
      // and it is not much slower than asked
      expect(sends.length / ((sends.at(-1)! - sends[0]!) / 1000)).toBeGreaterThan(rate * 0.95);
    }
  });

  it('RateLimiter: a pause holds everyone, then senders leave paced; 429s halve once and recover', () => {
    const limiter = new RateLimiter({ rate: 10 });
    expect(limiter.reserve(0)).toBe(0);
    limiter.pause(5000);
    const slots = [limiter.reserve(100), limiter.reserve(100), limiter.reserve(100)];
    expect(slots[0]).toBe(5000);
    expect(slots[1]! - slots[0]!).toBeCloseTo(101, 0);
    expect(limiter.admit(4999)).toBeLessThan(0);
    limiter.slowDown(6000, 5500);
    limiter.slowDown(6001, 5600); // sent before the decrease: same congestion, no second halving
    expect(limiter.currentRate).toBe(5);
    limiter.reserve(8500);
    expect(limiter.currentRate).toBeCloseTo(7.5, 5);
    limiter.reserve(20_000);
    expect(limiter.currentRate).toBe(10);
  });
});

/** Discrete-event run of senders that each reserve, sleep (waking 0–4 ms late), admit and send. */
function simulate(limiter: RateLimiter, senders: number, total: number, random: () => number): number[] {
  const sends: number[] = [];
  const queue: { at: number; slot: number | undefined }[] = [];
  const schedule = (at: number, slot: number | undefined): void => {
    let i = queue.length;
    while (i > 0 && queue[i - 1]!.at > at) i--;
    queue.splice(i, 0, { at, slot });
  };
  for (let s = 0; s < senders; s++) schedule(random() * 5, undefined);
  while (sends.length < total) {
    const { at: now, slot: booked } = queue.shift()!;
    const slot = booked ?? limiter.reserve(now);
    if (slot > now) {
      schedule(slot + random() * 4, slot);
      continue;
    }
    const wait = limiter.admit(now);
    if (wait === 0) {
      sends.push(now);
      schedule(now + 2 + random() * 10, undefined);
    } else if (wait < 0) schedule(now, undefined);
    else schedule(now + wait + random() * 4, now + wait);
  }
  return sends;
}

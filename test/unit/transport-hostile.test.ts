// Issue 10, cases 5, 6, 9, 11, 13 at the transport: answers that are not Bird's, a key echoed back,
// trickling bodies, redirects and sporadic 429s, against the fake Bird over real HTTP on 127.0.0.1.
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeBird, type FakeBird } from '../../src/fake-bird/index.js';
import { createDispatcher, createTransport, type SendOutcome, type Transport, type TransportOptions } from '../../src/transport/client.js';

const KEY = 'canary-9a7e1c-hostile';
const WS = 'ws-1';
const CH = 'ch-1';
const body = (to: string): string =>
  JSON.stringify({ receiver: { contacts: [{ identifierValue: to }] }, body: { type: 'text', text: { text: `hi ${to}` } } });
const one = (n = 1) => ({ channelId: CH, bodies: [body(`+3160000${String(n).padStart(4, '0')}`)] });

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(options: Partial<TransportOptions> = {}): Promise<{ fake: FakeBird; transport: Transport }> {
  const fake = await startFakeBird({ accessKey: KEY });
  const dispatcher = createDispatcher({ connections: 8 });
  cleanups.push(
    () => dispatcher.destroy(),
    () => fake.close(),
  );
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
    ...options,
  });
  return { fake, transport };
}

describe("a 2xx is accepted only when it is Bird's answer", () => {
  const cases: [string, { status: number; body: string; process?: boolean }, 'single' | 'batch'][] = [
    ['an HTML 200 from a proxy', { status: 200, body: '<html><body>Welcome to the proxy</body></html>' }, 'single'],
    ['an HTML 202 for a batch', { status: 202, body: '<!doctype html><p>ok</p>' }, 'batch'],
    ['an empty 201', { status: 201, body: '' }, 'single'],
    ['truncated JSON', { status: 202, body: '{"id":"5f0c', process: true }, 'single'],
    ['a JSON array', { status: 202, body: '[]' }, 'batch'],
    ['a short body', { status: 202, body: 'ok' }, 'single'],
    ['an object without an id', { status: 202, body: '{"status":"accepted"}' }, 'single'],
  ];
  for (const [name, fault, endpoint] of cases) {
    it(`${name} is unknown, saying why`, async () => {
      const { fake, transport } = await setup();
      fake.faults.push({ kind: 'raw', ...fault });
      const outcome = await transport.send(
        endpoint === 'single' ? one() : { channelId: CH, bodies: [body('+31600000001'), body('+31600000002')] },
        endpoint,
      );
      expect(outcome).toMatchObject({ kind: 'unknown', code: 'not_bird_answer' });
      expect(outcome.kind === 'unknown' && outcome.reason).toMatch(/not Bird's answer/);
      expect(fake.requests).toHaveLength(1); // never retried: it may have been created
    });
  }

  it("a body cut by the server after Bird's answer began is unknown", async () => {
    const { fake, transport } = await setup();
    fake.faults.push({ kind: 'truncate', bytes: 20 });
    expect(await transport.send(one(), 'single')).toMatchObject({ kind: 'unknown' });
    expect(fake.accepted).toHaveLength(1);
  });

  it("Bird's real answers are still accepted, with their ids", async () => {
    const { fake, transport } = await setup();
    expect(await transport.send(one(), 'single')).toMatchObject({ kind: 'accepted', ids: [fake.accepted[0]!.id] });
  });
});

describe('the access key is scrubbed by value from every field of an answer', () => {
  it('a 422 echoing the Authorization header in code, message, details and keys', async () => {
    const { fake, transport } = await setup();
    fake.faults.push({ kind: 'echo', status: 422 });
    const outcome = await transport.send(one(), 'single');
    expect(outcome).toMatchObject({ kind: 'failed', http: 422 });
    expect(JSON.stringify(outcome)).not.toContain(KEY);
    expect(JSON.stringify(outcome)).toContain('[redacted]');
  });

  it('a 200 echoing it in its body', async () => {
    const { fake, transport } = await setup();
    fake.faults.push({ kind: 'raw', status: 202, body: JSON.stringify({ id: 'm-1', note: `AccessKey ${KEY}`, [KEY]: KEY }) });
    const outcome = await transport.send(one(), 'single');
    expect(outcome).toMatchObject({ kind: 'accepted', ids: ['m-1'] });
    expect(JSON.stringify(outcome)).not.toContain(KEY);
  });
});

describe('redirects stop the run at the first one', () => {
  it('301: fatal redirect naming the Location; nothing else is sent; the key goes nowhere else', async () => {
    const { fake, transport } = await setup();
    fake.faults.set('any', { kind: 'redirect', status: 301, location: 'https://elsewhere.invalid/api' });
    const outcomes: SendOutcome[] = await Promise.all([1, 2, 3, 4, 5].map((n) => transport.send(one(n), 'single')));
    expect(outcomes[0]).toMatchObject({ kind: 'fatal', reason: 'redirect', http: 301 });
    const first = outcomes.find((o) => o.kind === 'fatal' && o.http === 301);
    expect(first?.kind === 'fatal' && first.message).toMatch(/elsewhere\.invalid.*BIRD_API_URL/s);
    expect(outcomes.every((o) => o.kind === 'fatal')).toBe(true);
    expect(fake.requests.length).toBeLessThanOrEqual(4); // the ones already in flight, then none
  });
});

describe('bounded answers', () => {
  it('a body trickling one byte at a time ends at the answer deadline, as unknown', async () => {
    const { fake, transport } = await setup({ timeoutMs: 500, answerDeadlineMs: 400 });
    fake.faults.push({ kind: 'trickle', intervalMs: 50 });
    const started = Date.now();
    const outcome = await transport.send(one(), 'single');
    expect(outcome).toMatchObject({ kind: 'unknown', code: 'CHIRP_ANSWER_DEADLINE' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('abandon() ends a request in flight at once, as unknown', async () => {
    const { fake, transport } = await setup({ timeoutMs: 20_000 });
    fake.faults.push({ kind: 'hang' });
    const pending = transport.send(one(), 'single');
    while (fake.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    const started = Date.now();
    transport.abandon();
    expect(await pending).toMatchObject({ kind: 'unknown' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await transport.send(one(2), 'single')).toMatchObject({ kind: 'fatal', reason: 'stopped' });
  });
});

describe('sporadic 429s', () => {
  it('one 429 among many answers holds back only its own request, not every sender', async () => {
    const { fake, transport } = await setup({ rate: 2000, concurrency: 4 });
    for (let i = 0; i < 60; i++) expect(await transport.send(one(i), 'single')).toMatchObject({ kind: 'accepted' });
    fake.faults.push({ kind: 'status', status: 429, retryAfter: 1 });
    const throttled = transport.send(one(100), 'single');
    while (!fake.requests.some((r) => r.status === 429)) await new Promise((r) => setTimeout(r, 2));
    const at = Date.now();
    await Promise.all([101, 102, 103].map((n) => transport.send(one(n), 'single')));
    expect(Date.now() - at).toBeLessThan(500); // the others were not paused for Retry-After
    expect(await throttled).toMatchObject({ kind: 'accepted' });
    expect(transport.stats().currentRate).toBe(2000);
  });

  it('many 429s are a congestion event: every sender pauses once', async () => {
    const { fake, transport } = await setup({ rate: 2000, concurrency: 4 });
    for (let i = 0; i < 60; i++) await transport.send(one(i), 'single');
    fake.faults.push({ kind: 'status', status: 429, retryAfter: 1, times: 8 });
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, n) => transport.send(one(200 + n), 'single')));
    expect(outcomes.every((o) => o.kind === 'accepted')).toBe(true);
    expect(transport.stats().currentRate).toBeLessThan(2000);
  });
});

describe('the fake Bird', () => {
  it('answers 422 to a body with a __proto__ key instead of crashing', async () => {
    const { fake } = await setup();
    const text =
      '{"__proto__":{"x":1},"receiver":{"contacts":[{"identifierValue":"+31600000001"}]},"body":{"type":"text","text":{"text":"hi"}}}';
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${fake.url}/workspaces/${WS}/channels/${CH}/messages`,
        { method: 'POST', headers: { authorization: `AccessKey ${KEY}`, 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(text);
    });
    expect(status).toBe(422);
  });
});

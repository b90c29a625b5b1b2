import { Agent, request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeBird, type FakeBird, type FakeBirdOptions } from '../../src/fake-bird/index.js';

const WS = 'ws-1';
const CH = 'ch-1';
const SINGLE = `/workspaces/${WS}/channels/${CH}/messages`;
const BATCH = `/workspaces/${WS}/channels/${CH}/batch/messages`;
const SEARCH = `/workspaces/${WS}/contacts/search`;
const AUTH = { authorization: 'AccessKey test-key', 'content-type': 'application/json' };

// Typed as unknown: vitest's asymmetric matchers are `any`, which the type-aware lint rejects.
const anyString: unknown = expect.any(String);
const containing = (part: string): unknown => expect.stringContaining(part);
const matching = (pattern: RegExp): unknown => expect.stringMatching(pattern);

let fake: FakeBird;
let agent: Agent;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

async function call(method: 'GET' | 'POST', path: string, body?: unknown, headers = AUTH): Promise<Answer> {
  const res = await request(fake.url + path, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    dispatcher: agent,
  });
  const text = await res.body.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // leave non-JSON bodies as text
  }
  return { status: res.statusCode, headers: res.headers, body: parsed };
}

function text(to: string, reference?: string): Record<string, unknown> {
  return {
    receiver: { contacts: [{ identifierValue: to }] },
    body: { type: 'text', text: { text: `hi ${to}` } },
    ...(reference === undefined ? {} : { reference }),
  };
}

async function start(options: FakeBirdOptions = {}): Promise<void> {
  await fake.close();
  fake = await startFakeBird(options);
}

beforeEach(async () => {
  agent = new Agent();
  fake = await startFakeBird();
});

afterEach(async () => {
  await fake.close();
  await agent.close();
});

describe('auth and errors', () => {
  it('answers 401 without or with a wrong key, never echoing it', async () => {
    const missing = await call('POST', SINGLE, text('+31600000001'), { ...AUTH, authorization: '' });
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ code: 'Unauthorized' });
    const wrong = await call('POST', SINGLE, text('+31600000001'), { ...AUTH, authorization: 'AccessKey sekrit-123' });
    expect(wrong.status).toBe(401);
    expect(JSON.stringify(wrong.body)).not.toContain('sekrit-123');
    expect(fake.accepted).toHaveLength(0);
    expect(fake.requests.map((r) => r.authorized)).toEqual([false, false]);
  });

  it('answers 422 with details, 400 for non-JSON, 404 for unknown routes', async () => {
    const invalid = await call('POST', SINGLE, { receiver: { contacts: [{}] }, extra: 1 });
    expect(invalid.status).toBe(422);
    expect(invalid.body).toMatchObject({
      code: 'InvalidPayload',
      details: {
        extra: ['unknown field'],
        'receiver.contacts[0].identifierValue': [anyString],
        body: ['body or template is required'],
      },
    });
    const broken = await call('POST', SINGLE, '{"receiver":');
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ code: 'BadRequest', message: anyString });
    const unknown = await call('GET', `/workspaces/${WS}/nope`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'NotFound' });
    expect(fake.accepted).toHaveLength(0);
  });

  it('told which channels exist, answers 404 for any other (both send endpoints and reads), as Bird does', async () => {
    await start({ channels: [CH] });
    const other = `/workspaces/${WS}/channels/ch-2`;
    for (const [method, path, body] of [
      ['POST', `${other}/messages`, text('+31600000001')],
      ['POST', `${other}/batch/messages`, { messageRequests: [text('+31600000001')] }],
      ['GET', `${other}/messages`, undefined],
    ] as const) {
      const res = await call(method, path, body);
      expect(res.status, path).toBe(404);
      expect(res.body).toMatchObject({ message: 'channel not found' });
    }
    expect(fake.accepted).toHaveLength(0);
    expect((await call('POST', SINGLE, text('+31600000001'))).status).toBe(202);
    // The workspace-level contact search names no channel.
    expect((await call('POST', SEARCH, { identifier: { key: 'phonenumber', value: '+31600000001' } })).status).toBe(200);
  });

  it('uses a custom validator when given one', async () => {
    await start({ validate: () => ({ ok: false, details: { 'body.text.text': ['too long'] } }) });
    const res = await call('POST', SINGLE, text('+31600000001'));
    expect(res.body).toMatchObject({ details: { 'body.text.text': ['too long'] } });
  });

  it('refuses a host that is not loopback', async () => {
    await expect(startFakeBird({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });
});

describe('sending', () => {
  it('accepts a single message and records its exact body', async () => {
    const request = text('+31600000001', 'ref-1');
    const res = await call('POST', SINGLE, request);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      id: matching(/^[0-9a-f-]{36}$/),
      channelId: CH,
      status: 'accepted',
      reference: 'ref-1',
      receiver: { contacts: [{ identifierValue: '+31600000001', id: anyString }] },
      createdAt: anyString,
    });
    expect(fake.accepted).toHaveLength(1);
    expect(fake.accepted[0]).toMatchObject({
      channelId: CH,
      workspaceId: WS,
      recipient: '+31600000001',
      reference: 'ref-1',
    });
    expect(fake.accepted[0]!.request).toEqual(request);
    expect(fake.requests[0]).toMatchObject({ method: 'POST', path: SINGLE, status: 202, authorized: true });
  });

  it('takes a batch, then rejects its invalid message with an 11xxx failure', async () => {
    const bad = { receiver: { contacts: [{ identifierValue: '+31600000009' }] } };
    const res = await call('POST', BATCH, { messageRequests: [text('+31600000001'), bad, text('+31600000002')] });
    expect(res.status).toBe(202);
    const { id, batchId } = res.body as { id: string; batchId: string };
    expect(id).toBe(batchId);
    expect(fake.accepted.map((m) => [m.recipient, m.status, m.batchId])).toEqual([
      ['+31600000001', 'accepted', id],
      ['+31600000009', 'rejected', id],
      ['+31600000002', 'accepted', id],
    ]);
    const rejected = fake.accepted[1]!;
    expect(rejected.failure?.code).toBeGreaterThanOrEqual(11000);
    expect(rejected.failure?.code).toBeLessThan(12000);
    const status = await call('GET', `${SINGLE}/${rejected.id}`);
    expect(status.body).toMatchObject({ status: 'rejected', batchId: id, failure: { code: rejected.failure?.code } });
    expect(fake.stats).toMatchObject({ accepted: 2, rejected: 1 });
  });

  it('answers 400 naming the count for an empty or oversized batch', async () => {
    const empty = await call('POST', BATCH, { messageRequests: [] });
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ message: containing('got 0') });
    const big = Array.from({ length: 101 }, (_, i) => text(`+3160000${String(i).padStart(4, '0')}`));
    const over = await call('POST', BATCH, { messageRequests: big });
    expect(over.status).toBe(400);
    expect(over.body).toMatchObject({ message: containing('got 101') });
    expect(fake.accepted).toHaveLength(0);
  });

  it('with record: false keeps only counts', async () => {
    await start({ record: false });
    await call('POST', BATCH, { messageRequests: [text('+31600000001'), text('+31600000002')] });
    expect(fake.stats).toEqual({ requests: 1, accepted: 2, rejected: 0 });
    expect(fake.accepted).toHaveLength(0);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('faults', () => {
  it('answers an injected status with Retry-After and creates nothing', async () => {
    fake.faults.push({ kind: 'status', status: 503, retryAfter: 7 });
    const res = await call('POST', SINGLE, text('+31600000001'));
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('7');
    expect(res.body).toMatchObject({ code: 'ServiceUnavailable', message: anyString });
    expect(fake.accepted).toHaveLength(0);
    expect((await call('POST', SINGLE, text('+31600000001'))).status).toBe(202);
    expect(fake.requests[0]?.fault).toMatchObject({ kind: 'status', status: 503 });
  });

  it('targets an endpoint, counts `times`, and sends raw string bodies', async () => {
    fake.faults.push({ kind: 'status', status: 502, body: '<html>bad gateway</html>', on: 'batch', times: 2 });
    expect((await call('POST', SINGLE, text('+31600000001'))).status).toBe(202);
    const first = await call('POST', BATCH, { messageRequests: [text('+31600000002')] });
    expect(first).toMatchObject({ status: 502, body: '<html>bad gateway</html>' });
    expect(first.headers['content-type']).toBe('text/html');
    expect((await call('POST', BATCH, { messageRequests: [text('+31600000002')] })).status).toBe(502);
    expect(fake.faults.pending).toBe(0);
    expect((await call('POST', BATCH, { messageRequests: [text('+31600000002')] })).status).toBe(202);
  });

  it('applies standing rules, by endpoint or predicate, until removed', async () => {
    fake.faults.set((r) => r.path.endsWith('/batch/messages'), { kind: 'status', status: 409 });
    fake.faults.set('get', { kind: 'status', status: 500, times: 1 });
    for (let i = 0; i < 3; i++) expect((await call('POST', BATCH, { messageRequests: [text('+1')] })).status).toBe(409);
    expect((await call('GET', `${SINGLE}?limit=1`)).status).toBe(500);
    expect((await call('GET', `${SINGLE}?limit=1`)).status).toBe(200);
    fake.faults.clear();
    expect((await call('POST', BATCH, { messageRequests: [text('+1')] })).status).toBe(202);
  });

  it('reset-before: the client sees a socket error and nothing is created', async () => {
    fake.faults.push({ kind: 'reset-before' });
    await expect(call('POST', SINGLE, text('+31600000001'))).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' });
    expect(fake.accepted).toHaveLength(0);
    expect(fake.requests[0]?.status).toBe(0);
  });

  it('reset-after: the client sees a socket error but the batch was created', async () => {
    fake.faults.push({ kind: 'reset-after', on: 'batch' });
    const messageRequests = [text('+31600000001'), text('+31600000002')];
    await expect(call('POST', BATCH, { messageRequests })).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' });
    expect(fake.accepted.map((m) => m.recipient)).toEqual(['+31600000001', '+31600000002']);
  });

  it('latency: answers normally, late', async () => {
    fake.faults.push({ kind: 'latency', ms: 150 });
    const started = performance.now();
    const res = await call('POST', SINGLE, text('+31600000001'));
    expect(res.status).toBe(202);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(fake.accepted).toHaveLength(1);
  });

  it('latency past the client timeout: the client gives up, the message is still created', async () => {
    fake.faults.push({ kind: 'latency', ms: 200 });
    const res = request(`${fake.url}${SINGLE}`, {
      method: 'POST',
      headers: AUTH,
      body: JSON.stringify(text('+31600000001')),
      dispatcher: agent,
      signal: AbortSignal.timeout(50),
    });
    await expect(res).rejects.toMatchObject({ name: 'TimeoutError' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.accepted).toHaveLength(1);
  });

  it('hang: close() ends the hanging request promptly', async () => {
    fake.faults.push({ kind: 'hang' });
    const pending = call('POST', SINGLE, text('+31600000001'));
    const settled = pending.then(
      () => 'answered',
      (error: unknown) => error,
    );
    while (fake.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const started = performance.now();
    await fake.close();
    expect(await settled).toMatchObject({ code: 'UND_ERR_SOCKET' });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(fake.accepted).toHaveLength(0);
  });

  it('seeded random faults are reproducible', async () => {
    const kinds = [
      { kind: 'status', status: 503 },
      { kind: 'status', status: 429 },
      { kind: 'reset-before' },
      { kind: 'reset-after' },
    ] as const;
    const run = async (seed: number): Promise<string[]> => {
      await start();
      fake.faults.random({ rate: 0.2, seed, kinds: [...kinds] });
      const outcomes: string[] = [];
      for (let i = 0; i < 60; i++) {
        outcomes.push(
          await call('POST', SINGLE, text(`+3160000${i}`)).then(
            (res) => String(res.status),
            () => 'reset',
          ),
        );
      }
      expect(fake.accepted).toHaveLength(outcomes.filter((o) => o === '202').length + countResetAfter());
      return outcomes;
    };
    const countResetAfter = (): number => fake.faults.injected.filter((f) => f.fault.kind === 'reset-after').length;
    const first = await run(42);
    const again = await run(42);
    const other = await run(7);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    const faulted = first.filter((o) => o !== '202').length;
    expect(faulted).toBeGreaterThan(3);
    expect(faulted).toBeLessThan(25);
  });

  it('rate limit: 429 with Retry-After: 1 over the per-second budget, nothing created', async () => {
    await start({ rateLimit: { postPerSecond: 2, getPerSecond: 1 } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await call('POST', SINGLE, text('+31600000001'))).status);
    expect(statuses).toEqual([202, 202, 429]);
    expect(fake.accepted).toHaveLength(2);
    const gets = [await call('GET', `${SINGLE}?limit=1`), await call('GET', `${SINGLE}?limit=1`)];
    expect(gets.map((g) => g.status)).toEqual([200, 429]);
    expect(gets[1]?.headers['retry-after']).toBe('1');
    expect(gets[1]?.body).toMatchObject({ code: 'TooManyRequests' });
  });
});

describe('status and listing', () => {
  it('reports a message and its updated status', async () => {
    const sent = await call('POST', SINGLE, text('+31600000001'));
    const id = (sent.body as { id: string }).id;
    fake.setStatus(id, 'delivery_failed', { code: 13001, description: 'unreachable' });
    const res = await call('GET', `${SINGLE}/${id}`);
    expect(res).toMatchObject({ status: 200, body: { id, status: 'delivery_failed', failure: { code: 13001 } } });
    expect((await call('GET', `${SINGLE}/00000000-0000-0000-0000-000000000000`)).status).toBe(404);
    expect((await call('GET', `/workspaces/${WS}/channels/other/messages/${id}`)).status).toBe(404);
  });

  it('lists newest first with paging, and filters by batchId', async () => {
    for (let i = 0; i < 25; i++) await call('POST', SINGLE, text(`+316000000${String(i).padStart(2, '0')}`, `r${i}`));
    const messageRequests = [text('+31611111111', 'b0'), text('+31611111112', 'b1')];
    const batch = await call('POST', BATCH, { messageRequests });
    const seen: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const query: string = token === null ? 'limit=10' : `limit=10&pageToken=${token}`;
      const res = await call('GET', `${SINGLE}?${query}`);
      const page = res.body as { results: { reference: string }[]; nextPageToken: string | null };
      seen.push(...page.results.map((m) => m.reference));
      token = page.nextPageToken;
      pages++;
    } while (token !== null);
    expect(pages).toBe(3);
    expect(seen).toEqual(['b1', 'b0', ...Array.from({ length: 25 }, (_, i) => `r${24 - i}`)]);
    const batchId = (batch.body as { id: string }).id;
    const onlyBatch = await call('GET', `${SINGLE}?batchId=${batchId}&limit=100`);
    const inBatch = (onlyBatch.body as { results: { reference: string }[] }).results;
    expect(inBatch.map((m) => m.reference)).toEqual(['b1', 'b0']);
    expect((await call('GET', `${SINGLE}?limit=101`)).status).toBe(400);
    expect((await call('GET', `${SINGLE}?pageToken=garbage`)).status).toBe(400);
  });
});

describe('contacts', () => {
  const search = (value: string): Promise<Answer> => call('POST', SEARCH, { identifier: { key: 'phonenumber', value } });

  it('creates a contact on the first accepted message, with no open window', async () => {
    expect((await search('+31600000001')).body).toMatchObject({ results: [] });
    await call('POST', SINGLE, text('+31600000001'));
    const found = (await search('+31600000001')).body as { results: { id: string }[] };
    expect(found.results).toHaveLength(1);
    const contactId = found.results[0]!.id;
    expect(fake.accepted[0]?.contactId).toBe(contactId);
    const window = await call('GET', `/workspaces/${WS}/channels/${CH}/contacts/${contactId}`);
    expect(window).toMatchObject({ status: 200, body: { serviceWindowExpireAt: null, isPermanentSession: null } });
  });

  it('serves windows set by the test, and 404 for unknown ones', async () => {
    const expires = '2030-01-01T00:00:00.000Z';
    fake.setContactWindow('+31600000002', { serviceWindowExpireAt: expires, isPermanentSession: false });
    fake.setContactWindow('+31600000003', 'unknown');
    const idOf = async (value: string): Promise<string> => ((await search(value)).body as { results: { id: string }[] }).results[0]!.id;
    const open = await call('GET', `/workspaces/${WS}/channels/${CH}/contacts/${await idOf('+31600000002')}`);
    expect(open.body).toEqual({ serviceWindowExpireAt: expires, isPermanentSession: false });
    const unknown = await call('GET', `/workspaces/${WS}/channels/${CH}/contacts/${await idOf('+31600000003')}`);
    expect(unknown.status).toBe(404);
    expect((await call('GET', `/workspaces/${WS}/channels/${CH}/contacts/nobody`)).status).toBe(404);
    expect((await call('POST', SEARCH, { identifier: {} })).status).toBe(422);
  });
});

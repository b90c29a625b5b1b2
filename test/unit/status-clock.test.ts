// Reconcile's clock rule and Bird's answers checked (issue 18 #2, issue 10 #4), as pure functions,
// plus the fake Bird's listing, statuses and interactions they are tested against.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { request } from 'undici';
import { birdWindow, measureOffset, windowChunks } from '../../src/status/clock.js';
import { parseInteractions, parseListingPage, parseMessage } from '../../src/status/bird-message.js';
import { startFakeBird, type FakeBird } from '../../src/fake-bird/index.js';

const RULES = { marginMs: 120_000, maxSkewMs: 300_000 };
const T = Date.parse('2026-12-01T09:00:00Z');

describe("Bird's clock", () => {
  it('measures the offset from Date headers to within the header resolution and the round trip', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -3_600_000, max: 3_600_000 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 600_000 }), fc.integer({ min: 1, max: 400 })), { minLength: 1, maxLength: 8 }),
        (offset, requests) => {
          const samples = requests.map(([at, rtt]) => {
            const birdWrote = T + at + offset + rtt / 2;
            return { date: new Date(Math.floor(birdWrote / 1000) * 1000).toUTCString(), sentAt: T + at, receivedAt: T + at + rtt };
          });
          const measured = measureOffset(samples)!;
          expect(Math.abs(measured.offsetMs - offset)).toBeLessThanOrEqual(measured.uncertaintyMs + 1);
          expect(measured.uncertaintyMs).toBeLessThanOrEqual(1000);
        },
      ),
    );
  });

  it('no Date header: no window, absence refused', () => {
    expect(measureOffset([])).toBeUndefined();
    expect(birdWindow(T, T + 60_000, undefined, [], RULES)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/no Date header/) as unknown,
    });
  });

  it('corrects a small skew, refuses one past the bound', () => {
    const ahead = birdWindow(T, T + 60_000, { offsetMs: -120_000, uncertaintyMs: 500, samples: 3 }, [], RULES);
    expect(ahead).toMatchObject({ ok: true });
    if (ahead.ok) {
      expect(ahead.startAt).toBe(T - 120_000 - 120_500);
      expect(ahead.endAt).toBe(T + 60_000 - 120_000 + 120_500);
    }
    const far = birdWindow(T, T + 60_000, { offsetMs: -600_000, uncertaintyMs: 500, samples: 3 }, [], RULES);
    expect(far).toMatchObject({ ok: false, offsetMs: -600_000 });
    if (!far.ok) expect(far.reason).toMatch(/600 s ahead of Bird's/);
  });

  it("refuses when the run's own messages say the clock was different at send time", () => {
    const offset = { offsetMs: 0, uncertaintyMs: 500, samples: 2 };
    // Bird created it 10 minutes before the journal's time for it: the sender's clock was off then.
    const moved = birdWindow(T, T + 60_000, offset, [{ local: T + 30_000, bird: T + 30_000 - 600_000 }], RULES);
    expect(moved.ok).toBe(false);
    const fine = birdWindow(T, T + 60_000, offset, [{ local: T + 30_000, bird: T + 31_000 }], RULES);
    expect(fine.ok).toBe(true);
  });

  it('cuts a long window into pieces of at most 7 days, covering it exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 * 86_400_000 }), (length) => {
        const chunks = windowChunks(T, T + length);
        expect(chunks[0]![0]).toBe(T);
        expect(chunks.at(-1)![1]).toBe(T + length);
        for (const [a, b] of chunks) expect(b - a).toBeLessThanOrEqual(7 * 86_400_000);
        for (let i = 1; i < chunks.length; i++) expect(chunks[i]![0]).toBe(chunks[i - 1]![1]);
      }),
    );
  });
});

describe("Bird's answers, checked", () => {
  const message = {
    id: 'm1',
    status: 'delivered',
    createdAt: '2026-12-01T09:00:00Z',
    reference: 'chirp:x',
    receiver: { contacts: [{ identifierValue: '+31612345678' }] },
  };
  it('a listing page only when every result is a Bird message', () => {
    expect(parseListingPage({ results: [message], nextPageToken: 'n' })).toMatchObject({
      results: [{ id: 'm1', to: '+31612345678' }],
      nextPageToken: 'n',
    });
    expect(parseListingPage('<html>proxy</html>')).toEqual({ error: expect.stringMatching(/HTML page/) as unknown });
    expect(parseListingPage({})).toMatchObject({ error: expect.stringMatching(/no results array/) as unknown });
    expect(parseListingPage([message])).toMatchObject({ error: expect.stringMatching(/JSON array/) as unknown });
    expect(parseListingPage({ results: [{ ...message, status: 'weird' }] })).toMatchObject({
      error: expect.stringMatching(/result 1/) as unknown,
    });
    expect(parseListingPage({ results: [], nextPageToken: 5 })).toMatchObject({ error: expect.stringMatching(/nextPageToken/) as unknown });
  });
  it('a message keeps reason, scheduledFor and failure', () => {
    expect(
      parseMessage({
        ...message,
        status: 'skipped',
        reason: 'frequency capping',
        scheduledFor: '2026-12-03T00:00:00Z',
        failure: { code: 13001, description: 'x', source: { name: 'whatsapp' } },
      }),
    ).toMatchObject({
      status: 'skipped',
      reason: 'frequency capping',
      scheduledFor: '2026-12-03T00:00:00Z',
      failure: { code: '13001', description: 'x', source: 'whatsapp' },
    });
    expect(parseMessage({ status: 'sent' })).toEqual({ error: expect.stringMatching(/no id/) as unknown });
  });
  it('interactions counted by type', () => {
    expect(
      parseInteractions({ results: [{ type: 'read' }, { type: 'clicked' }, { type: 'opened' }, { type: 'reported-as-spam' }] }),
    ).toMatchObject({ counts: { read: 2, clicked: 1, other: 1 } });
    expect(parseInteractions('<html/>')).toMatchObject({ error: expect.stringMatching(/HTML/) as unknown });
  });
});

describe('the fake Bird after the 202', () => {
  let fake: FakeBird;
  const WS = 'ws';
  const CH = 'ch';
  const base = (): string => `${fake.url}/workspaces/${WS}/channels/${CH}/messages`;
  const auth = { authorization: 'AccessKey test-key', 'content-type': 'application/json' };
  let clockShift = 0;
  beforeEach(async () => {
    clockShift = 0;
    fake = await startFakeBird({ clock: () => Date.now() + clockShift });
  });
  afterEach(async () => {
    await fake.close();
  });
  async function sendN(n: number, extra: Record<string, unknown> = {}): Promise<void> {
    for (let i = 0; i < n; i++) {
      await request(base(), {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({
          receiver: { contacts: [{ identifierValue: `+3161234567${i}` }] },
          body: { type: 'text', text: { text: 'x' } },
          ...extra,
        }),
      }).then((r) => r.body.dump());
    }
  }
  const list = async (query: string): Promise<{ status: number; body: unknown; date: string | undefined }> => {
    const r = await request(`${base()}?${query}`, { headers: auth });
    const text = await r.body.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // HTML stays text
    }
    return { status: r.statusCode, body, date: r.headers.date as string | undefined };
  };

  it('lists in either order and within startAt/endAt; refuses a range over 7 days; can answer HTML', async () => {
    clockShift = -3_600_000;
    await sendN(2);
    clockShift = 0;
    await sendN(3);
    const newest = await list('limit=100');
    expect((newest.body as { results: { recipient?: string }[] }).results).toHaveLength(5);
    fake.setListing({ order: 'oldest-first' });
    const oldest = (await list('limit=2')).body as { results: { createdAt: string }[]; nextPageToken: string };
    expect(Date.parse(oldest.results[0]!.createdAt)).toBeLessThan(Date.now() - 3_000_000);
    const next = (await list(`limit=2&pageToken=${oldest.nextPageToken}`)).body as { results: unknown[] };
    expect(next.results).toHaveLength(2);
    const recent = (
      await list(`limit=100&startAt=${new Date(Date.now() - 60_000).toISOString()}&endAt=${new Date(Date.now() + 1000).toISOString()}`)
    ).body as { results: unknown[] };
    expect(recent.results).toHaveLength(3);
    expect(
      (await list(`limit=10&startAt=${new Date(Date.now() - 8 * 86_400_000).toISOString()}&endAt=${new Date().toISOString()}`)).status,
    ).toBe(400);
    fake.setListing({ requireTimeRange: true });
    expect((await list('limit=10')).status).toBe(400);
    fake.setListing({ html: true });
    const html = await list('limit=10');
    expect(html.status).toBe(200);
    expect(html.body).toMatch(/<html>/);
  });

  it("answers with its clock's Date, every status of a mix with reasons and failures, and interactions", async () => {
    clockShift = -600_000;
    await sendN(4);
    const answer = await list('limit=1');
    expect(Math.abs(Date.parse(answer.date!) - (Date.now() - 600_000))).toBeLessThan(2000);
    const assigned = fake.applyStatusMix({ skipped: 1, delivery_failed: 1, deleted: 1, delivered: 1 });
    expect([...assigned.values()]).toEqual(['skipped', 'delivery_failed', 'deleted', 'delivered']);
    const [skipped, failed, , delivered] = fake.accepted;
    const one = async (id: string): Promise<Record<string, unknown>> =>
      (await (await request(`${base()}/${id}`, { headers: auth })).body.json()) as Record<string, unknown>;
    expect(await one(skipped!.id)).toMatchObject({ status: 'skipped', reason: 'frequency capping' });
    expect(await one(failed!.id)).toMatchObject({ status: 'delivery_failed', failure: { code: 13001 } });
    fake.addInteraction(delivered!.id, 'read');
    const interactions = (await (await request(`${base()}/${delivered!.id}/interactions`, { headers: auth })).body.json()) as {
      results: { type: string }[];
    };
    expect(interactions.results.map((r) => r.type)).toEqual(['read']);
  });

  it('keeps a message scheduled more than 10 minutes ahead as `scheduled`', async () => {
    await sendN(1, { scheduledFor: new Date(Date.now() + 86_400_000).toISOString() });
    await sendN(1, { scheduledFor: new Date(Date.now() + 60_000).toISOString() });
    expect(fake.accepted.map((m) => m.status)).toEqual(['scheduled', 'accepted']);
  });
});

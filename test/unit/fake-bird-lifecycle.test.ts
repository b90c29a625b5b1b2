// The fake Bird moves accepted messages on by themselves (sent, then a seeded mix of final statuses),
// so `chirp status --wait` can end against it.
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeBird, type FakeBird, type FakeBirdOptions } from '../../src/fake-bird/index.js';

const SINGLE = '/workspaces/ws-1/channels/ch-1/messages';
const BATCH = '/workspaces/ws-1/channels/ch-1/batch/messages';
const HEADERS = { authorization: 'AccessKey test-key', 'content-type': 'application/json' };

let fake: FakeBird | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function request(to: string): Record<string, unknown> {
  return { receiver: { contacts: [{ identifierKey: 'phonenumber', identifierValue: to }] }, body: { type: 'text', text: { text: 'hi' } } };
}

async function start(options: FakeBirdOptions, now: { t: number }): Promise<FakeBird> {
  fake = await startFakeBird({ ...options, clock: () => now.t });
  return fake;
}

async function post(path: string, body: unknown): Promise<{ id: string }> {
  const res = await fetch(fake!.url + path, { method: 'POST', headers: HEADERS, body: JSON.stringify(body) });
  expect(res.status).toBe(202);
  return (await res.json()) as { id: string };
}

async function statusOf(id: string): Promise<{ status: string; failure?: { code?: number } }> {
  const res = await fetch(`${fake!.url}${SINGLE}/${id}`, { headers: HEADERS });
  return (await res.json()) as { status: string; failure?: { code?: number } };
}

async function listStatuses(): Promise<string[]> {
  const res = await fetch(`${fake!.url}${SINGLE}?limit=100`, { headers: HEADERS });
  return ((await res.json()) as { results: { status: string }[] }).results.map((m) => m.status);
}

describe('fake Bird lifecycle', () => {
  it('keeps messages accepted unless asked (tests that set statuses by hand stay in control)', async () => {
    const now = { t: 1_000 };
    await start({}, now);
    const { id } = await post(SINGLE, request('+31600000001'));
    now.t += 60_000;
    expect((await statusOf(id)).status).toBe('accepted');
  });

  it('moves a message from accepted to sent to its final status by age', async () => {
    const now = { t: 1_000 };
    await start({ lifecycle: { sentAfterMs: 100, finalAfterMs: 300, mix: { delivered: 1 } } }, now);
    const { id } = await post(SINGLE, request('+31600000001'));
    expect((await statusOf(id)).status).toBe('accepted');
    now.t += 100;
    expect((await statusOf(id)).status).toBe('sent');
    now.t += 200;
    expect(await statusOf(id)).toMatchObject({ status: 'delivered' });
    expect(await listStatuses()).toEqual(['delivered']);
  });

  it('draws a seeded mix: the same seed gives the same fates, failures carry a failure object', async () => {
    const fates = async (seed: number): Promise<string[]> => {
      const now = { t: 0 };
      await start({ lifecycle: { sentAfterMs: 0, finalAfterMs: 10, mix: { delivered: 1, delivery_failed: 1 }, seed } }, now);
      await post(BATCH, { messageRequests: Array.from({ length: 40 }, (_, i) => request(`+316000000${String(i).padStart(2, '0')}`)) });
      now.t += 10;
      const statuses = await listStatuses();
      const failed = fake!.accepted.filter((m) => m.status === 'delivery_failed');
      expect(failed.every((m) => typeof m.failure?.code === 'number')).toBe(true);
      await fake!.close();
      fake = undefined;
      return statuses;
    };
    const a = await fates(7);
    expect(a).toEqual(await fates(7));
    expect(a).not.toEqual(await fates(8));
    expect(new Set(a)).toEqual(new Set(['delivered', 'delivery_failed']));
  });

  it('lets a status set by hand win over the lifecycle', async () => {
    const now = { t: 0 };
    await start({ lifecycle: { sentAfterMs: 0, finalAfterMs: 10, mix: { delivered: 1 } } }, now);
    const { id } = await post(SINGLE, request('+31600000001'));
    fake!.setStatus(id, 'delivery_failed', { code: 470 });
    now.t += 1_000;
    expect(await statusOf(id)).toMatchObject({ status: 'delivery_failed', failure: { code: 470 } });
  });

  it('refuses a mix without any weight', async () => {
    await expect(startFakeBird({ lifecycle: { mix: { delivered: 0 } } })).rejects.toThrow(/at least one status/);
  });
});

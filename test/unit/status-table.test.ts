// `chirp status` reads a run into a compact table (src/status/run-table.ts, details.ts) instead of three
// Maps per recipient. These tests hold it to the Map-based reading it replaced, on random journals, and
// show what a 64-bit hash collision does: the ids two keys share are unknown, never asked about.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readJournal, type JournalRecord } from '../../src/journal/index.js';
import { hash64 } from '../../src/journal/key-index.js';
import { headerRecord, recordLine } from '../../src/journal/records.js';
import { testHeader } from '../helpers/journal.js';
import { loadDetails, readRunDetail, refreshStatuses, summarize, type Delivery } from '../../src/status/index.js';
import { WantedRefs } from '../../src/status/wanted.js';
import { shortKey } from '../../src/util/index.js';
import { tempDir } from '../helpers/temp.js';

const KEYS = Array.from({ length: 10 }, (_, i) => shortKey(`m\0+316000000${i}`));
const TIMES = ['2026-01-01T00:00:00.000Z', '2026-01-01T00:01:00.000Z', '2026-01-01T00:02:30.500Z', 'not a time'];
const HEADER = testHeader({ startedAt: TIMES[0]!, planned: 12 });

const keysArb = fc.uniqueArray(fc.constantFrom(...KEYS), { minLength: 1, maxLength: 4 });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const text = fc.constantFrom('', 'x', 'quota', 'chirp:m:00aa11bb22cc33dd44ee', 'a-much-longer-reference-than-a-slot-holds-0123456789');
const uuid = fc.constantFrom('3f2b1c4d-0000-4000-8000-00000000000a', '3F2B1C4D-0000-4000-8000-00000000000B', 'msg-1', '');
const status = fc.constantFrom(
  'accepted',
  'sent',
  'delivered',
  'scheduled',
  'delivery_failed',
  'rejected',
  'skipped',
  'deleted',
  'unknown',
);

const recordArb: fc.Arbitrary<JournalRecord> = fc.oneof(
  fc.record({
    t: fc.constant('intent' as const),
    b: fc.nat(4),
    keys: keysArb,
    at: fc.constantFrom(...TIMES),
    refs: maybe(
      fc.array(fc.constantFrom('chirp:m:00aa11bb22cc33dd44ee', 'chirp:m:0123456789abcdef0123', 'order-7', 'chirp:m:00'), { maxLength: 4 }),
    ),
  }),
  fc.record({
    t: fc.constant('outcome' as const),
    b: fc.nat(5),
    status: fc.constantFrom('accepted' as const, 'failed' as const, 'unknown' as const),
    at: fc.constantFrom(...TIMES),
    keys: maybe(keysArb),
    ids: maybe(fc.array(uuid, { maxLength: 4 })),
    code: maybe(fc.constantFrom('E1', 'E2', 'timeout')),
    message: maybe(text),
  }),
  fc.record({
    t: fc.constant('resolve' as const),
    keys: keysArb,
    status: fc.constantFrom('accepted' as const, 'resendable' as const),
    at: fc.constantFrom(...TIMES),
    via: fc.constantFrom('reconcile', 'not-sent:stopped'),
  }),
  fc.record({ t: fc.constant('skip' as const), keys: keysArb, reason: fc.constant('window_closed'), at: fc.constantFrom(...TIMES) }),
  fc.record({ t: fc.constant('resume' as const), at: fc.constantFrom(...TIMES), pid: fc.constant(1) }),
  fc.record({
    t: fc.constant('end' as const),
    at: fc.constantFrom(...TIMES),
    reason: fc.constantFrom('complete' as const, 'stopped' as const),
    summary: fc.record({ notSent: fc.nat(3), suppressed: fc.nat(2) }),
  }),
  fc.record({
    t: fc.constant('status' as const),
    at: fc.constantFrom(...TIMES),
    entries: fc.array(
      fc.oneof(
        fc.tuple(
          fc.constantFrom(...KEYS),
          status,
          uuid,
          maybe(fc.constantFrom('131026', '')),
          maybe(text),
          maybe(text),
          maybe(fc.constantFrom(...TIMES)),
          maybe(fc.constantFrom(...TIMES)),
        ),
        fc.tuple(fc.constantFrom(...KEYS), fc.constant('unknown'), uuid, fc.constant('lookup_failed'), maybe(text)),
      ),
      { maxLength: 4 },
    ),
  }),
);

function writeJournal(records: JournalRecord[]): string {
  const path = join(tempDir('status-table-'), 'r1.ndjson');
  writeFileSync(path, [headerRecord(HEADER), ...records].map((r) => `${recordLine(r)}\n`).join(''));
  return path;
}

/** The Map-based reading the table replaced (readRunDetail before #29), verbatim in what it kept. */
function mapModel(records: JournalRecord[]): { refs: Map<string, string>; deliveries: Map<string, Delivery> } {
  const refs = new Map<string, string>();
  const deliveries = new Map<string, Delivery>();
  for (const record of records) {
    if (record.t === 'intent' && record.refs)
      record.keys.forEach((key, i) => {
        const ref = record.refs![i];
        if (ref !== undefined) refs.set(key, ref);
      });
    if (record.t !== 'status') continue;
    for (const entry of record.entries) {
      const [key, status, id, code, description] = entry;
      const [, , , , , reason, scheduledFor, createdAt] = entry as unknown[];
      if (status === 'unknown' && code === 'lookup_failed') {
        const known = deliveries.get(key);
        deliveries.set(key, {
          ...(known ?? { status: 'accepted', ...(id ? { id } : {}) }),
          lookupError: description ?? 'the lookup failed',
        });
        continue;
      }
      deliveries.set(key, {
        status,
        ...(id ? { id } : {}),
        ...(code ? { code } : {}),
        ...(description ? { description } : {}),
        ...(typeof reason === 'string' ? { reason } : {}),
        ...(typeof scheduledFor === 'string' ? { scheduledFor } : {}),
        ...(typeof createdAt === 'string' ? { createdAt } : {}),
      });
    }
  }
  return { refs, deliveries };
}

// Bird's id and createdAt of a delivery are details: read for the ids that need them.
const withoutDetails = (d: Delivery | undefined, loaded: boolean) =>
  d ? { ...d, createdAt: undefined, ...(loaded ? {} : { id: undefined }) } : undefined;
const timeOf = (d: Delivery | undefined) => (d?.createdAt ? Date.parse(d.createdAt) : NaN);

describe('the compact run table', () => {
  it('reads every random journal as the Map-based reading did, key for key, and summarises it the same', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(recordArb, { maxLength: 30 }), async (records) => {
        const path = writeJournal(records);
        const state = await readJournal(path);
        const model = mapModel(records);
        const detail = await readRunDetail(path);
        await loadDetails(detail, { reconcile: true, interactions: true, failures: true });
        const { table } = detail;
        expect(detail.state.damage).toEqual(state.damage);
        expect(table.recipients()).toBe(state.recipients.size);
        expect(table.skippedOnly()).toBe([...state.skipped.keys()].filter((k) => !state.recipients.has(k)).length);
        for (const key of KEYS) {
          const id = table.keys.get(key);
          const s = state.recipients.get(key);
          const d = model.deliveries.get(key);
          if (id < 0) {
            expect(s ?? d ?? state.skipped.get(key)).toBeUndefined();
            continue;
          }
          const view = table.state(id);
          expect(view?.status).toBe(s?.status);
          expect([view?.code, view?.message, view?.via]).toEqual([s?.code, s?.message, s?.via]);
          expect(withoutDetails(table.delivery(id), table.loaded(id))).toEqual(withoutDetails(d, table.loaded(id)));
          // What refreshStatuses reads is read (and right) for every id it asks Bird about.
          if (table.loaded(id)) {
            expect(table.key(id)).toBe(key);
            expect(Object.is(view?.atMs, s ? Date.parse(s.at) : undefined)).toBe(true);
            expect(view?.id).toBe(s?.id);
            expect(table.ref(id)).toBe(model.refs.get(key));
            expect(Object.is(table.createdMs(id), timeOf(d))).toBe(true);
          } else expect(s?.status === 'unknown' || (s?.status === 'accepted' && !d)).toBe(false);
        }
        // The summary: the same counts as the Map model gives by hand.
        const summary = summarize(state.header, table, {
          birdNow: 0,
          run: { planned: 12, ended: state.ended, endSummary: state.endSummary },
        });
        let sendFailed = 0;
        let unknown = 0;
        let withdrawn = 0;
        let resendable = 0;
        const byStatus: Record<string, number> = {};
        for (const [key, s] of state.recipients) {
          if (s.status === 'failed') sendFailed++;
          else if (s.status === 'unknown' || s.status === 'pending') unknown++;
          else if (s.status === 'resendable') {
            if (s.via?.startsWith('not-sent:')) withdrawn++;
            else resendable++;
          } else {
            const st = model.deliveries.get(key)?.status ?? 'accepted';
            byStatus[st] = (byStatus[st] ?? 0) + 1;
          }
        }
        const closed = [...state.skipped.keys()].filter((k) => !state.recipients.has(k)).length;
        expect(summary).toMatchObject({ sendFailed, unknown, resendable, windowClosed: closed });
        expect(summary.byStatus).toEqual(byStatus);
        expect(summary.recipients).toBe(state.recipients.size + closed - withdrawn);
      }),
      { numRuns: 300 },
    );
  });

  it('makes an id two keys share (a 64-bit collision) unknown once seen, never counted as sent, never asked about', async () => {
    const [a, b, c] = KEYS as [string, string, string];
    const collide = (key: string): [number, number] => (key === a || key === b ? [7, 7] : hash64(key));
    const at = TIMES[0]!;
    const path = writeJournal([
      { t: 'intent', b: 0, keys: [a], at, refs: ['chirp:m:00aa11bb22cc33dd44ee'] },
      { t: 'outcome', b: 0, status: 'failed', at, http: 400, code: 'E1' },
      { t: 'intent', b: 1, keys: [b, c], at, refs: ['chirp:m:0123456789abcdef0123', 'chirp:m:00'] },
      { t: 'outcome', b: 1, status: 'accepted', at, http: 202 },
      {
        t: 'status',
        at,
        entries: [[b, 'delivered', '3f2b1c4d-0000-4000-8000-00000000000a', undefined, undefined, undefined, undefined, at]],
      },
    ]);
    const detail = await readRunDetail(path, collide);
    const { table } = detail;
    const header = detail.state.header;
    // One pass only: a and b read as one recipient; the one hidden shows as never sent, the run as unfinished.
    const first = summarize(header, table, { birdNow: 0, run: { planned: 3, ended: 'complete' } });
    expect(first).toMatchObject({ recipients: 2, delivered: 1, notSent: 1, unfinished: true, final: false });
    // Read whole, the shared id is ambiguous: unknown, and neither key is asked about or written back.
    await loadDetails(detail, { reconcile: true, failures: true });
    expect([...table.ambiguous]).toEqual([table.keys.get(a)]);
    const second = summarize(header, table, { birdNow: 0, run: { planned: 3, ended: 'complete' } });
    expect(second).toMatchObject({ delivered: 0, accepted: 1, unknown: 1, sendFailed: 0 });
    const asked: string[] = [];
    const transport = {
      get: (path: string) => {
        asked.push(path);
        return Promise.resolve({ kind: 'unknown' as const, reason: 'offline' });
      },
    };
    const refresh = await refreshStatuses(detail, {
      transport: transport as never,
      channelId: 'c',
      reconcile: true,
      messageId: 'm',
      graceMs: 0,
      now: Date.parse(at) + 3_600_000,
    });
    expect([...refresh.updates.keys()]).not.toContain(a);
    expect([...refresh.updates.keys()]).not.toContain(b);
    expect([...refresh.resolved.accepted, ...refresh.resolved.resendable]).toEqual([]);
    expect(asked.every((p) => !p.includes('3f2b1c4d'))).toBe(true);
  });

  it('matches a listed reference only whole: two references sharing a hash find only their own keys, and neither is declared absent', async () => {
    const at = TIMES[0]!;
    const [r1, r2] = ['chirp:m:00aa11bb22cc33dd44ee', 'chirp:m:0123456789abcdef0123'];
    const path = writeJournal([{ t: 'intent', b: 0, keys: KEYS.slice(0, 3), at, refs: [r1, r2, r1] }]);
    const detail = await readRunDetail(path);
    await loadDetails(detail, { reconcile: true });
    const wanted = new WantedRefs(detail.table, () => [7, 7]);
    for (let id = 0; id < 3; id++) wanted.add(id, detail.table.ref(id)!);
    expect(wanted.ids(r1)).toEqual([0, 2]);
    expect(wanted.ids(r2)).toEqual([1]);
    expect(wanted.ids('chirp:m:ffffffffffffffffffff')).toEqual([]);
    wanted.take(0);
    expect([wanted.ids(r1), wanted.size]).toEqual([[2], 2]);
    wanted.markSeen(r1);
    expect([wanted.seen(r1), wanted.seen(r2)]).toEqual([true, true]);
  });

  it('summarises a 100,000-recipient run in a 32 MB old space (the Map-based reading runs out of it)', () => {
    const dist = fileURLToPath(new URL('../../dist/status/index.js', import.meta.url));
    const records: string[] = [recordLine(headerRecord({ ...HEADER, planned: 100_000 }))];
    const at = TIMES[0]!;
    const key = (i: number) => `k${String(i).padStart(21, '0')}`;
    for (let b = 0; b < 1000; b++) {
      const keys = Array.from({ length: 100 }, (_, i) => key(b * 100 + i));
      records.push(recordLine({ t: 'intent', b, keys, at, refs: keys.map((k) => `chirp:m:${k.slice(-20)}`) }));
      records.push(
        recordLine({ t: 'outcome', b, status: b === 7 ? 'failed' : 'accepted', at, http: 202, code: b === 7 ? 'E1' : undefined }),
      );
      records.push(
        recordLine({ t: 'status', at, entries: keys.map((k, i) => [k, i % 10 === 0 ? 'delivery_failed' : 'delivered', `id-${k}`]) }),
      );
    }
    const path = join(tempDir('status-table-big-'), 'r1.ndjson');
    writeFileSync(path, records.join('\n') + '\n');
    const script = `
      const { readRunDetail, summarize } = await import(${JSON.stringify(dist)});
      const d = await readRunDetail(${JSON.stringify(path)});
      const s = summarize(d.state.header, d.table, { birdNow: 0, run: { planned: d.state.header.planned, ended: 'complete' } });
      console.log(JSON.stringify({ recipients: s.recipients, delivered: s.delivered, failed: s.failed, sendFailed: s.sendFailed, notSent: s.notSent }));`;
    const child = spawnSync(process.execPath, ['--max-old-space-size=32', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({ recipients: 100_000, delivered: 89_910, failed: 9_990, sendFailed: 100, notSent: 0 });
  }, 30_000);
});

// The first `chirp status` after a big send asks Bird about every message (#29): what it holds per
// recipient must stay in fixed-size columns. These tests count what the run table holds after a refresh
// of N answered ids (bytes of its columns, nothing pooled, no index of references), and hold the packed
// columns to reading back exactly what was written.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { headerRecord, recordLine, type JournalRecord, type StatusRecord } from '../../src/journal/records.js';
import { testHeader } from '../helpers/journal.js';
import { loadDetails, readRunDetail, refreshStatuses, statusEntry, type StatusSink } from '../../src/status/index.js';
import { StringColumn, TimeColumn } from '../../src/status/columns.js';
import { recipientKey } from '../../src/send/index.js';
import { sha256Hex, shortKey } from '../../src/util/index.js';
import { tempDir } from '../helpers/temp.js';

const AT = '2026-01-01T00:00:00.000Z';
const N = 3000;
const phone = (i: number): string => `+3162${String(i).padStart(7, '0')}`;
const key = (i: number): string => recipientKey('m', phone(i), 1);
const ref = (i: number): string => `chirp:m:${sha256Hex(`ref${i}`).slice(0, 20)}`;
const birdId = (i: number): string => {
  const h = sha256Hex(`id${i}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

/** A finished batch send of N recipients, no status asked yet. */
function journal(): string {
  const header = testHeader({ startedAt: AT, planned: N });
  const records: JournalRecord[] = [];
  for (let b = 0; b * 100 < N; b++) {
    const ids = Array.from({ length: 100 }, (_, i) => b * 100 + i);
    records.push({ t: 'intent', b, keys: ids.map(key), at: AT, refs: ids.map(ref) });
    records.push({ t: 'outcome', b, status: 'accepted', at: AT, http: 202 });
  }
  const path = join(tempDir('status-memory-'), 'r1.ndjson');
  writeFileSync(path, [headerRecord(header), ...records].map((r) => `${recordLine(r)}\n`).join(''));
  return path;
}

/** Bird's listing of every message of the run, delivered, 100 a page (`receivers`: with the receiver). */
function listing(receivers: boolean) {
  return {
    get(path: string) {
      const page = Number(new URL(path, 'http://x').searchParams.get('pageToken') ?? '0');
      const results = [];
      for (let i = page * 100; i < Math.min(N, (page + 1) * 100); i++)
        results.push({
          id: birdId(i),
          status: 'delivered',
          createdAt: '2026-01-01T00:00:01.000Z',
          reference: ref(i),
          ...(receivers ? { receiver: { contacts: [{ identifierValue: phone(i) }] } } : {}),
        });
      const next = (page + 1) * 100 < N ? String(page + 1) : undefined;
      return Promise.resolve({ http: 200, date: new Date().toUTCString(), body: { results, ...(next ? { nextPageToken: next } : {}) } });
    },
  };
}

async function refreshAll(receivers: boolean, sink?: StatusSink, transport: { get(path: string): Promise<unknown> } = listing(receivers)) {
  const detail = await readRunDetail(journal());
  await loadDetails(detail, { reconcile: false });
  const refresh = await refreshStatuses(detail, {
    transport: transport as never,
    channelId: 'c',
    reconcile: false,
    messageId: 'm',
    graceMs: 0,
    now: Date.parse(AT) + 3_600_000,
    ...(sink ? { sink } : {}),
  });
  return { table: detail.table, refresh };
}

type Entries = StatusRecord['entries'];

describe('what a refresh of every message holds per recipient', () => {
  it('N answered ids: every answer in the table, in fixed slots of at most 58 bytes an id, nothing pooled, no reference indexed', async () => {
    const { table, refresh } = await refreshAll(true);
    expect(refresh.updates.size).toBe(N);
    expect(refresh.listing?.complete).toBe(true);
    for (const i of [0, 1, 1234, N - 1]) {
      const id = table.keys.get(key(i));
      expect(table.key(id)).toBe(key(i));
      expect(table.ref(id)).toBe(ref(i));
      expect(table.delivery(id)).toEqual({ status: 'delivered', id: birdId(i), createdAt: '2026-01-01T00:00:01.000Z' });
    }
    // A listed message with a receiver names its key: no index of references (it cost ~30 bytes an id).
    expect(refresh.indexedRefs).toBe(0);
    // Status, codes, key (17), reference (11), Bird's id (16), two times (4 each), a kind byte per string column.
    const { bytes, pooled } = table.footprint();
    expect(pooled).toBe(0);
    expect(bytes).toBeLessThanOrEqual(58 * table.capacity);
  });

  it('before the write-back of a status that refreshes once, references and send times go: 42 bytes an id, and no refresh may follow', async () => {
    const { table } = await refreshAll(true);
    table.releaseRefreshDetails();
    expect(table.footprint().bytes).toBeLessThanOrEqual(42 * table.capacity);
    // What the write-back, the summary and the failures file read stays.
    const id = table.keys.get(key(42));
    expect([table.key(id), table.delivery(id)?.id, table.state(id)?.status]).toEqual([key(42), birdId(42), 'accepted']);
    expect(() => table.ref(id)).toThrow(/let go/);
    const detail = { table } as Parameters<typeof refreshStatuses>[0];
    await expect(
      refreshStatuses(detail, { transport: listing(true) as never, channelId: 'c', reconcile: false, messageId: 'm', graceMs: 0, now: 0 }),
    ).rejects.toThrow(/let go/);
  });

  it("with a sink (a status that refreshes once) each answer is written as the listing goes, and Bird's ids and times are not held, nor the send times once the window is read: 33 bytes an id", async () => {
    let pages = 0;
    const inner = listing(true);
    const counting = {
      get(path: string) {
        if (path.includes('limit=100')) pages++;
        return inner.get(path);
      },
    };
    const saved: { pages: number; entries: Entries }[] = [];
    const sink: StatusSink = {
      chunk: 1000,
      save: (entries) => {
        saved.push({ pages, entries });
        return Promise.resolve(true);
      },
    };
    const { table, refresh } = await refreshAll(true, sink, counting);
    expect(refresh.updates.size).toBe(N);
    expect(refresh.updates.written).toBe(true);
    // A record of `chunk` entries each time ten pages of 100 have answered: written while listing, not after.
    expect(saved.map((s) => [s.pages, s.entries.length])).toEqual([
      [10, 1000],
      [20, 1000],
      [30, 1000],
    ]);
    // The very entries the write-back of a refresh that keeps everything builds from its table (same order, same fields).
    const kept = await refreshAll(true);
    const expected = [...kept.refresh.updates].map(([k, d]) => statusEntry(k, d));
    expect(expected[0]).toEqual([key(0), 'delivered', birdId(0), undefined, undefined, undefined, undefined, '2026-01-01T00:00:01.000Z']);
    expect(saved.flatMap((s) => s.entries)).toEqual(expected);
    // Held per id: status, codes (3), key (18), reference (12); no Bird id, createdAt or send time column.
    const { bytes, pooled } = table.footprint();
    expect(pooled).toBe(0);
    expect(bytes).toBeLessThanOrEqual(33 * table.capacity);
    expect(kept.table.footprint().bytes - bytes).toBeGreaterThanOrEqual(25 * N);
    expect(table.state(table.keys.get(key(5)))?.atMs).toBeNaN();
    // What the summary and the failures file read stays; the id is in the journal only.
    const id = table.keys.get(key(5));
    expect([table.key(id), table.deliveryStatus(id), table.delivery(id)]).toEqual([key(5), 'delivered', { status: 'delivered' }]);
    table.releaseRefreshDetails();
    expect(table.footprint().bytes).toBeLessThanOrEqual(21 * table.capacity);
  });

  it('with a sink and another refresh to follow (status --wait): final answers are written and not held; one not final keeps its Bird id, which the next refresh asks it by', async () => {
    const inner = listing(true);
    // Bird lists the even messages as sent (not final), the odd ones delivered; asked by id later, each is delivered.
    const asked: string[] = [];
    const transport = {
      async get(path: string) {
        const byId = /\/messages\/([^?/]+)$/.exec(path);
        if (byId) {
          asked.push(decodeURIComponent(byId[1]!));
          return {
            http: 200,
            date: new Date().toUTCString(),
            body: { id: decodeURIComponent(byId[1]!), status: 'delivered', createdAt: '2026-01-01T00:00:01.000Z' },
          };
        }
        const answer = (await inner.get(path)) as { body: { results: { status: string; id: string }[] } };
        answer.body.results = answer.body.results.map((m) =>
          Number.parseInt(m.id.slice(0, 8), 16) % 2 === 0 ? { ...m, status: 'sent' } : m,
        );
        return answer;
      },
    };
    const notFinal = (i: number): boolean => Number.parseInt(birdId(i).slice(0, 8), 16) % 2 === 0;
    const saved: Entries = [];
    const sink: StatusSink = {
      chunk: 1000,
      save: (entries) => {
        saved.push(...entries);
        return Promise.resolve(true);
      },
    };
    const detail = await readRunDetail(journal());
    await loadDetails(detail, { reconcile: false });
    const options = {
      transport: transport as never,
      channelId: 'c',
      reconcile: false,
      messageId: 'm',
      graceMs: 0,
      now: Date.parse(AT) + 3_600_000,
      sink,
      again: true,
    };
    const first = await refreshStatuses(detail, options);
    expect(first.updates.size).toBe(N);
    expect(saved).toHaveLength(N);
    const { table } = detail;
    const waiting = Array.from({ length: N }, (_, i) => i).filter(notFinal);
    expect(waiting.length).toBeGreaterThan(N / 4);
    for (const i of [0, 1, 2, 3, 1234, N - 1]) {
      const d = table.delivery(table.keys.get(key(i)));
      expect(d).toEqual(notFinal(i) ? { status: 'sent', id: birdId(i), createdAt: '2026-01-01T00:00:01.000Z' } : { status: 'delivered' });
      // The send times stay: a later refresh's listing window is read from them.
      expect(table.state(table.keys.get(key(i)))?.atMs).toBe(Date.parse(AT));
    }
    // The next round asks exactly the answers that were not final, by the ids kept, and lists nothing.
    const second = await refreshStatuses(detail, options);
    expect(second.listing).toBeUndefined();
    expect(asked.sort()).toEqual(waiting.map(birdId).sort());
    expect(table.deliveryStatus(table.keys.get(key(waiting[0]!)))).toBe('delivered');
  });

  it('a listing without receivers still finds each message by its reference (unique, chirp:), indexing them only then', async () => {
    const { table, refresh } = await refreshAll(false);
    expect(refresh.updates.size).toBe(N);
    expect(refresh.indexedRefs).toBe(N);
    expect(table.delivery(table.keys.get(key(7)))?.id).toBe(birdId(7));
  });
});

describe('packed columns read back exactly what was written', () => {
  const strings = fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme', maxLength: 30 }),
    fc.nat().map((i) => shortKey(`k${i}`)),
    fc.nat().map((i) => `chirp:m:${sha256Hex(`r${i}`).slice(0, 20)}`),
    fc.nat().map((i) => `chirp:m:${sha256Hex(`r${i}`).slice(0, 2 * (1 + (i % 20)))}`),
    fc.uuid(),
    fc.uuid().map((u) => u.toUpperCase()),
    fc.stringMatching(/^[A-Za-z0-9_-]{20,24}$/),
    fc.stringMatching(/^[0-9a-f]{1,40}$/),
  );

  it('StringColumn: keys, references, UUIDs and anything else, in every slot size used', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(11, 16, 17),
        fc.array(fc.tuple(fc.nat(40), fc.option(strings, { nil: undefined })), { maxLength: 60 }),
        (slot, writes) => {
          const column = new StringColumn(slot);
          const model = new Map<number, string | undefined>();
          for (const [id, value] of writes) {
            column.set(id, value, 8);
            model.set(id, value);
          }
          for (let id = 0; id <= 41; id++) expect(column.get(id)).toBe(model.get(id));
        },
      ),
    );
  });

  it('TimeColumn: times near each other in 4 bytes, anything else (NaN, far apart, fractions) exactly', () => {
    const time = fc.oneof(
      fc.integer({ min: -5_000_000, max: 5_000_000 }).map((d) => Date.parse(AT) + d),
      fc.integer({ min: -8.64e15, max: 8.64e15 }),
      fc.double({ noNaN: false }),
      fc.constant(NaN),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(40), time), { maxLength: 60 }), (writes) => {
        const column = new TimeColumn();
        const model = new Map<number, number>();
        for (const [id, ms] of writes) {
          column.set(id, ms, 8);
          model.set(id, ms);
        }
        for (let id = 0; id <= 41; id++) expect(Object.is(column.get(id), model.get(id) ?? NaN)).toBe(true);
      }),
    );
  });
});

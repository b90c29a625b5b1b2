// Review of wait-sink (#29): a sink write refused midway through a refresh (a send took the run). The
// chunks written before stay written; every answer not written is left to the write-back, whole: with
// Bird's id and createdAt (what `status --interactions` and a later reconcile's clock anchors read).
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { headerRecord, recordLine, type JournalRecord, type StatusRecord } from '../../src/journal/records.js';
import { testHeader } from '../helpers/journal.js';
import { loadDetails, readRunDetail, refreshStatuses, type StatusSink } from '../../src/status/index.js';
import { recipientKey } from '../../src/send/index.js';
import { sha256Hex } from '../../src/util/index.js';
import { tempDir } from '../helpers/temp.js';

const AT = '2026-01-01T00:00:00.000Z';
const CREATED = '2026-01-01T00:00:01.000Z';
const N = 300;
const phone = (i: number): string => `+3162${String(i).padStart(7, '0')}`;
const key = (i: number): string => recipientKey('m', phone(i), 1);
const ref = (i: number): string => `chirp:m:${sha256Hex(`ref${i}`).slice(0, 20)}`;
const birdId = (i: number): string => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

function journal(): string {
  const records: JournalRecord[] = [];
  for (let b = 0; b * 100 < N; b++) {
    const ids = Array.from({ length: 100 }, (_, i) => b * 100 + i);
    records.push({ t: 'intent', b, keys: ids.map(key), at: AT, refs: ids.map(ref) });
    records.push({ t: 'outcome', b, status: 'accepted', at: AT, http: 202 });
  }
  const path = join(tempDir('status-sink-refused-'), 'r1.ndjson');
  writeFileSync(path, [headerRecord(testHeader({ startedAt: AT, planned: N })), ...records].map((r) => `${recordLine(r)}\n`).join(''));
  return path;
}

/** Every message delivered (final), 100 a page, with its receiver. */
const transport = {
  get(path: string) {
    const page = Number(new URL(path, 'http://x').searchParams.get('pageToken') ?? '0');
    const results = [];
    for (let i = page * 100; i < Math.min(N, (page + 1) * 100); i++)
      results.push({
        id: birdId(i),
        status: 'delivered',
        createdAt: CREATED,
        reference: ref(i),
        receiver: { contacts: [{ identifierValue: phone(i) }] },
      });
    const next = (page + 1) * 100 < N ? String(page + 1) : undefined;
    return Promise.resolve({ http: 200, date: new Date().toUTCString(), body: { results, ...(next ? { nextPageToken: next } : {}) } });
  },
};

describe('a sink refused in the middle of a refresh', () => {
  for (const again of [false, true])
    it(`keeps what it wrote written and leaves the rest, whole, to the write-back${again ? ' (--wait)' : ''}`, async () => {
      const saved: StatusRecord['entries'] = [];
      let saves = 0;
      let refused = false;
      const sink: StatusSink = {
        chunk: 100,
        save: (entries) => {
          if (refused) return Promise.resolve(false);
          // The second write finds a send holding the run.
          if (++saves === 2) refused = true;
          else saved.push(...entries);
          return Promise.resolve(!refused);
        },
        get refused() {
          return refused;
        },
      };
      const detail = await readRunDetail(journal());
      await loadDetails(detail, { reconcile: false });
      const refresh = await refreshStatuses(detail, {
        transport: transport as never,
        channelId: 'c',
        reconcile: false,
        messageId: 'm',
        graceMs: 0,
        now: Date.parse(AT) + 3_600_000,
        sink,
        again,
      });
      const { table } = detail;
      expect(refresh.updates.size).toBe(N);
      expect(refresh.updates.written).toBe(false);
      expect(saved).toHaveLength(100);
      const written = new Set(saved.map((e) => e[0]));
      const unwritten = [...refresh.updates.unwritten()].map((id) => table.key(id));
      // Every answer is either written or to be written back; none both, none neither.
      expect(unwritten).toHaveLength(N - 100);
      for (const k of unwritten) expect(written.has(k)).toBe(false);
      for (let i = 0; i < N; i++) {
        const id = table.keys.get(key(i));
        const d = table.delivery(id)!;
        expect(d.status).toBe('delivered');
        expect(refresh.updates.wrote(id)).toBe(written.has(key(i)));
        // To be written back from the table: Bird's id and createdAt with it, as the sink would have written them.
        if (!written.has(key(i))) expect(d).toEqual({ status: 'delivered', id: birdId(i), createdAt: CREATED });
      }
    });
});

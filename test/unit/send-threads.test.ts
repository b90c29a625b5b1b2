// A send whose whole-list check renders on worker threads sends what a send on one thread sends:
// the same requests, byte for byte (the journal's request hashes), in the same order (one request in
// flight), to the same recipients, with the same report. Random CSV rows through the three messages of
// the render-threads catalog, mostly clean rows (so the run sends) and some with every kind of bad cell
// (so it is refused, and the refusal must agree too), with worker batches of 1–5 rows. The property runs
// the build (a worker of the sources loads them through tsx first, ≈ 1 s of CPU per send); the second
// case shows both check on a worker.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeBird, type FakeBird } from '../../src/fake-bird/index.js';
import { BatchPool } from '../../src/render/index.js';
import { send } from '../../src/usecases/send.js';
import { built, catalog, COLUMNS, csvCell, rowArb } from '../helpers/render-threads.js';
import { tempDir } from '../helpers/temp.js';

const KEY = 'send-threads-key';
const build = await built();
let fake: FakeBird;
/** Each message Bird was asked to create, as it arrived. */
let arrived: string[] = [];
beforeAll(async () => {
  fake = await startFakeBird({
    accessKey: KEY,
    validate: (body) => {
      arrived.push(JSON.stringify(body));
      return { ok: true };
    },
  });
});
afterAll(async () => {
  await fake.close();
});

/** Rows every message of the catalog renders (a few opted out or without opt-in, some repeated recipients). */
const cleanRowArb = fc.record({
  phone: fc.integer({ min: 0, max: 30 }).map((i) => `+3161234${String(5600 + i)}`),
  lang: fc.constantFrom('nl', 'en', 'fr', 'pt-br', ''),
  name: fc.constantFrom('Ada', 'Zoë', 'a "quoted", name', 'constructor'),
  count: fc.constantFrom('42', '0', ''),
  'address.city': fc.constantFrom('Delft', 'São Paulo', ''),
  optin: fc.constantFrom('yes', 'yes', 'yes', 'no'),
  first_name: fc.constantFrom('Ada', 'Lucía'),
  trial_days: fc.constantFrom('14', '30', '90'),
});

interface Outcome {
  report: Record<string, unknown>;
  /** Per batch: the recipient keys, references and request hashes of its intent. */
  intents: unknown[];
  arrived: string[];
}

async function sendAll(
  root: string,
  message: string,
  data: string,
  threads: number,
  batchSize: number,
  batchRows: number,
  sendWith: typeof send = build.send,
): Promise<Outcome> {
  const journal = tempDir('chirp-send-threads-');
  arrived = [];
  const run = await sendWith({
    cwd: root,
    env: { BIRD_API_URL: fake.url, BIRD_ACCESS_KEY: KEY },
    message,
    data: { path: data },
    journal,
    batchSize,
    concurrency: 1,
    rate: 10_000,
    offlineTemplates: true,
    confirm: () => Promise.resolve(true),
    randomId: () => 'abcdef',
    threads,
    batchRows,
  });
  const intents: unknown[] = [];
  for (const name of readdirSync(journal).filter((f) => f.endsWith('.ndjson'))) {
    for (const line of readFileSync(join(journal, name), 'utf8').split('\n')) {
      if (!line.startsWith('{')) continue;
      const record = JSON.parse(line) as { t: string; keys?: string[]; refs?: string[]; h?: string[]; b?: number };
      if (record.t === 'intent') intents.push({ b: record.b, keys: record.keys, refs: record.refs, h: record.h });
    }
  }
  // What differs between two runs by design: the run's id (its start time) and its timings.
  const { runId: _runId, journal: _journal, seconds: _seconds, ...report } = run.report as unknown as Record<string, unknown>;
  return {
    report: JSON.parse(JSON.stringify(report).replaceAll(run.report.runId ?? '\0', 'RUN')) as Record<string, unknown>,
    intents,
    arrived,
  };
}

function writeRows(root: string, name: string, rows: Record<string, string>[]): string {
  const data = join(root, name);
  writeFileSync(data, [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => csvCell(r[c]!)).join(','))].join('\n') + '\n');
  return data;
}

describe('send on worker threads', () => {
  it('sends the same requests in the same order, and reports the same, as one thread', async () => {
    const root = catalog();
    let n = 0;
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('local', 'recv', 'onboarding/welcome-template'),
        fc.oneof(
          { weight: 3, arbitrary: fc.array(cleanRowArb, { minLength: 0, maxLength: 30 }) },
          { weight: 1, arbitrary: fc.array(rowArb, { minLength: 0, maxLength: 30 }) },
        ),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 5 }),
        async (message, rows, batchSize, batchRows) => {
          const data = writeRows(root, `rows-${n++}.csv`, rows);
          const one = await sendAll(root, message, data, 1, batchSize, batchRows);
          const two = await sendAll(root, message, data, 2, batchSize, batchRows);
          expect(two).toEqual(one);
          // Every message that arrived was journalled (so the hashes above cover the bytes sent).
          expect((one.intents as { h: string[] }[]).reduce((sum, i) => sum + i.h.length, 0)).toBe(one.arrived.length);
          sent += one.arrived.length;
        },
      ),
      // Each threaded run starts a worker: no shrinking (a failure prints its rows as found).
      { numRuns: 12, endOnFailure: true },
    );
    // The property compared sends, not only refusals.
    expect(sent).toBeGreaterThan(0);
  }, 180_000);

  it('really checks on a worker with two threads, and not with --window check or one thread', async () => {
    const root = catalog();
    const rows = Array.from({ length: 40 }, (_, i) => ({
      phone: `+3161234${String(5600 + i)}`,
      lang: 'nl',
      name: `Name ${i}`,
      count: String(i),
      'address.city': 'Delft',
      optin: 'yes',
      first_name: 'x',
      trial_days: '1',
    }));
    const data = writeRows(root, 'many.csv', rows);
    // The build (what the property runs) and the sources (a worker through tsx) alike.
    const builtRun = vi.spyOn(build.BatchPool.prototype, 'run');
    try {
      const one = await sendAll(root, 'local', data, 1, 100, 2);
      expect(builtRun).not.toHaveBeenCalled();
      const two = await sendAll(root, 'local', data, 2, 100, 2);
      expect(builtRun).toHaveBeenCalled();
      expect(two).toEqual(one);
    } finally {
      builtRun.mockRestore();
    }
    const run = vi.spyOn(BatchPool.prototype, 'run');
    try {
      const one = await sendAll(root, 'local', data, 1, 100, 2, send);
      expect(run).not.toHaveBeenCalled();
      const two = await sendAll(root, 'local', data, 2, 100, 2, send);
      expect(run).toHaveBeenCalled();
      expect(two).toEqual(one);
      expect(one.arrived).toHaveLength(40);
      expect((one.intents[0] as { h: string[] }).h).toHaveLength(40);
      // --window check renders a closed window's fallback from the row's typed values: on this thread only.
      run.mockClear();
      const checked = await send({
        cwd: root,
        env: { BIRD_API_URL: fake.url, BIRD_ACCESS_KEY: KEY },
        message: 'local',
        data: { path: data },
        journal: tempDir('chirp-send-threads-'),
        window: 'check',
        dryRun: true,
        threads: 2,
        batchRows: 2,
      });
      expect(run).not.toHaveBeenCalled();
      expect(checked.report.recipients).toBe(40);
    } finally {
      run.mockRestore();
    }
  }, 60_000);
});

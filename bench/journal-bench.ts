// Reading a big run's journal: peak RSS and time of `chirp status` and `chirp journal check` on a
// journal of N recipients (batch sends of 100, accepted, every delivery already recorded as final by an
// earlier `status`, so `status` reads the journal and asks Bird nothing). Memory must stay bounded:
// under 150 MB peak RSS at 1,000,000 recipients for both (`--quick`: 100,000 only).
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { headerRecord, recordLine, type StatusRecord } from '../src/journal/records.js';
import { sha256Hex, shortKey } from '../src/util/index.js';
import { benchCatalog } from './fixtures.js';
import { fmt, measureNode, table } from './measure.js';

const GOAL_MB = 150;
const CLI = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
const WS = '2f1c3a4e-0000-4000-8000-000000000001';
const CH = '9b8c7d6e-0000-4000-8000-000000000002';

const uuid = (i: number): string => {
  const h = sha256Hex(`id${i}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};
/** As recipientKey('bench', phone, 1). */
const key = (i: number): string => shortKey(`bench\0+3162${String(i).padStart(7, '0')}`);
const ref = (k: string): string => `chirp:bench:${sha256Hex(`ref${k}`).slice(0, 20)}`;

/** A journal folder holding one finished run of `recipients` keys. */
export async function bigJournal(recipients: number, options: { asked?: boolean } = {}): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'chirp-bench-journal-'));
  mkdirSync(dir, { recursive: true });
  const runId = `bench-${recipients}`;
  const out = createWriteStream(join(dir, `${runId}.ndjson`));
  const write = async (line: string): Promise<void> => {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  };
  const at = '2026-01-01T00:00:00.000Z';
  await write(
    recordLine(
      headerRecord({
        runId,
        messageId: 'bench',
        definitionHash: `sha256:${'0'.repeat(64)}`,
        dataHash: `sha256:${'1'.repeat(64)}`,
        chirpVersion: '0.0.0-bench',
        startedAt: at,
        channelId: CH,
        workspace: WS,
        apiOrigin: 'http://127.0.0.1:9',
        platform: 'whatsapp',
        planned: recipients,
        options: {},
      }),
    ),
  );
  for (let b = 0; b * 100 < recipients; b++) {
    const keys: string[] = [];
    for (let i = b * 100; i < Math.min(recipients, (b + 1) * 100); i++) keys.push(key(i));
    // As src/render/compile.ts makes them: `chirp:<message>:<20 hex digits>`.
    const refs = keys.map(ref);
    const h = keys.map((k) => shortKey(`h${k}`));
    await write(recordLine({ t: 'intent', b, keys, at, refs, h }));
    await write(recordLine({ t: 'outcome', b, status: 'accepted', at, http: 202, batchId: `batch-${b}` }));
  }
  // `asked`: no status recorded yet, as after the send: status asks Bird about every message.
  for (let from = 0; from < (options.asked ? 0 : recipients); from += 1000) {
    // As `chirp status` writes them after a listing: Bird's id (a UUID) and createdAt; the fields between are null.
    const entries: StatusRecord['entries'] = [];
    for (let i = from; i < Math.min(recipients, from + 1000); i++)
      entries.push([key(i), 'delivered', uuid(i), undefined, undefined, undefined, undefined, at]);
    await write(recordLine({ t: 'status', at, entries }));
  }
  await write(recordLine({ t: 'end', at, reason: 'complete', summary: { accepted: recipients, notSent: 0 } }));
  out.end();
  await once(out, 'close');
  return dir;
}

/** A loopback Bird whose channel listing holds the run's `recipients` messages, delivered, 100 a page (pageToken: the page). */
async function listingBird(recipients: number): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const page = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('pageToken') ?? '0');
    const results = [];
    for (let i = page * 100; i < Math.min(recipients, (page + 1) * 100); i++) {
      const to = `+3162${String(i).padStart(7, '0')}`;
      results.push({
        id: uuid(i),
        status: 'delivered',
        createdAt: '2026-01-01T00:00:01.000Z',
        reference: ref(key(i)),
        receiver: { contacts: [{ identifierValue: to }] },
      });
    }
    const next = (page + 1) * 100 < recipients ? String(page + 1) : undefined;
    res.writeHead(200, { 'content-type': 'application/json', date: new Date().toUTCString() });
    res.end(JSON.stringify({ results, ...(next ? { nextPageToken: next } : {}) }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/**
 * `CHIRP_BENCH_JOURNAL_SIZES` (comma-separated, e.g. `1000000`) picks the sizes; `CHIRP_BENCH_JOURNAL_ROWS=asked`
 * runs only the status that asks Bird of each message (`read`: only the others). `CHIRP_BENCH_JOURNAL_RATE`: its `--rate` (50);
 * `CHIRP_BENCH_NODE_FLAGS`: node flags for it; `CHIRP_BENCH_JOURNAL_STATUS_ARGS`: more arguments for it (e.g. `--wait`).
 */
export async function benchJournal(): Promise<string> {
  const quick = process.env.CHIRP_BENCH_QUICK === '1';
  const sizes = process.env.CHIRP_BENCH_JOURNAL_SIZES
    ? process.env.CHIRP_BENCH_JOURNAL_SIZES.split(',').map(Number)
    : quick
      ? [100_000]
      : [100_000, 1_000_000];
  const only = process.env.CHIRP_BENCH_JOURNAL_ROWS;
  const rate = process.env.CHIRP_BENCH_JOURNAL_RATE ?? '50';
  // Node's own flags for that status (e.g. `--optimize-for-size --liftoff-only`), to weigh V8's part.
  const flags = (process.env.CHIRP_BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const more = (process.env.CHIRP_BENCH_JOURNAL_STATUS_ARGS ?? '').split(' ').filter(Boolean);
  const catalog = benchCatalog();
  const rows: (string | number)[][] = [];
  for (const n of sizes) {
    if (only !== 'asked') rows.push(...(await readRows(n, catalog)));
    if (only === 'read') continue;
    // The first status after the send: asks Bird (a loopback server listing every message, delivered) about each one.
    const asked = await bigJournal(n, { asked: true });
    const bird = await listingBird(n);
    const m = await measureNode([...flags, CLI, 'status', '--journal', asked, '--format', 'json', '--rate', rate, ...more], {
      cwd: catalog,
      env: { BIRD_ACCESS_KEY: 'bench-key', BIRD_API_URL: bird.url },
      discardStdout: true,
    });
    await bird.close();
    rmSync(asked, { recursive: true, force: true });
    if (m.code !== 0) throw new Error(`status (asks Bird) at ${n} exited ${String(m.code)}: ${m.stderr.slice(0, 500)}`);
    rows.push([
      `status${more.length > 0 ? ` ${more.join(' ')}` : ''} (asks Bird of each)`,
      fmt(n),
      fmt(m.seconds, 1),
      fmt(m.cpuSeconds, 1),
      fmt(m.peakRssMb),
      n >= 1_000_000 ? goal(m.peakRssMb) : '',
    ]);
  }
  const load = loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');
  return `${table(['command', 'recipients', 'seconds', 'CPU seconds', 'peak RSS MB', 'goal'], rows)}\n\nload average while measured: ${load}`;
}

const goal = (mb: number): string => `< ${GOAL_MB} MB ${mb < GOAL_MB ? '✓' : '✗'}`;

/** `status` and `journal check` of a run whose deliveries are all recorded final. */
async function readRows(n: number, catalog: string): Promise<(string | number)[][]> {
  const rows: (string | number)[][] = [];
  const dir = await bigJournal(n);
  const env = { BIRD_ACCESS_KEY: 'bench-key', BIRD_API_URL: 'http://127.0.0.1:9' };
  for (const [name, args] of [
    ['status', ['status', '--journal', dir, '--format', 'json']],
    ['journal check', ['journal', 'check', '--journal', dir, '--format', 'json']],
  ] as const) {
    const m = await measureNode([CLI, ...args], { cwd: catalog, env, discardStdout: true });
    if (m.code !== 0) throw new Error(`${name} at ${n} exited ${String(m.code)}: ${m.stderr.slice(0, 500)}`);
    // Issue #29: both under 150 MB at a million recipients.
    rows.push([name, fmt(n), fmt(m.seconds, 1), fmt(m.cpuSeconds, 1), fmt(m.peakRssMb), n >= 1_000_000 ? goal(m.peakRssMb) : '']);
  }
  rmSync(dir, { recursive: true, force: true });
  return rows;
}

// Sending throughput against the fake Bird in a separate process: chirp send vs a bare undici loop
// with the same bodies, at batch sizes 1 and 100 and concurrency 1/8/32; rate accuracy; peak RSS.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { startFakeBird } from '../src/fake-bird/index.js';
import { benchCatalog, benchCsv } from './fixtures.js';
import { fmt, measureNode, table } from './measure.js';

const CLI = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
const FAKE = fileURLToPath(new URL('../../dist/cli/fake-bird.js', import.meta.url));
const KEY = 'bench-key';
const WS = '2f1c3a4e-0000-4000-8000-000000000001';
const CH = '9b8c7d6e-0000-4000-8000-000000000002';

export async function startFakeProcess(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [FAKE, '--port', '0', '--access-key', KEY, '--no-record'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    const m = /listening on (\S+)/.exec(line);
    if (m) return { url: m[1]!, child };
  }
  throw new Error('fake Bird did not start');
}

export async function renderBodies(root: string, csv: string): Promise<string[]> {
  const out = join(mkdtempSync(join(tmpdir(), 'chirp-bodies-')), 'bodies.ndjson');
  const child = spawn(process.execPath, [CLI, 'render', 'bench', '--data', csv], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout.pipe(createWriteStream(out));
  await once(child, 'close');
  const bodies: string[] = [];
  for await (const line of createInterface({ input: createReadStream(out) })) bodies.push(line);
  return bodies;
}

/** The bare loop: undici Pool, N requests in flight, the same bodies, no journal, no retries. */
export async function bareLoop(url: string, bodies: string[], batchSize: number, concurrency: number): Promise<number> {
  const pool = new Pool(url, { connections: concurrency, pipelining: 1 });
  const path = batchSize === 1 ? `/workspaces/${WS}/channels/${CH}/messages` : `/workspaces/${WS}/channels/${CH}/batch/messages`;
  const headers = { authorization: `AccessKey ${KEY}`, 'content-type': 'application/json', accept: 'application/json' };
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async (): Promise<void> => {
    while (next < bodies.length) {
      const slice = bodies.slice(next, next + batchSize);
      next += batchSize;
      const body = batchSize === 1 ? slice[0]! : `{"messageRequests":[${slice.join(',')}]}`;
      const res = await pool.request({ origin: url, path, method: 'POST', headers, body });
      await res.body.text();
      if (res.statusCode !== 202) throw new Error(`bare loop got ${res.statusCode}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await pool.close();
  return bodies.length / seconds;
}

interface Report {
  accepted: number;
  seconds: number;
}

export async function chirpSend(
  root: string,
  url: string,
  csv: string,
  batchSize: number,
  concurrency: number,
  rate: number,
  extra: string[] = [],
  /** An existing journal folder (a resume); default: a fresh one. */
  journalDir?: string,
): Promise<{ rate: number; rssMb: number; seconds: number; dispatchSeconds: number; journal: string }> {
  const journal = journalDir ?? mkdtempSync(join(tmpdir(), 'chirp-bench-journal-'));
  const m = await measureNode(
    [
      CLI,
      'send',
      'bench',
      '--data',
      csv,
      '--yes',
      '--journal',
      journal,
      '--batch-size',
      String(batchSize),
      '--concurrency',
      String(concurrency),
      '--rate',
      String(rate),
      '--format',
      'json',
      ...extra,
    ],
    {
      cwd: root,
      env: { BIRD_API_URL: url, BIRD_ACCESS_KEY: KEY },
    },
  );
  if (m.code !== 0) throw new Error(`chirp send failed (${m.code}): ${m.stderr.slice(0, 500)} ${m.stdout.slice(0, 500)}`);
  const r = JSON.parse(m.stdout) as Report;
  return { rate: r.accepted / r.seconds, rssMb: m.peakRssMb, seconds: m.seconds, dispatchSeconds: r.seconds, journal };
}

async function rateAccuracy(root: string, csv: string): Promise<string> {
  const fake = await startFakeBird({ accessKey: KEY });
  const journal = mkdtempSync(join(tmpdir(), 'chirp-bench-journal-'));
  const m = await measureNode(
    [
      CLI,
      'send',
      'bench',
      '--data',
      csv,
      '--yes',
      '--journal',
      journal,
      '--batch-size',
      '1',
      '--concurrency',
      '16',
      '--rate',
      '200',
      '--limit',
      '2000',
    ],
    {
      cwd: root,
      env: { BIRD_API_URL: fake.url, BIRD_ACCESS_KEY: KEY },
    },
  );
  await fake.close();
  if (m.code !== 0) throw new Error(`rate run failed: ${m.stderr}`);
  const times = fake.requests.map((r) => r.at).sort((a, b) => a - b);
  let worst = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 1000) j++;
    worst = Math.max(worst, i - j + 1);
  }
  const span = (times.at(-1)! - times[0]!) / 1000;
  const achieved = (times.length - 1) / span;
  return (
    table(
      ['requests', 'span s', 'achieved req/s', 'busiest 1-s window', 'error vs 200/s'],
      [[fmt(times.length), fmt(span, 2), fmt(achieved, 1), fmt(worst), `${fmt(((achieved - 200) / 200) * 100, 1)}%`]],
    ) + '\n\nGoal: no 1-second window above 200; total within 3% of the rate (the fake runs in the benchmark process).'
  );
}

export async function benchSend(): Promise<string> {
  const quick = process.env.CHIRP_BENCH_QUICK === '1';
  const root = benchCatalog();
  const { url, child } = await startFakeProcess();
  const parts: string[] = [];
  try {
    const rows: (string | number)[][] = [];
    for (const [batchSize, count] of [
      [1, quick ? 5_000 : 20_000],
      [100, quick ? 100_000 : 500_000],
    ] as const) {
      const csv = await benchCsv(count);
      const bodies = await renderBodies(root, csv);
      for (const concurrency of [1, 8, 32]) {
        const bare = await bareLoop(url, bodies, batchSize, concurrency);
        const chirp = await chirpSend(root, url, csv, batchSize, concurrency, 10_000);
        const process = await chirpSend(root, url, csv, batchSize, concurrency, 10_000, ['--durability', 'process']);
        rows.push([
          batchSize,
          concurrency,
          fmt(count),
          fmt(bare),
          fmt(chirp.rate),
          `${fmt((chirp.rate / bare) * 100)}%`,
          fmt(process.rate),
          `${fmt((process.rate / bare) * 100)}%`,
        ]);
      }
    }
    parts.push(
      table(
        [
          'batch size',
          'concurrency',
          'messages',
          'bare undici msg/s',
          'chirp msg/s (fsync)',
          'chirp / bare',
          'chirp msg/s (--durability process)',
          'chirp / bare',
        ],
        rows,
      ) +
        '\n\nchirp msg/s is measured over its dispatch phase (report `seconds`: journal + HTTP), after the planning pass.\nThe default syncs every intent to disk before its request leaves; `--durability process` only writes it (safe against a crash of chirp, not of the machine).\nGoal: ≥ 80% of the bare loop at both batch sizes; ≥ 50,000 msg/s at batch size 100. The fake keeps counts only (--no-record).',
    );
    const big = await benchCsv(quick ? 100_000 : 1_000_000);
    const one = await chirpSend(root, url, big, 100, 8, 10_000);
    parts.push(
      table(
        ['recipients', 'wall s (plan + send)', 'msg/s (dispatch)', 'peak RSS MB'],
        [[quick ? '100,000' : '1,000,000', fmt(one.seconds, 1), fmt(one.rate), fmt(one.rssMb)]],
      ) + '\n\nGoal: peak RSS ≤ 250 MB for 1,000,000 recipients.',
    );
    parts.push(await rateAccuracy(root, await benchCsv(quick ? 10_000 : 100_000)));
  } finally {
    child.kill('SIGTERM');
  }
  return parts.join('\n\n');
}

/** One send of `count` recipients at --rate 400 --concurrency 8 (single endpoint) against an in-process fake. */
async function goodputRun(
  root: string,
  csv: string,
  fake: Awaited<ReturnType<typeof startFakeBird>>,
): Promise<{ goodput: number; seconds: number; accepted: number }> {
  const journal = mkdtempSync(join(tmpdir(), 'chirp-bench-journal-'));
  const m = await measureNode(
    [
      CLI,
      'send',
      'bench',
      '--data',
      csv,
      '--yes',
      '--journal',
      journal,
      '--batch-size',
      '1',
      '--concurrency',
      '8',
      '--rate',
      '400',
      '--format',
      'json',
    ],
    {
      cwd: root,
      env: { BIRD_API_URL: fake.url, BIRD_ACCESS_KEY: KEY },
    },
  );
  if (m.code !== 0) throw new Error(`goodput run failed (${m.code}): ${m.stderr.slice(0, 500)}`);
  const r = JSON.parse(m.stdout) as Report;
  return { goodput: r.accepted / r.seconds, seconds: r.seconds, accepted: r.accepted };
}

/**
 * Goodput under sporadic 429s (another sender in the workspace): 1,000 recipients at --rate 400
 * --concurrency 8 with 0%, 1% and 4% of POSTs answered 429 + Retry-After: 1; then against a fake that
 * really enforces 200 POST/s: the share refused, and the busiest 1-second window of POSTs it accepted.
 */
export async function benchGoodput(): Promise<string> {
  const root = benchCatalog();
  const csv = await benchCsv(1000);
  const rows: (string | number)[][] = [];
  let base = 0;
  for (const rate of [0, 0.01, 0.04]) {
    const fake = await startFakeBird({ accessKey: KEY, record: true });
    if (rate > 0) fake.faults.random({ rate, seed: 7, kinds: [{ kind: 'status', status: 429, retryAfter: 1 }], on: 'single' });
    try {
      const run = await goodputRun(root, csv, fake);
      if (rate === 0) base = run.goodput;
      const refused = fake.requests.filter((r) => r.status === 429).length;
      rows.push([
        `${rate * 100}%`,
        fmt(run.accepted),
        fmt(refused),
        fmt(run.seconds, 2),
        fmt(run.goodput),
        `${fmt(run.goodput / base, 2)}×`,
      ]);
    } finally {
      await fake.close();
    }
  }
  const parts = [
    table(['sporadic 429s', 'accepted', '429s', 'seconds', 'goodput msg/s', 'vs fault-free'], rows) +
      '\n\nGoal: ≥ 0.5× the fault-free goodput at 1% (Retry-After: 1 s).',
  ];

  const limited = await startFakeBird({ accessKey: KEY, rateLimit: { postPerSecond: 200 } });
  try {
    const run = await goodputRun(root, await benchCsv(2000), limited);
    const posts = limited.requests.filter((r) => r.method === 'POST');
    const refused = posts.filter((r) => r.status === 429).length;
    const accepted = posts
      .filter((r) => r.status === 202)
      .map((r) => r.at)
      .sort((a, b) => a - b);
    let worst = 0;
    for (let i = 0, j = 0; i < accepted.length; i++) {
      while (accepted[i]! - accepted[j]! >= 1000) j++;
      worst = Math.max(worst, i - j + 1);
    }
    parts.push(
      table(
        ['POSTs', 'refused (429)', 'refused share', 'busiest sliding 1-s window of accepted POSTs', 'seconds', 'goodput msg/s'],
        [
          [
            fmt(posts.length),
            fmt(refused),
            `${fmt((refused / posts.length) * 100, 1)}%`,
            fmt(worst),
            fmt(run.seconds, 2),
            fmt(run.goodput),
          ],
        ],
      ) + '\n\nAgainst a fake that enforces 200 POST/s (fixed 1-s windows) with chirp at --rate 400. Goal: ≤ 5% of POSTs refused.',
    );
  } finally {
    await limited.close();
  }
  return parts.join('\n\n');
}

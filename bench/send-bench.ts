// Sending throughput against the fake Bird in a separate process: chirp send vs a bare undici loop
// with the same bodies (bare-send.ts, in a process of its own like chirp), at batch sizes 1 and 100
// and concurrency 1/8/32; rate accuracy; peak RSS.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startFakeBird } from '../src/fake-bird/index.js';
import { benchCatalog, benchCsv } from './fixtures.js';
import { fmt, measureNode, table } from './measure.js';

const CLI = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
const FAKE = fileURLToPath(new URL('../../dist/cli/fake-bird.js', import.meta.url));
const BARE_SEND = fileURLToPath(new URL('./bare-send.js', import.meta.url));
const SEND_TIMES = fileURLToPath(new URL('./send-times-preload.js', import.meta.url));
const KEY = 'bench-key';

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

/** The request bodies `chirp render` prints for the CSV, one per line, in a temporary file. */
export async function renderBodies(root: string, csv: string): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), 'chirp-bodies-')), 'bodies.ndjson');
  const child = spawn(process.execPath, [CLI, 'render', 'bench', '--data', csv], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const file = createWriteStream(out);
  child.stdout.pipe(file);
  await Promise.all([once(child, 'close'), once(file, 'close')]);
  return out;
}

export interface BareSend {
  /** Messages a second over the timed part (undici loaded, every batch sent and answered). */
  rate: number;
  seconds: number;
  /** CPU (user + system) of the timed part. */
  cpuSeconds: number;
}

/**
 * The bare loop (bare-send.ts) in a fresh process, as chirp's send runs: both pay undici's load and a
 * cold JIT in the measured part. (Until 2026-12-07 it ran inside the benchmark process, warm after its
 * first run, against a cold chirp: the baseline had an edge chirp could not have.)
 */
export async function bareSend(url: string, bodiesFile: string, batchSize: number, concurrency: number): Promise<BareSend> {
  const m = await measureNode([BARE_SEND, url, bodiesFile, String(batchSize), String(concurrency)]);
  if (m.code !== 0) throw new Error(`bare loop failed (${m.code}): ${m.stderr.slice(0, 500)}`);
  return JSON.parse(m.stdout) as BareSend;
}

/** The most timestamps (ms) in any sliding window of `span` ms. */
export function busiestWindow(times: number[], span = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let worst = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= span) j++;
    worst = Math.max(worst, i - j + 1);
  }
  return worst;
}

/** Run a `chirp send` with the send-times preload: when chirp handed each POST to undici (epoch ms). */
export function sendTimesArgs(): { args: string[]; file: string; read: () => number[] } {
  const file = join(mkdtempSync(join(tmpdir(), 'chirp-bench-times-')), 'times');
  return {
    args: ['--import', SEND_TIMES],
    file,
    read: () =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map(Number),
  };
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

/** The busiest sliding 1-s windows of a `--rate` run: arrivals at an in-process fake, and chirp's own send times. */
export async function rateWindows(
  root: string,
  csv: string,
  requests: number,
  rate = 200,
): Promise<{ arrivals: number[]; sends: number[]; arrivalWindow: number; sendWindow: number }> {
  const fake = await startFakeBird({ accessKey: KEY });
  const journal = mkdtempSync(join(tmpdir(), 'chirp-bench-journal-'));
  const times = sendTimesArgs();
  let m;
  try {
    m = await measureNode(
      [
        ...times.args,
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
        String(rate),
        '--limit',
        String(requests),
      ],
      { cwd: root, env: { BIRD_API_URL: fake.url, BIRD_ACCESS_KEY: KEY, CHIRP_BENCH_SEND_TIMES: times.file } },
    );
  } finally {
    await fake.close();
  }
  if (m.code !== 0) throw new Error(`rate run failed: ${m.stderr}`);
  const arrivals = fake.requests.map((r) => r.at);
  const sends = times.read();
  return { arrivals, sends, arrivalWindow: busiestWindow(arrivals), sendWindow: busiestWindow(sends) };
}

async function rateAccuracy(root: string, csv: string): Promise<string> {
  const run = await rateWindows(root, csv, 2000);
  const times = [...run.arrivals].sort((a, b) => a - b);
  const span = (times.at(-1)! - times[0]!) / 1000;
  const achieved = (times.length - 1) / span;
  return (
    table(
      [
        'requests',
        'span s',
        'achieved req/s',
        'busiest 1-s window (arrivals at the fake)',
        'busiest 1-s window (chirp hands to undici)',
        'error vs 200/s',
      ],
      [
        [
          fmt(times.length),
          fmt(span, 2),
          fmt(achieved, 1),
          fmt(run.arrivalWindow),
          fmt(run.sendWindow),
          `${fmt(((achieved - 200) / 200) * 100, 1)}%`,
        ],
      ],
    ) +
    '\n\nGoal: no 1-second window above 200; total within 3% of the rate. Arrival times are taken by the fake (in the benchmark process) and include loopback and event-loop jitter on its side; send times are when chirp handed each request to undici (bench/send-times-preload.ts): what chirp controls.'
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
        const bare = (await bareSend(url, bodies, batchSize, concurrency)).rate;
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

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export interface DispatchComparison {
  runs: number;
  bare: number;
  bareCpu: number;
  chirp: number;
  /** `--durability process`: the intent written, not synced. */
  chirpProcess: number;
}

/**
 * chirp's dispatch phase (journal + HTTP, after the planning pass) against the bare loop, batch 100,
 * concurrency 8, the same bodies and the same fake: runs interleaved (bare, fsync, process, …), medians.
 */
export async function compareDispatch(root: string, url: string, csv: string, runs: number): Promise<DispatchComparison> {
  const bodies = await renderBodies(root, csv);
  const bare: BareSend[] = [];
  const chirp: number[] = [];
  const chirpProcess: number[] = [];
  for (let i = 0; i < runs; i++) {
    bare.push(await bareSend(url, bodies, 100, 8));
    chirp.push((await chirpSend(root, url, csv, 100, 8, 10_000)).rate);
    chirpProcess.push((await chirpSend(root, url, csv, 100, 8, 10_000, ['--durability', 'process'])).rate);
  }
  return {
    runs,
    bare: median(bare.map((b) => b.rate)),
    bareCpu: median(bare.map((b) => b.cpuSeconds)),
    chirp: median(chirp),
    chirpProcess: median(chirpProcess),
  };
}

/** `npm run bench -- dispatch`: only the dispatch row, at 200,000 recipients (quick: 20,000), five interleaved runs. */
export async function benchDispatch(): Promise<string> {
  const quick = process.env.CHIRP_BENCH_QUICK === '1';
  const count = quick ? 20_000 : 200_000;
  const root = benchCatalog();
  const csv = await benchCsv(count);
  const { url, child } = await startFakeProcess();
  try {
    const c = await compareDispatch(root, url, csv, 5);
    return (
      table(
        [
          'recipients',
          'bare undici msg/s (CPU s)',
          'chirp msg/s (fsync)',
          'chirp / bare',
          'chirp msg/s (--durability process)',
          'chirp / bare',
        ],
        [
          [
            fmt(count),
            `${fmt(c.bare)} (${fmt(c.bareCpu, 2)})`,
            fmt(c.chirp),
            `${fmt(c.chirp / c.bare, 2)}×`,
            fmt(c.chirpProcess),
            `${fmt(c.chirpProcess / c.bare, 2)}×`,
          ],
        ],
      ) +
      `\n\nBatch 100, concurrency 8, medians of ${c.runs} interleaved runs; each run a fresh process, the fake Bird in its own. chirp's figure is its dispatch phase (report \`seconds\`: journal created, intents synced, requests sent, outcomes written, journal closed), the bare loop's the same requests without a journal. Goal: ≥ 0.8× with fsync.`
    );
  } finally {
    child.kill('SIGTERM');
  }
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

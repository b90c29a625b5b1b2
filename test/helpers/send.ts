// Shared set-up for send tests: a catalog, a data file and a fake Bird to send to.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeBird, type FakeBird, type FakeBirdOptions } from '../../src/fake-bird/index.js';
import { makeCatalog } from './catalog.js';
import { runCli, spawnCli, type CliOptions, type CliResult } from './cli.js';
import { tempDir } from './temp.js';
import { expect } from 'vitest';
import type { StatusSummary } from '../../src/status/summary.js';

export const CANARY_KEY = 'canary-key-7d1f0c2a9b';

export const NOTICE = `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
  name: { type: string, minLength: 1 }
required: [phone, name]
body:
  type: text
  text:
    text: "Hi {{name}}, chirp v2 is out."
examples:
  - { phone: "+31612345678", name: Ada }
`;

export function phone(i: number): string {
  return `+3162${String(i).padStart(7, '0')}`;
}

/**
 * Waits until the fake has seen `count` requests that `which` accepts (a spawned send has started, or got
 * so far), however slow the machine is to start it; fails after `timeoutMs` instead of waiting forever.
 */
export async function untilRequests(
  fake: FakeBird,
  count = 1,
  which: (r: FakeBird['requests'][number]) => boolean = () => true,
  timeoutMs = 30_000,
): Promise<void> {
  const started = Date.now();
  while (fake.requests.filter(which).length < count) {
    if (Date.now() - started > timeoutMs) throw new Error(`the fake saw fewer than ${count} such requests in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface SendEnv {
  root: string;
  journal: string;
  data: string;
  fake: FakeBird;
  send(args?: string[], options?: CliOptions): Promise<CliResult>;
  spawn(args?: string[], options?: CliOptions): ReturnType<typeof spawnCli>;
  /** Accepted messages at the fake, per recipient. */
  counts(): Map<string, number>;
  journalText(): string;
}

export async function sendEnv(recipients: number, fakeOptions: FakeBirdOptions = {}): Promise<SendEnv> {
  const root = makeCatalog({ 'messages/notice.yaml': NOTICE });
  const journal = tempDir('chirp-journal-');
  const data = join(root, 'rows.csv');
  const lines = ['phone,name'];
  for (let i = 0; i < recipients; i++) lines.push(`${phone(i)},Person ${i}`);
  writeFileSync(data, `${lines.join('\n')}\n`);
  const fake = await startFakeBird({ accessKey: CANARY_KEY, ...fakeOptions });
  const env = (extra?: Record<string, string | undefined>) => ({ BIRD_API_URL: fake.url, BIRD_ACCESS_KEY: CANARY_KEY, ...extra });
  const base = (args: string[]) => ['send', 'notice', '--data', 'rows.csv', '--journal', journal, '--yes', ...args];
  return {
    root,
    journal,
    data,
    fake,
    send: (args = [], options = {}) => runCli(base(args), { cwd: root, ...options, env: env(options.env) }),
    spawn: (args = [], options = {}) => spawnCli(base(args), { cwd: root, ...options, env: env(options.env) }),
    counts: () => {
      const map = new Map<string, number>();
      for (const m of fake.accepted) if (m.recipient && m.status !== 'rejected') map.set(m.recipient, (map.get(m.recipient) ?? 0) + 1);
      return map;
    },
    journalText: () =>
      readdirSync(journal)
        .filter((f) => f.endsWith('.ndjson'))
        .map((f) => readFileSync(join(journal, f), 'utf8'))
        .join(''),
  };
}

export interface JsonReport {
  status: string;
  recipients: number;
  accepted: number;
  failed: number;
  unknown: number;
  notSent: number;
  alreadySent: number;
  unknownSkipped: number;
  toSend: number;
  runId: string | null;
  stop: { reason: string; message: string } | null;
  failureGroups: { status: string; code: string; count: number }[];
  resumeCommand: string | null;
}

export function report(result: CliResult): JsonReport {
  return JSON.parse(result.stdout) as JsonReport;
}

/** `chirp status --reconcile --grace 0 --format json` of the env's journal: its summary (never an internal error). */
export async function reconcile(e: SendEnv): Promise<StatusSummary> {
  const result = await runCli(['status', '--journal', e.journal, '--reconcile', '--grace', '0', '--format', 'json'], {
    cwd: e.root,
    env: { BIRD_API_URL: e.fake.url, BIRD_ACCESS_KEY: CANARY_KEY },
  });
  expect(result.stderr).not.toMatch(/internal error/i);
  return JSON.parse(result.stdout) as StatusSummary;
}

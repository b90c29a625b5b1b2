import { birdTransport, journalDir } from './bird.js';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { openCatalog, prepareMessage, render, type Catalog } from '../index.js';
import { listRuns, reopenJournal, type JournalRecord, type JournalWriter } from '../journal/index.js';
import { failuresCsv, type FailureRecord } from '../send/index.js';
import { recipientKey } from '../send/index.js';
import { readRows } from '../sources/index.js';
import { refreshStatuses, FAILED } from '../status/index.js';
import { readRunDetail, type RunDetail } from '../status/index.js';
import { statusExitCode, statusText, summarize } from '../status/index.js';
import { write, type Io } from './io.js';
import { oneOf, positiveInt, type GlobalOptions } from './options.js';

interface StatusFlags {
  journal?: string;
  wait?: boolean;
  timeout: number;
  interval: number;
  reconcile?: boolean;
  format: 'text' | 'json';
  failures?: string;
  rate: number;
  grace: number;
}

/** Failed rows of the run, read back from its data file and matched by recipient key. */
async function failedRows(catalog: Catalog, detail: RunDetail): Promise<{ csv: string } | { missing: string }> {
  const { header } = detail.state;
  const data = typeof header.options.data === 'string' ? header.options.data : undefined;
  const messageArg = typeof header.options.message === 'string' ? header.options.message : header.messageId;
  if (!data) return { missing: 'the run does not record its data file (sent from stdin or from a saved plan)' };
  const message = await prepareMessage(catalog, messageArg);
  const failed = new Map<string, { status: 'failed'; code: string; message: string }>();
  for (const [key, state] of detail.state.recipients) {
    const d = detail.deliveries.get(key);
    if (state.status === 'failed') failed.set(key, { status: 'failed', code: state.code ?? 'send_failed', message: state.message ?? '' });
    else if (d && FAILED.has(d.status)) failed.set(key, { status: 'failed', code: d.code ?? d.status, message: `${d.status}${d.description ? `: ${d.description}` : ''}` });
  }
  const records: FailureRecord[] = [];
  for await (const item of render(message, { data: { path: data } })) {
    if (item.kind !== 'request') continue;
    const f = failed.get(recipientKey(header.messageId, item.recipient, 1));
    if (f) records.push({ row: item.row.index, recipient: item.recipient, ...f });
  }
  return { csv: await failuresCsv(records, readRows({ path: data })) };
}

export function registerStatus(program: Command, io: Io): void {
  program
    .command('status')
    .description("fetch delivery statuses of a run's messages from Bird (default: the latest run)")
    .argument('[run]', 'run id (see the journal folder)')
    .option('--journal <dir>', 'journal folder (default: .chirp/journal in the catalog)')
    .option('--wait', 'poll until every message is in a final state or --timeout passes')
    .option('--timeout <seconds>', 'with --wait', positiveInt('--timeout', 1, 86_400), 300)
    .option('--interval <seconds>', 'with --wait: seconds between polls', positiveInt('--interval', 1, 3600), 5)
    .option('--reconcile', 'settle unknown outcomes: find them in Bird by reference, or prove them absent (then `chirp send` resends them)')
    .option('--format <format>', 'text or json', oneOf('--format', ['text', 'json'] as const), 'text')
    .option('--failures <file>', 'write failed rows as CSV (the same form as send --failures)')
    .option('--rate <n>', 'GET requests per second (Bird allows 50 per workspace)', positiveInt('--rate', 1, 50), 20)
    .option('--grace <seconds>', 'with --reconcile: only declare absent what became unknown at least this long ago (Bird\'s listing may lag)', positiveInt('--grace', 0, 86_400), 60)
    .action(async (runArg: string | undefined, flags: StatusFlags, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const catalog = await openCatalog({ cwd: io.cwd, env: io.env, ...(globals.config ? { configPath: globals.config } : {}) });
      const dir = journalDir(io, catalog, flags.journal);
      const runs = await listRuns(dir);
      const run = runArg ? runs.find((r) => r.runId === runArg) : runs[0];
      if (!run) throw new UserError(runArg ? `chirp: no run ${runArg} in ${dir}` : `chirp: no runs in ${dir} yet`, [], 2);
      if (!catalog.config.accessKey) throw new UserError('chirp: no access key: set BIRD_ACCESS_KEY in the environment (never in a file)', [], 2);
      // Reconciling decides what `send` will resend: hold the run's lock from before reading until the
      // records are written, so no send of this run is in flight meanwhile (refused if one is).
      const lock = flags.reconcile ? await reopenJournal(dir, run.runId, () => new Date(), process.pid, { resume: false }) : undefined;
      try {
        await statusOfRun(io, catalog, { dir, runId: run.runId, path: run.path }, flags, lock);
      } finally {
        await lock?.close();
      }
    });
}

/** Statuses only (no reconciliation): written back if the run is free; a running send keeps its lock. */
async function writeStatuses(dir: string, runId: string, records: JournalRecord[], warn: (text: string) => void): Promise<void> {
  let journal: JournalWriter;
  try {
    journal = await reopenJournal(dir, runId, () => new Date(), process.pid, { resume: false });
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    warn(`statuses not saved to the journal: ${error.message}`);
    return;
  }
  try {
    await journal.appendDurable(records);
  } finally {
    await journal.close();
  }
}

async function statusOfRun(io: Io, catalog: Catalog, run: { dir: string; runId: string; path: string }, flags: StatusFlags, lock: JournalWriter | undefined): Promise<void> {
  const detail = await readRunDetail(run.path);
  const { header } = detail.state;
  const transport = birdTransport(catalog, { workspace: header.workspace, rate: 1, getRate: flags.rate, concurrency: 2 });
  const started = Date.now();
  const deadline = started + flags.timeout * 1000;
  for (let first = true; ; first = false) {
    const refresh = await refreshStatuses(detail, {
      transport, channelId: header.channelId, since: Date.parse(header.startedAt), reconcile: (flags.reconcile ?? false) && first,
      messageId: header.messageId, graceMs: flags.grace * 1000, now: Date.now(),
    });
    const at = new Date().toISOString();
    const records: JournalRecord[] = [];
    if (refresh.updates.size > 0) {
      records.push({ t: 'status', at, entries: [...refresh.updates].map(([key, d]) => [key, d.status, d.id, d.code, d.description]) });
      for (const [key, d] of refresh.updates) detail.deliveries.set(key, d);
    }
    for (const status of ['accepted', 'resendable'] as const) {
      const keys = refresh.resolved[status];
      if (keys.length === 0) continue;
      records.push({ t: 'resolve', keys, status, at, via: 'reconcile' });
      for (const key of keys) {
        const state = detail.state.recipients.get(key);
        if (state) state.status = status;
      }
    }
    // Written back so the next `status` is cheap, and `send` knows what reconciliation proved.
    if (records.length > 0) {
      if (lock) await lock.appendDurable(records);
      else await writeStatuses(run.dir, run.runId, records, (text) => void io.stderr.write(`chirp: warning: ${text}\n`));
    }
    const summary = summarize(header, detail.state.recipients, detail.deliveries);
    if (!flags.wait || summary.final || Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, Math.min(flags.interval * 1000, Math.max(0, deadline - Date.now()))));
  }
  const summary = summarize(header, detail.state.recipients, detail.deliveries);
  if (flags.wait) summary.waited = (Date.now() - started) / 1000;
  await write(io.stdout, flags.format === 'json' ? `${JSON.stringify(summary, null, 2)}\n` : statusText(summary));
  if (flags.failures) {
    const result = await failedRows(catalog, detail);
    if ('missing' in result) await write(io.stderr, `chirp: warning: no failures file: ${result.missing}\n`);
    else await writeFile(resolve(io.cwd, flags.failures), result.csv);
  }
  process.exitCode = statusExitCode(summary, flags.wait ?? false);
}

import { createWriteStream } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { openCatalog, prepareMessage, render, type Catalog, type PreparedMessage } from '../index.js';
import { compileMessage, type RowResult } from '../render/index.js';
import { UUID } from '../check/index.js';
import { WindowChecker } from '../send/index.js';
import { sendJson, sendText } from '../report/index.js';
import { failureOf, failuresCsv, type FailureRecord } from '../send/index.js';
import { buildReport, sendExitCode } from '../send/index.js';
import { sendMessage } from '../send/index.js';
import type { SendPlan } from '../send/index.js';
import { detectFormat, readRows } from '../sources/index.js';
import type { Transport } from '../transport/index.js';
import type { DataFormat, Row } from '../types.js';
import type { RenderItem } from '../render/index.js';
import { hashFile } from '../send/index.js';
import { planItems, readSavedPlan } from '../saved-plan/index.js';
import { EXIT } from './exit-codes.js';
import { birdTransport, journalDir } from './bird.js';
import { write, type Io } from './io.js';
import { chirpVersion } from './version.js';
import { oneOf, positiveInt, type GlobalOptions } from './options.js';
import { DATA_FORMATS } from './render.js';
import { Progress } from './progress.js';

/** Where a send's requests come from: a message and a data file, or a saved plan. */
interface Source {
  messageId: string;
  channelId: string;
  workspace: string;
  definitionHash: string;
  dataHash: string;
  items: () => AsyncIterable<RenderItem>;
  /** The data file's rows (for the failures file); a saved plan has none. */
  rows: (() => AsyncIterable<Row>) | undefined;
  /** How to name the data in a resume command. */
  dataName: string;
  /** The data file's absolute path, recorded in the journal for `chirp status --failures`. */
  dataPath?: string;
  /** With --window check on a body message: the fallback template's renderer (null: none declared). */
  fallback?: ((row: Row) => RowResult) | null;
}

/** The message's `fallback.template` as a message of its own, rendered from the same row. */
export function fallbackRenderer(catalog: Catalog, message: PreparedMessage): ((row: Row) => RowResult) | null {
  const { fallback, body: _body, ...rest } = message.definition;
  if (!fallback) return null;
  const compiled = compileMessage({ ...rest, template: fallback.template }, catalog.ctx.env);
  return (row) => compiled.renderRow(row.values, false);
}

/** A saved plan keeps no data columns: its failures file names the recipient. */
async function* planRows(failures: readonly FailureRecord[]): AsyncGenerator<Row> {
  await Promise.resolve();
  for (const f of failures) yield { index: f.row, values: { recipient: f.recipient } };
}

export const SEND_DEFAULTS = { batchSize: 100, concurrency: 4, rate: 50 } as const;

interface SendFlags {
  data?: string;
  dataFormat?: DataFormat;
  yes?: boolean;
  dryRun?: boolean;
  batchSize: number;
  concurrency: number;
  rate: number;
  limit?: number;
  expectCount?: number;
  journal?: string;
  resume?: string;
  newRun?: boolean;
  retryUnknown?: boolean;
  force?: boolean;
  allowDuplicates?: boolean;
  report?: string;
  failures?: string;
  format: 'text' | 'json';
  reveal?: boolean;
  window: 'check' | 'ignore';
  durability: 'disk' | 'process';
}


export function resolveChannel(catalog: Catalog, channel: string): string {
  if (UUID.test(channel)) return channel;
  const id = catalog.config.channels[channel];
  if (!id) throw new UserError(`chirp: channel alias "${channel}" is not in ${catalog.config.configFile}`, [], 2);
  return id;
}

/** stdin can be read once only, and send reads the rows twice (plan, then send): keep a copy. */
async function spoolStdin(io: Io, format: DataFormat | undefined): Promise<string> {
  if (!format) throw new UserError('chirp: --data - needs --data-format csv|json|ndjson', [], 2);
  const path = join(await mkdtemp(join(tmpdir(), 'chirp-stdin-')), `data.${format}`);
  await pipeline(io.stdin, createWriteStream(path));
  return path;
}

function newRunId(messageId: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${messageId.replace(/[^A-Za-z0-9._-]+/g, '.')}-${randomBytes(3).toString('hex')}`;
}

async function askConfirmation(io: Io, plan: SendPlan): Promise<boolean> {
  const rl = createInterface({ input: io.stdin, output: io.stderr });
  try {
    const batches = `${plan.batches.toLocaleString('en-US')} batch${plan.batches === 1 ? '' : 'es'} of ≤${plan.batchSize}`;
    const estimate = plan.estimatedSeconds < 120 ? `${Math.max(1, Math.round(plan.estimatedSeconds))} s` : `${Math.round(plan.estimatedSeconds / 60)} min`;
    const answer = await rl.question(`Send ${plan.toSend.toLocaleString('en-US')} message${plan.toSend === 1 ? '' : 's'} of ${plan.messageId} to channel ${plan.channelId} (${batches}, ≈${estimate} at ${plan.rate} requests/s)? [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } catch {
    // Ctrl-C or end of input at the prompt: a no.
    return false;
  } finally {
    rl.close();
  }
}

function quote(arg: string): string {
  return /^[\w./:@=+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function registerSend(program: Command, io: Io): void {
  program
    .command('send')
    .description('send a message to every recipient of a data file, in batches, resumably')
    .argument('<message>', 'message id (releases/notice), path to a message file, or a saved plan (plan.json)')
    .option('--data <file>', "recipients: CSV, JSON array or NDJSON ('-' for stdin); not with a saved plan")
    .option('--data-format <format>', 'csv, json or ndjson (default: from the file extension)', oneOf('--data-format', DATA_FORMATS))
    .option('--yes', 'send without asking (required without a terminal)')
    .option('--dry-run', 'send nothing, open no connection: show what would happen')
    .option('--batch-size <n>', 'messages per request, 1–100 (1 uses the single-message endpoint)', positiveInt('--batch-size', 1, 100), SEND_DEFAULTS.batchSize)
    .option('--concurrency <n>', 'requests in flight at most', positiveInt('--concurrency', 1, 256), SEND_DEFAULTS.concurrency)
    .option('--rate <n>', 'requests per second at most (Bird allows 500 POST/s per workspace, shared)', positiveInt('--rate', 1, 10_000), SEND_DEFAULTS.rate)
    .option('--limit <n>', 'only the first N rows', positiveInt('--limit'))
    .option('--expect-count <n>', 'refuse unless the data has exactly N recipients', positiveInt('--expect-count', 0))
    .option('--journal <dir>', 'journal folder (default: .chirp/journal in the catalog)')
    .option('--resume <run>', 'continue this run (refused if its inputs changed, unless --force)')
    .option('--new-run', 'start a new run even if an earlier one with the same inputs exists')
    .option('--retry-unknown', 'resend recipients whose earlier outcome is unknown (they may get the message twice)')
    .option('--force', 'with --resume: continue even though the inputs changed')
    .option('--allow-duplicates', 'send a recipient that appears more than once every time')
    .option('--report <file>', 'write the JSON report to FILE')
    .option('--failures <file>', 'write failed and unknown rows as CSV (feed it back with --data)')
    .option('--format <format>', 'text or json', oneOf('--format', ['text', 'json'] as const), 'text')
    .option('--reveal', 'show full recipient numbers in the report')
    .option('--durability <level>', "disk: sync each intent to disk before its request leaves; process: write it only (survives a crash of chirp, not of the machine: for ephemeral CI runners)", oneOf('--durability', ['disk', 'process'] as const), 'disk')
    .option('--window <mode>', "check: look up each recipient's customer-care window first (network, also with --dry-run); skip closed ones or send the message's fallback template", oneOf('--window', ['check', 'ignore'] as const), 'ignore')
    .action(async (messageArg: string, flags: SendFlags, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      if (flags.resume && flags.newRun) throw new UserError('chirp: --resume and --new-run contradict each other', [], 2);
      if (!flags.dryRun && !flags.yes && !(io.stdin.isTTY && io.stderrIsTTY)) {
        throw new UserError('chirp: a real send needs confirmation: run it on a terminal, or pass --yes (CI), or --dry-run to preview', [], 2);
      }
      const catalog = await openCatalog({ cwd: io.cwd, env: io.env, ...(globals.config ? { configPath: globals.config } : {}) });
      const saved = messageArg.endsWith('.json') ? await readSavedPlan(resolve(io.cwd, messageArg)) : undefined;
      let source: Source;
      if (saved) {
        if (flags.data) throw new UserError('chirp: a saved plan carries its own requests; drop --data', [], 2);
        if (catalog.config.workspace && catalog.config.workspace !== saved.workspace) {
          throw new UserError(`chirp: the plan was made for workspace ${saved.workspace}, but this configuration uses ${catalog.config.workspace}; refusing to send it elsewhere`, [], 2);
        }
        if (flags.window === 'check') throw new UserError('chirp: --window check applies when rendering; a saved plan is sent as reviewed', [], 2);
        source = { messageId: saved.message, channelId: saved.channelId, workspace: saved.workspace, definitionHash: saved.inputs.definitionHash, dataHash: saved.inputs.dataHash, items: () => planItems(saved), dataName: messageArg, rows: undefined };
      } else {
        if (!flags.data) throw new UserError("chirp: send needs --data FILE (or '-' for stdin), or a saved plan", [], 2);
        const message = await prepareMessage(catalog, messageArg);
        const format = flags.dataFormat ?? (flags.data === '-' ? undefined : detectFormat(flags.data));
        const dataPath = flags.data === '-' ? await spoolStdin(io, format) : resolve(io.cwd, flags.data);
        const dataName = flags.data === '-' ? '<stdin>' : flags.data;
        const data = { path: dataPath, displayName: dataName, ...(format ? { format } : {}) };
        source = {
          messageId: message.definition.id, channelId: resolveChannel(catalog, message.definition.channel), workspace: catalog.config.workspace ?? '',
          definitionHash: message.definitionHash, dataHash: await hashFile(dataPath, dataName), dataName: dataName === '<stdin>' ? dataPath : dataName,
          items: () => render(message, { data, ...(flags.limit !== undefined ? { limit: flags.limit } : {}), allowDuplicates: flags.allowDuplicates ?? false }),
          rows: () => readRows(data),
          ...(message.definition.body && flags.window === 'check' ? { fallback: fallbackRenderer(catalog, message) } : {}),
          ...(flags.data !== '-' ? { dataPath } : {}),
        };
      }
      const { channelId, workspace } = source;
      const accessKey = catalog.config.accessKey;
      if (!flags.dryRun || flags.window === 'check') {
        if (!workspace) throw new UserError('chirp: no Bird workspace: set `workspace:` in chirp.config.yaml or BIRD_WORKSPACE_ID', [], 2);
        if (!accessKey) throw new UserError('chirp: no access key: set BIRD_ACCESS_KEY in the environment (never in a file)', [], 2);
      }
      const journal = journalDir(io, catalog, flags.journal);
      let transport: Transport | undefined;
      const getTransport = (): Transport => (transport ??= birdTransport(catalog, { workspace, rate: flags.rate, concurrency: flags.concurrency }));
      // Templates may open a conversation at any time: only free-form bodies need the window.
      const window = flags.window === 'check' && source.fallback !== undefined
        ? { checker: new WindowChecker(getTransport(), channelId, join(journal, 'contacts.json'), () => Date.now()), fallback: source.fallback ?? undefined }
        : undefined;

      const controller = new AbortController();
      let signalled: NodeJS.Signals | undefined;
      const onSignal = (signal: NodeJS.Signals): void => {
        if (signalled) {
          // A second signal: leave now. Every journal record already written is on disk.
          process.exit(signal === 'SIGINT' ? EXIT.SIGINT : EXIT.SIGTERM);
        }
        signalled = signal;
        io.stderr.write(`\nchirp: ${signal}: finishing requests in flight, then stopping (again to quit at once)\n`);
        controller.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);

      const failures: FailureRecord[] = [];
      const progress = io.stderrIsTTY && flags.format === 'text' ? new Progress(io.stderr) : undefined;
      // The progress clock starts once the send is confirmed: time at the prompt is not sending time.
      let started = Date.now();
      try {
        const result = await sendMessage({
          messageId: source.messageId, definitionHash: source.definitionHash, dataHash: source.dataHash, items: source.items,
          headerOptions: { message: saved ? resolve(io.cwd, messageArg) : source.messageId, ...(source.dataPath ? { data: source.dataPath } : {}) },
          channelId, workspace, journalDir: journal,
          batchSize: flags.batchSize, concurrency: flags.concurrency, rate: flags.rate, durability: flags.durability,
          retryUnknown: flags.retryUnknown ?? false, allowDuplicates: flags.allowDuplicates ?? false,
          dryRun: flags.dryRun ?? false, newRun: flags.newRun ?? false, ...(flags.resume ? { resume: flags.resume } : {}), force: flags.force ?? false,
          ...(flags.expectCount !== undefined ? { expectCount: flags.expectCount } : {}),
          reveal: flags.reveal ?? false, chirpVersion: chirpVersion(), now: () => new Date(), pid: process.pid,
          newRunId: () => newRunId(source.messageId, new Date()),
          signal: controller.signal,
          confirm: async (plan) => {
            const ok = flags.yes ? true : await askConfirmation(io, plan);
            started = Date.now();
            return ok;
          },
          transport: getTransport,
          ...(window ? { window } : {}),
          onOutcome: (entry, status, outcome) => {
            const failure = failureOf(entry, status, outcome);
            if (failure) failures.push(failure);
          },
          ...(progress ? { onProgress: (counts) => progress.update(counts, started) } : {}),
          warn: (text) => void io.stderr.write(`chirp: warning: ${text}\n`),
        });
        progress?.done();
        const interruptedOrOpen = result.kind === 'sent' && (result.dispatch.stop !== undefined || result.dispatch.unknown + result.dispatch.notSent > 0);
        const resumeCommand = result.kind === 'sent' && interruptedOrOpen
          ? ['chirp', ...(globals.config ? ['--config', globals.config] : []), 'send', messageArg, ...(saved ? [] : ['--data', source.dataName]), '--resume', result.runId,
            ...(flags.journal ? ['--journal', flags.journal] : []),
            // Everything that changes which requests the run holds must come back the same.
            ...(flags.dataFormat ? ['--data-format', flags.dataFormat] : []), ...(flags.limit !== undefined ? ['--limit', String(flags.limit)] : []),
            ...(flags.allowDuplicates ? ['--allow-duplicates'] : []), ...(flags.window === 'check' ? ['--window', 'check'] : []),
            ...(flags.durability === 'process' ? ['--durability', 'process'] : []),
            // And what it was run with, so the hinted command runs the same way (and still runs in CI).
            ...(flags.batchSize !== SEND_DEFAULTS.batchSize ? ['--batch-size', String(flags.batchSize)] : []),
            ...(flags.concurrency !== SEND_DEFAULTS.concurrency ? ['--concurrency', String(flags.concurrency)] : []),
            ...(flags.rate !== SEND_DEFAULTS.rate ? ['--rate', String(flags.rate)] : []),
            ...(flags.expectCount !== undefined ? ['--expect-count', String(flags.expectCount)] : []),
            ...(flags.yes ? ['--yes'] : [])].map(quote).join(' ')
          : null;
        const report = buildReport(result, failures, { dryRun: flags.dryRun ?? false, reveal: flags.reveal ?? false, resumeCommand });
        if (report.journal && !relative(io.cwd, report.journal).startsWith('..')) report.journal = relative(io.cwd, report.journal);
        await write(io.stdout, flags.format === 'json' ? sendJson(report) : sendText(report));
        if (flags.report) await writeFile(resolve(io.cwd, flags.report), sendJson(report));
        if (flags.failures) {
          const rows = source.rows?.() ?? planRows(failures);
          await writeFile(resolve(io.cwd, flags.failures), await failuresCsv(failures, rows));
        }
        process.exitCode = signalled ? (signalled === 'SIGINT' ? EXIT.SIGINT : EXIT.SIGTERM) : sendExitCode(report);
      } finally {
        progress?.done();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}

import { rmSync } from 'node:fs';
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { scrubText } from '../util/index.js';
import type { SendPlan, SendRun } from '../index.js';
import { SEND_DEFAULTS } from '../defaults.js';
import { sendJson, sendSummaryMarkdown, sendText, terminalLine } from '../report/index.js';
import type { DataFormat } from '../types.js';
import { EXIT, exitCode } from './exit-codes.js';
import { write, writePrivate, type Io } from './io.js';
import { addVarOptions, checkReveal, libraryOptions, oneOf, positiveInt, runVars, type GlobalOptions, type VarFlags } from './options.js';
import { tuneHeapForSend } from './heap.js';
import { Progress } from './progress.js';
import { writeGithub } from './github.js';
import { DATA_FORMATS, envThreads, MAX_THREADS } from './render.js';

interface SendFlags extends VarFlags {
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
  onlyUnreached?: boolean;
  sendAgain?: boolean;
  damagedAsUnknown?: boolean;
  newOrigin?: boolean;
  allowDuplicates?: boolean;
  report?: string;
  failures?: string;
  format: 'text' | 'json';
  reveal?: boolean;
  window: 'check' | 'ignore';
  windowMargin: number;
  durability: 'disk' | 'process';
  offlineTemplates?: boolean;
  revealInCi?: boolean;
  threads?: number;
}

async function askConfirmation(io: Io, plan: SendPlan): Promise<boolean> {
  // node:readline on use: every command loads this file for its options (issue #22, cold start).
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: io.stdin, output: io.stderr });
  try {
    const batches = `${plan.batches.toLocaleString('en-US')} batch${plan.batches === 1 ? '' : 'es'} of ≤${plan.batchSize}`;
    const estimate =
      plan.estimatedSeconds < 120 ? `${Math.max(1, Math.round(plan.estimatedSeconds))} s` : `${Math.round(plan.estimatedSeconds / 60)} min`;
    const origins = [...new Set((plan.otherOrigins ?? []).map((o) => terminalLine(o.apiOrigin)))];
    const again = origins.length > 0 ? `Another API origin than ${origins.join(', ')}: everyone is sent again. ` : '';
    const answer = await rl.question(
      `${again}Send ${plan.toSend.toLocaleString('en-US')} message${plan.toSend === 1 ? '' : 's'} of ${terminalLine(plan.messageId)} to channel ${terminalLine(plan.channelId)} (${batches}, ≈${estimate} at ${plan.rate} requests/s)? [y/N] `,
    );
    return /^y(es)?$/i.test(answer.trim());
  } catch {
    // Ctrl-C or end of input at the prompt: a no.
    return false;
  } finally {
    rl.close();
  }
}

/** A file chirp will write: its folder must exist and be writable, and it must not be a folder. */
function checkWritable(flag: string, path: string): void {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    stats = undefined;
  }
  if (stats?.isDirectory()) throw new UserError('E_OUTPUT_PATH', `${flag} ${path} is a folder; give a file name`);
  try {
    accessSync(stats ? path : dirname(path), constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(
      'E_OUTPUT_PATH',
      `${flag} ${path} cannot be written (${code === 'ENOENT' ? 'its folder does not exist' : (code ?? 'not writable')}); nothing was sent`,
      { cause: error },
    );
  }
}

async function writeOutput(flag: string, path: string, text: string): Promise<void> {
  try {
    await writePrivate(path, text);
  } catch (error) {
    throw new UserError(
      'E_OUTPUT_PATH',
      `could not write ${flag} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      { cause: error },
    );
  }
}

/** The access key never reaches a file chirp writes, whatever a server echoed. */
function scrub(io: Io, text: string): string {
  const key = io.env.BIRD_ACCESS_KEY?.trim();
  return key && key.length >= 6 ? scrubText(text, key) : text;
}

/** The window check's margin unless --window-margin says otherwise (docs/sending.md). */
const DEFAULT_WINDOW_MARGIN_S = 300;

function quote(arg: string): string {
  return /^[\w./:@=+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The command that continues this run with everything that shapes its requests unchanged. */
function resumeCommand(messageArg: string, run: SendRun, flags: SendFlags, globals: GlobalOptions): string | null {
  const runId = run.report.runId;
  if (!run.resumable || !runId) return null;
  return resumeLine(messageArg, runId, run.dataName, flags, globals);
}

function resumeLine(messageArg: string, runId: string, dataName: string | undefined, flags: SendFlags, globals: GlobalOptions): string {
  return [
    'chirp',
    ...(globals.config ? ['--config', globals.config] : []),
    'send',
    messageArg,
    ...(dataName ? ['--data', dataName] : []),
    '--resume',
    runId,
    ...(flags.journal ? ['--journal', flags.journal] : []),
    // Everything that changes which requests the run holds must come back the same.
    ...(flags.dataFormat ? ['--data-format', flags.dataFormat] : []),
    ...(flags.limit !== undefined ? ['--limit', String(flags.limit)] : []),
    ...(flags.allowDuplicates ? ['--allow-duplicates'] : []),
    ...(flags.window === 'check' ? ['--window', 'check'] : []),
    ...(flags.durability === 'process' ? ['--durability', 'process'] : []),
    ...(flags.window === 'check' && flags.windowMargin !== DEFAULT_WINDOW_MARGIN_S ? ['--window-margin', String(flags.windowMargin)] : []),
    ...(flags.offlineTemplates ? ['--offline-templates'] : []),
    ...(flags.vars ? ['--vars', flags.vars] : []),
    ...Object.entries(flags.var ?? {}).flatMap(([k, v]) => ['--var', `${k}=${v}`]),
    // And what it was run with, so the hinted command runs the same way (and still runs in CI).
    ...(flags.batchSize !== SEND_DEFAULTS.batchSize ? ['--batch-size', String(flags.batchSize)] : []),
    ...(flags.concurrency !== SEND_DEFAULTS.concurrency ? ['--concurrency', String(flags.concurrency)] : []),
    ...(flags.rate !== SEND_DEFAULTS.rate ? ['--rate', String(flags.rate)] : []),
    ...(flags.expectCount !== undefined ? ['--expect-count', String(flags.expectCount)] : []),
    ...(flags.yes ? ['--yes'] : []),
  ]
    .map(quote)
    .join(' ');
}

export function registerSend(program: Command, io: Io): void {
  const command = program
    .command('send')
    .description('send a message to every recipient of a data file, in batches, resumably')
    .argument('<message>', 'message id (releases/notice), path to a message file, or a saved plan (plan.json)')
    .option('--data <file>', "recipients: CSV, JSON array or NDJSON ('-' for stdin); not with a saved plan")
    .option('--data-format <format>', 'csv, json or ndjson (default: from the file extension)', oneOf('--data-format', DATA_FORMATS))
    .option('--yes', 'send without asking (required without a terminal)')
    .option('--dry-run', 'send nothing, open no connection: show what would happen')
    .option(
      '--batch-size <n>',
      'messages per request, 1–100 (1 uses the single-message endpoint)',
      positiveInt('--batch-size', 1, 100),
      SEND_DEFAULTS.batchSize,
    )
    .option('--concurrency <n>', 'requests in flight at most', positiveInt('--concurrency', 1, 256), SEND_DEFAULTS.concurrency)
    .option(
      '--rate <n>',
      'requests per second at most (Bird allows 500 POST/s per workspace, shared)',
      positiveInt('--rate', 1, 10_000),
      SEND_DEFAULTS.rate,
    )
    .option('--limit <n>', 'only the first N rows', positiveInt('--limit'))
    .option('--expect-count <n>', 'refuse unless the data has exactly N recipients', positiveInt('--expect-count', 0))
    .option('--journal <dir>', 'journal folder (default: .chirp/journal in the catalog)')
    .option('--resume <run>', 'continue this run (refused if its inputs changed, unless --force)')
    .option('--new-run', 'start a new run even if an earlier one with the same inputs exists')
    .option('--retry-unknown', 'resend recipients whose earlier outcome is unknown (they may get the message twice)')
    .option('--force', 'with --resume: continue even though the inputs changed')
    .option(
      '--only-unreached',
      'the message changed since an earlier run: send the new version only to those the earlier one did not reach',
    )
    .option('--send-again', 'the message changed since an earlier run: send the new version to everyone, those already reached included')
    .option(
      '--damaged-as-unknown',
      'go on despite journal damage, treating every recipient it may cover as unknown (see `chirp journal check`)',
    )
    .option(
      '--new-origin',
      'the API URL is another Bird than the one earlier runs of the same message and data sent to: send to everyone there (refused otherwise without a prompt)',
    )
    .option('--allow-duplicates', 'send a recipient that appears more than once every time')
    .option('--report <file>', 'write the JSON report to FILE')
    .option('--failures <file>', 'write failed and unknown rows as CSV (feed it back with --data)')
    .option('--format <format>', 'text or json', oneOf('--format', ['text', 'json'] as const), 'text')
    .option('--reveal', 'show full recipient numbers in the report')
    .option('--reveal-in-ci', 'allow --reveal when CI is set (it is refused there otherwise)')
    .option(
      '--durability <level>',
      'disk: sync each intent to disk before its request leaves; process: write it only (survives a crash of chirp, not of the machine: for ephemeral CI runners)',
      oneOf('--durability', ['disk', 'process'] as const),
      'disk',
    )
    .option('--offline-templates', 'trust templates.lock.json: skip the online template preflight (air-gapped runs)')
    .option(
      '--window <mode>',
      "check: look up each recipient's customer-care window first (network, also with --dry-run); skip closed ones or send the message's fallback template",
      oneOf('--window', ['check', 'ignore'] as const),
      'ignore',
    )
    .option(
      '--window-margin <seconds>',
      'with --window check: a window closing within this counts as closed, and is checked again right before its request leaves',
      positiveInt('--window-margin', 0, 86_400),
      DEFAULT_WINDOW_MARGIN_S,
    )
    .option(
      '--threads <n>',
      `threads that render and check a CSV file's rows before the first request (1: no worker threads; default: CHIRP_THREADS, else 1); the requests are the same`,
      positiveInt('--threads', 1, MAX_THREADS),
    );
  addVarOptions(command).action(async (messageArg: string, flags: SendFlags, command: Command) => {
    const { send } = await import('../usecases/send.js');
    tuneHeapForSend(io.env);
    const globals = command.optsWithGlobals<GlobalOptions>();
    if (flags.resume && flags.newRun) throw new UserError('E_USAGE', '--resume and --new-run contradict each other');
    checkReveal(io.env, flags);
    if (flags.onlyUnreached && flags.sendAgain) throw new UserError('E_USAGE', '--only-unreached and --send-again contradict each other');
    // Checked before anything is sent: a report or failures file that cannot be written after the
    // run would lose what it knows.
    for (const [flag, path] of [
      ['--report', flags.report],
      ['--failures', flags.failures],
    ] as const) {
      if (path !== undefined) checkWritable(flag, resolve(io.cwd, path));
    }
    if (!flags.dryRun && !flags.yes && !(io.stdin.isTTY && io.stderrIsTTY)) {
      throw new UserError(
        'E_CONFIRMATION',
        'a real send needs confirmation: run it on a terminal, or pass --yes (CI), or --dry-run to preview',
      );
    }
    const controller = new AbortController();
    let signalled: NodeJS.Signals | undefined;
    let spoolDir: string | undefined;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (signalled) {
        // A second signal: leave now. Every journal record already written is on disk; a copy of
        // stdin (phone numbers) does not outlive the run.
        if (spoolDir) rmSync(spoolDir, { recursive: true, force: true });
        process.exit(signal === 'SIGINT' ? EXIT.SIGINT : EXIT.SIGTERM);
      }
      signalled = signal;
      io.stderr.write(`\nchirp: ${signal}: finishing requests in flight, then stopping (again to quit at once)\n`);
      controller.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const vars = await runVars(io, flags);
    const threads = flags.threads ?? envThreads(io.env.CHIRP_THREADS);
    const progress = io.stderrIsTTY && flags.format === 'text' ? new Progress(io.stderr) : undefined;
    // The progress clock starts once the send is confirmed: time at the prompt is not sending time.
    let started = Date.now();
    try {
      const run = await send({
        ...libraryOptions(io, globals),
        message: messageArg,
        ...(flags.data ? { data: { path: flags.data, ...(flags.dataFormat ? { format: flags.dataFormat } : {}), input: io.stdin } } : {}),
        batchSize: flags.batchSize,
        concurrency: flags.concurrency,
        rate: flags.rate,
        durability: flags.durability,
        window: flags.window,
        windowMarginSeconds: flags.windowMargin,
        ...(flags.limit !== undefined ? { limit: flags.limit } : {}),
        ...(flags.expectCount !== undefined ? { expectCount: flags.expectCount } : {}),
        ...(flags.journal ? { journal: flags.journal } : {}),
        ...(flags.resume ? { resume: flags.resume } : {}),
        newRun: flags.newRun ?? false,
        retryUnknown: flags.retryUnknown ?? false,
        force: flags.force ?? false,
        onlyUnreached: flags.onlyUnreached ?? false,
        sendAgain: flags.sendAgain ?? false,
        damagedAsUnknown: flags.damagedAsUnknown ?? false,
        // At the terminal the prompt asks (the other origin named above it); without one, only the flag says so.
        newOrigin: flags.newOrigin === true || !flags.yes,
        allowDuplicates: flags.allowDuplicates ?? false,
        dryRun: flags.dryRun ?? false,
        reveal: flags.reveal ?? false,
        offlineTemplates: flags.offlineTemplates ?? false,
        onTempDir: (dir) => (spoolDir = dir),
        resumeCommand: (runId, dataName) => resumeLine(messageArg, runId, dataName, flags, globals),
        signal: controller.signal,
        pid: process.pid,
        ...(vars ? { vars } : {}),
        ...(threads !== undefined ? { threads } : {}),
        confirm: async (plan) => {
          const ok = flags.yes ? true : await askConfirmation(io, plan);
          started = Date.now();
          return ok;
        },
        ...(progress ? { onProgress: (counts) => progress.update(counts, started) } : {}),
      });
      progress?.done();
      const report = { ...run.report, resumeCommand: resumeCommand(messageArg, run, flags, globals) };
      if (report.journal && !relative(io.cwd, report.journal).startsWith('..')) report.journal = relative(io.cwd, report.journal);
      await write(io.stdout, flags.format === 'json' ? sendJson(report) : sendText(report));
      if (flags.report) await writeOutput('--report', resolve(io.cwd, flags.report), scrub(io, sendJson(report)));
      if (flags.failures) await writeOutput('--failures', resolve(io.cwd, flags.failures), scrub(io, await run.failuresCsv()));
      writeGithub(io, sendSummaryMarkdown(report), {
        'run-id': report.runId ?? '',
        status: report.status,
        accepted: report.accepted,
        failed: report.failed,
        unknown: report.unknown,
        'not-sent': report.notSent,
        'already-sent': report.alreadySent,
        invalid: report.invalid,
        suppressed: report.suppressed,
      });
      process.exitCode = exitCode({ command: 'send', report, signal: signalled });
    } finally {
      progress?.done();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  });
}

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { markdownFence, maskReplies, repliesText, statusText, terminalLine } from '../report/index.js';
import type { ChirpStatusOutput } from '../schema/index.js';
import { exitCode } from './exit-codes.js';
import { tuneHeapForStatus } from './heap.js';
import { writeGithub } from './github.js';
import { write, writePrivate, type Io } from './io.js';
import { checkReveal, libraryOptions, oneOf, positiveInt, type GlobalOptions } from './options.js';

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
  interactions?: boolean;
  maxSkew: number;
  replies?: boolean;
  reveal?: boolean;
  revealInCi?: boolean;
}

export function registerStatus(program: Command, io: Io): void {
  program
    .command('status')
    .description("fetch delivery statuses of a run's messages from Bird (default: the latest run)")
    .argument('[run]', 'run id (see the journal folder)')
    .option('--journal <dir>', 'journal folder (default: .chirp/journal in the catalog)')
    .option(
      '--wait',
      'wait for a send of the run still going to end, then poll until every message is final (or scheduled for later) or --timeout passes',
    )
    .option('--timeout <seconds>', 'with --wait', positiveInt('--timeout', 1, 86_400), 300)
    .option('--interval <seconds>', 'with --wait: seconds between polls', positiveInt('--interval', 1, 3600), 5)
    .option('--reconcile', 'settle unknown outcomes: find them in Bird by reference, or prove them absent (then `chirp send` resends them)')
    .option('--format <format>', 'text or json', oneOf('--format', ['text', 'json'] as const), 'text')
    .option('--failures <file>', 'write failed rows as CSV (the same form as send --failures)')
    .option('--rate <n>', 'GET requests per second (Bird allows 50 per workspace)', positiveInt('--rate', 1, 50), 20)
    .option(
      '--grace <seconds>',
      "with --reconcile: only declare absent what became unknown at least this long ago (Bird's listing may lag)",
      positiveInt('--grace', 0, 86_400),
      60,
    )
    .option('--interactions', 'also count reads and clicks (one more GET per sent message)')
    .option(
      '--max-skew <seconds>',
      "with --reconcile: declare nobody absent when this machine's clock is further than this from Bird's",
      positiveInt('--max-skew', 1, 86_400),
      300,
    )
    .option('--replies', "also list replies of the run's recipients that ask to stop (STOP, UNSUBSCRIBE or the config's stopWords)")
    .option('--reveal', 'with --replies: show the numbers in full, with the `chirp suppress add` commands (default: masked)')
    .option('--reveal-in-ci', 'allow --reveal when CI is set')
    .action(async (runArg: string | undefined, flags: StatusFlags, command: Command) => {
      checkReveal(io.env, flags);
      tuneHeapForStatus(io.env);
      const { status } = await import('../usecases/status.js');
      const result = await status({
        ...libraryOptions(io, command.optsWithGlobals<GlobalOptions>()),
        ...(runArg ? { run: runArg } : {}),
        ...(flags.journal ? { journal: flags.journal } : {}),
        wait: flags.wait ?? false,
        timeoutSeconds: flags.timeout,
        intervalSeconds: flags.interval,
        reconcile: flags.reconcile ?? false,
        failures: flags.failures !== undefined,
        rate: flags.rate,
        graceSeconds: flags.grace,
        interactions: flags.interactions ?? false,
        maxSkewSeconds: flags.maxSkew,
        replies: flags.replies ?? false,
        pid: process.pid,
      });
      const reveal = flags.reveal ?? false;
      // Numbers of replies are masked unless --reveal, in every output (text, JSON, GitHub summary).
      const summary =
        result.summary.replies && !reveal ? { ...result.summary, replies: maskReplies(result.summary.replies) } : result.summary;
      const output: ChirpStatusOutput = summary; // schemas/status-output.schema.json
      const text = `${statusText(summary)}${summary.replies ? repliesText(summary.replies, { reveal, runId: summary.runId }) : ''}`;
      await write(io.stdout, flags.format === 'json' ? `${JSON.stringify(output, null, 2)}\n` : text);
      if (flags.failures && result.failures) {
        if ('missing' in result.failures)
          await write(io.stderr, `chirp: warning: no failures file: ${terminalLine(result.failures.missing)}\n`);
        else await writePrivate(resolve(io.cwd, flags.failures), result.failures.csv);
      }
      // A fence no backtick run in Bird's codes can close.
      writeGithub(io, `## chirp status\n\n${markdownFence(text.trimEnd().split('\n'))}\n`, {
        'run-id': summary.runId,
        final: summary.final,
        delivered: summary.delivered,
        sent: summary.sent,
        accepted: summary.accepted,
        failed: summary.failed + summary.sendFailed,
        unknown: summary.unknown,
        skipped: summary.skipped,
        deleted: summary.deleted,
        scheduled: summary.scheduled,
        settled: summary.settled,
        sending: summary.sending !== null,
        suppressed: summary.suppressed ?? 0,
        total: summary.total ?? '',
        'not-sent': summary.notSent,
        unfinished: summary.unfinished,
        ...(summary.replies ? { 'stop-replies': summary.replies.stop.length, 'stop-replies-not-on-list': summary.replies.notOnList } : {}),
      });
      process.exitCode = exitCode({ command: 'status', summary, waited: flags.wait ?? false });
    });
}

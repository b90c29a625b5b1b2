import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import type { PlanResult } from '../index.js';
import { SEND_DEFAULTS } from '../defaults.js';
import {
  diagnosticsText,
  MARKDOWN_LIMIT,
  planGithub,
  planJson,
  planMarkdown,
  planText,
  previewLinkLine,
  sendPlanMarkdown,
  sendPlanText,
  withPreviewLink,
} from '../report/index.js';
import type { DataFormat } from '../types.js';
import { exitCode } from './exit-codes.js';
import { repositoryPath, writeGithub } from './github.js';
import { hasChanges } from '../util/index.js';
import { write, writePrivate, type Io } from './io.js';
import { addVarOptions, checkReveal, libraryOptions, oneOf, positiveInt, runVars, type GlobalOptions, type VarFlags } from './options.js';
import { maskText } from '../util/index.js';
import { DATA_FORMATS } from './render.js';

interface PlanFlags extends VarFlags {
  data?: string;
  dataFormat?: DataFormat;
  base?: string;
  /** false with --no-merge-base: compare with REF itself (two dots). */
  mergeBase: boolean;
  format: 'text' | 'markdown' | 'json' | 'html' | 'github';
  requireCoverage?: boolean;
  previewUrl?: string;
  out?: string;
  detailedExitcode?: boolean;
  reveal?: boolean;
  journal?: string;
  batchSize: number;
  rate: number;
  window: 'check' | 'ignore';
  revealInCi?: boolean;
  windowMargin: number;
}

/** Receivers (phone-like digit runs, e-mail addresses) in a diagnostic meant for a pull request, unless --reveal. */
const maskDiagnostic = (d: { message: string; row?: number; line: number; column: number }): string =>
  maskText(d.message, { keep: [d.row, d.line, d.column] });
/** The same for a plan problem: the numbers of its `where` (file and row) print anyway. */
const maskProblem = (p: { message: string; where: string }): string =>
  maskText(p.message, { keep: (p.where.match(/\d+/g) ?? []).map(Number) });

/** Problems and samples meant for a pull request: masked unless --reveal. */
function masked(result: PlanResult, reveal: boolean): PlanResult {
  if (reveal) return result;
  if (result.kind === 'diff')
    for (const m of result.diff.messages) for (const p of [...m.introduced, ...m.fixed, ...m.invalidRows]) p.message = maskProblem(p);
  if (result.kind === 'send-plan') {
    for (const r of result.reports) for (const d of r.samples.invalid) d.message = maskDiagnostic(d);
    for (const d of result.problems) d.message = maskDiagnostic(d);
  }
  return result;
}

async function report(io: Io, result: PlanResult, flags: PlanFlags): Promise<void> {
  switch (result.kind) {
    case 'diff': {
      const { diff, sides } = result;
      if (flags.format === 'html') {
        // The visual diff: loaded only here, like `chirp preview`.
        const { writeVisualDiff } = await import('../preview/index.js');
        const file = await writeVisualDiff({
          diff,
          head: sides.head,
          base: sides.base,
          rows: sides.rows,
          reveal: flags.reveal ?? false,
          now: () => new Date(),
          outDir: resolve(io.cwd, flags.out!),
        });
        await write(
          io.stderr,
          `chirp plan: wrote ${relative(io.cwd, file) || file}: before/after of ${diff.messages.filter((m) => m.status !== 'unchanged').length} changed message(s)\n`,
        );
        return;
      }
      const text =
        flags.format === 'github'
          ? planGithub(diff, repositoryPath(io))
          : flags.format === 'json'
            ? planJson(diff)
            : flags.format === 'markdown'
              ? planMarkdown(diff, ...markdownLimit(flags.previewUrl))
              : planText(diff, { color: io.color });
      await write(io.stdout, flags.format === 'markdown' && flags.previewUrl ? withPreviewLink(text, flags.previewUrl) : text);
      return;
    }
    case 'send-plan': {
      const { reports, problems } = result;
      await write(
        io.stdout,
        flags.format === 'json'
          ? `${JSON.stringify({ version: 1, kind: 'send-plan', messages: reports, problems }, null, 2)}\n`
          : flags.format === 'markdown'
            ? sendPlanMarkdown(reports, problems)
            : sendPlanText(reports, problems),
      );
      return;
    }
    case 'not-saved':
      await write(io.stderr, `${diagnosticsText(result.problems)}\nchirp: ${result.problems.length} problem(s); no plan was written\n`);
      return;
    case 'saved': {
      const saved = result.plan;
      await writePrivate(resolve(io.cwd, flags.out!), (await import('../saved-plan/index.js')).serializePlan(saved));
      await write(
        io.stderr,
        `wrote ${flags.out}: ${saved.requests.length} request${saved.requests.length === 1 ? '' : 's'} of ${saved.message} (${saved.hash.slice(0, 19)}…); send it with \`chirp send ${flags.out}\`\n`,
      );
    }
  }
}

/** In GitHub Actions: the markdown plan as the job summary, and `changes` / `problems` as outputs. */
function writePlanGithub(io: Io, result: PlanResult): void {
  if (result.kind === 'diff') {
    writeGithub(io, planMarkdown(result.diff), { changes: hasChanges(result.diff), problems: result.diff.summary.problemsIntroduced });
  } else if (result.kind === 'send-plan') {
    const problems = result.problems.length + result.reports.reduce((n, r) => n + r.invalid, 0);
    writeGithub(io, sendPlanMarkdown(result.reports, result.problems), { changes: result.reports.some((r) => r.toSend > 0), problems });
  }
}

/** Room for the preview link within GitHub's limit. */
function markdownLimit(url: string | undefined): [number] | [] {
  return url ? [MARKDOWN_LIMIT - previewLinkLine(url).length - 1] : [];
}

export function registerPlan(program: Command, io: Io): void {
  const command = program
    .command('plan')
    .description('show what would be sent (never sends): a diff against a git revision, or the send plan')
    .argument('[messages...]', 'message ids (default: the whole catalog)')
    .option('--data <file>', "recipients for both sides (default: each message's examples)")
    .option('--data-format <format>', 'csv, json or ndjson (default: from the file extension)', oneOf('--data-format', DATA_FORMATS))
    .option(
      '--base <ref>',
      'compare with the catalog at the merge base of this git revision and HEAD (e.g. origin/main), as a pull request shows it',
    )
    .option('--no-merge-base', 'with --base: compare with REF itself, not its merge base with HEAD (two dots)')
    .option(
      '--format <format>',
      'text, markdown, json, github (with --base: workflow commands, a warning on each changed line no row renders), or html (with --base and --out DIR: before/after bubbles)',
      oneOf('--format', ['text', 'markdown', 'json', 'github', 'html'] as const),
      'text',
    )
    .option(
      '--out <file>',
      'save the exact requests of one message and its --data as a plan file that `chirp send` can send (with --format html: the folder of the visual diff)',
    )
    .option('--preview-url <url>', 'with --format markdown: link the visual diff (`--format html`) published at this URL')
    .option('--detailed-exitcode', 'exit 2 when there are changes (Terraform convention)')
    .option(
      '--require-coverage',
      'with --base: exit 1 when a template branch of a selected message is reached by no row (config: requireCoverage)',
    )
    .option('--reveal', 'show full recipient numbers')
    .option('--reveal-in-ci', 'allow --reveal when CI is set (it is refused there otherwise)')
    .option('--journal <dir>', 'journal folder for "already sent" (default: .chirp/journal in the catalog)')
    .option('--batch-size <n>', 'for the estimate', positiveInt('--batch-size', 1, 100), SEND_DEFAULTS.batchSize)
    .option('--rate <n>', 'for the estimate', positiveInt('--rate', 1, 10_000), SEND_DEFAULTS.rate)
    .option(
      '--window <mode>',
      'check: look up customer-care windows (the one plan mode that contacts Bird, read-only)',
      oneOf('--window', ['check', 'ignore'] as const),
      'ignore',
    )
    .option(
      '--window-margin <seconds>',
      'with --window check: a window closing within this counts as closed, and is checked again right before its request leaves',
      positiveInt('--window-margin', 0, 86_400),
      300,
    );
  addVarOptions(command).action(async (messages: string[], flags: PlanFlags, command: Command) => {
    const { plan } = await import('../usecases/plan.js');
    checkReveal(io.env, flags);
    if (flags.base !== undefined && flags.base.trim() === '')
      throw new UserError(
        'E_USAGE',
        '--base needs a git revision (e.g. --base origin/main); an empty value would silently plan without a base',
      );
    const html = flags.format === 'html';
    if (flags.format === 'github' && !flags.base)
      throw new UserError(
        'E_USAGE',
        '--format github annotates a plan against git: give --base REF (validate has its own --format github)',
      );
    if (html && !(flags.base && flags.out))
      throw new UserError('E_USAGE', '--format html writes the visual diff of a plan against git: give --base REF and --out DIR');
    if (flags.previewUrl !== undefined && (flags.format !== 'markdown' || !flags.base))
      throw new UserError(
        'E_USAGE',
        '--preview-url goes with --base REF --format markdown (it links the visual diff from the pull-request comment)',
      );
    if (flags.previewUrl !== undefined && !/^https?:\/\/\S+$/i.test(flags.previewUrl))
      throw new UserError('E_USAGE', `--preview-url must be an http(s) URL, not "${flags.previewUrl}"`);
    const vars = await runVars(io, flags);
    if (flags.window === 'check' && flags.base === undefined && !flags.out)
      await write(io.stderr, 'chirp: --window check: looking up customer-care windows at Bird (read-only requests)\n');
    const result = await plan({
      ...libraryOptions(io, command.optsWithGlobals<GlobalOptions>()),
      messages,
      ...(flags.data ? { data: { path: flags.data, ...(flags.dataFormat ? { format: flags.dataFormat } : {}) } } : {}),
      ...(flags.base !== undefined ? { base: flags.base } : {}),
      ...(flags.mergeBase === false ? { mergeBase: false } : {}),
      // With --format html, --out is the visual diff's folder, not a saved plan.
      save: flags.out !== undefined && !html,
      reveal: flags.reveal ?? false,
      ...(flags.journal ? { journal: flags.journal } : {}),
      batchSize: flags.batchSize,
      rate: flags.rate,
      window: flags.window,
      windowMarginSeconds: flags.windowMargin,
      ...(vars ? { vars } : {}),
      ...(flags.requireCoverage ? { requireCoverage: true } : {}),
    });
    await report(io, masked(result, flags.reveal ?? false), flags);
    // Rows send would refuse are problems here too, and said on stderr (stdout may be a PR comment file).
    if (result.kind === 'diff' && result.diff.summary.invalidRows > 0) {
      const count = result.diff.summary.invalidRows;
      await write(
        io.stderr,
        `chirp: ${count} row${count === 1 ? '' : 's'} of ${flags.data ?? 'the examples'} ${count === 1 ? 'does' : 'do'} not render; \`chirp send\` would refuse the data (run \`chirp render\` to see every problem)\n`,
      );
    }
    writePlanGithub(io, result);
    process.exitCode = exitCode({ command: 'plan', result, detailedExitcode: flags.detailedExitcode ?? false });
  });
}

// Exit codes, documented in docs/cli.md, computed by one pure function from a command's outcome.
// The commands only describe what happened; `exitCode` decides what the shell sees.
import { hasChanges } from '../util/index.js';
import type { DiagnosticCode } from '../errors.js';
import type { Diagnostic, PlanResult, SendReport, StatusSummary } from '../index.js';

export const EXIT = {
  OK: 0,
  PROBLEMS: 1,
  USAGE: 2,
  BUG: 70,
  SIGINT: 130,
  /** stdout or stderr was closed by its reader (EPIPE): 128 + SIGPIPE, as shells report it. */
  BROKEN_PIPE: 141,
  SIGTERM: 143,
} as const;

export type Outcome =
  | { command: 'validate'; diagnostics: readonly Diagnostic[] }
  | { command: 'render'; failedRows: number }
  | { command: 'plan'; result: PlanResult; detailedExitcode: boolean }
  | { command: 'send'; report: SendReport; signal?: NodeJS.Signals | undefined }
  | { command: 'status'; summary: StatusSummary; waited: boolean }
  /** A user error (bad input, config, usage); `plan --detailed-exitcode` keeps 2 for "changes". */
  | { command: 'error'; kind: 'user' | 'usage'; code: number; detailedExitcode: boolean }
  | { command: 'bug' };

/** Errors about the run's content or Bird's answers are problems (1); the rest are user errors (2). */
const PROBLEM_CODES: ReadonlySet<DiagnosticCode> = new Set([
  'E_MESSAGE_INVALID',
  'E_TEMPLATE_PULL',
  'E_MESSAGE_TWIN',
  'E_BIRD',
  'E_BIRD_UNREACHABLE',
  'E_WINDOW_CHECK',
  'E_RENDER_WORKER',
  'E_BRANCH_UNREACHED',
]);

export function errorExitCode(code: DiagnosticCode): number {
  return PROBLEM_CODES.has(code) ? EXIT.PROBLEMS : EXIT.USAGE;
}

export function exitCode(outcome: Outcome): number {
  switch (outcome.command) {
    case 'validate':
      // 0 when valid (warnings allowed), 1 when any error.
      return outcome.diagnostics.some((d) => d.severity === 'error') ? EXIT.PROBLEMS : EXIT.OK;
    case 'render':
      return outcome.failedRows > 0 ? EXIT.PROBLEMS : EXIT.OK;
    case 'plan':
      return planExitCode(outcome.result, outcome.detailedExitcode);
    case 'send':
      if (outcome.signal) return outcome.signal === 'SIGINT' ? EXIT.SIGINT : EXIT.SIGTERM;
      return sendExitCode(outcome.report);
    case 'status':
      return statusExitCode(outcome.summary, outcome.waited);
    case 'error': {
      const code = outcome.kind === 'usage' ? EXIT.USAGE : outcome.code;
      // With --detailed-exitcode, 2 means "changes present": errors must not look like it (Terraform's rule).
      return outcome.detailedExitcode && code === EXIT.USAGE ? EXIT.PROBLEMS : code;
    }
    case 'bug':
      return EXIT.BUG;
  }
}

/** Problems introduced (or invalid rows) 1; with --detailed-exitcode, changes (or something to send) 2. */
function planExitCode(result: PlanResult, detailed: boolean): number {
  switch (result.kind) {
    case 'diff': {
      if (result.diff.summary.problemsIntroduced > 0 || (result.diff.summary.invalidRows ?? 0) > 0) return EXIT.PROBLEMS;
      // --require-coverage (or the config's requireCoverage): a branch no row reaches fails the plan.
      if ((result.diff.coverage?.unreached.length ?? 0) > 0) return EXIT.PROBLEMS;
      return detailed && hasChanges(result.diff) ? 2 : EXIT.OK;
    }
    case 'send-plan': {
      if (result.problems.length > 0 || result.reports.some((r) => r.invalid > 0)) return EXIT.PROBLEMS;
      return detailed && result.reports.some((r) => r.toSend > 0) ? 2 : EXIT.OK;
    }
    case 'saved':
      return EXIT.OK;
    case 'not-saved':
      return EXIT.PROBLEMS;
  }
}

/**
 * 0: every recipient accepted or already sent (or a clean dry run); 1: some failed, unknown, not sent,
 * or invalid rows; 2: usage, config or auth error (including a refused confirmation or --expect-count).
 */
function sendExitCode(report: SendReport): number {
  if (report.status === 'refused') return report.stop?.reason === 'invalid-rows' ? EXIT.PROBLEMS : EXIT.USAGE;
  // Auth and a redirect are configuration mistakes (the key, the API URL): nothing more could be sent.
  if (report.status === 'stopped' && (report.stop?.reason === 'auth' || report.stop?.reason === 'redirect')) return EXIT.USAGE;
  const open = report.failed + report.unknown + report.notSent + report.unknownSkipped + report.failedBefore + report.windowClosed;
  if (report.status === 'dry-run') return EXIT.OK;
  return open > 0 || report.status === 'stopped' ? EXIT.PROBLEMS : EXIT.OK;
}

/**
 * 0: nothing failed, nothing unknown, nobody skipped (with --wait: and everything settled).
 * 1: anything failed (rejected, sending_failed, delivery_failed, refused at send), was skipped or
 * deleted, is unknown or resendable, could not be looked up, the run is still being sent, or the run is
 * unfinished (someone of its data was never sent to, or its window was closed); with
 * --wait, anything not settled (final, or scheduled for later) when the timeout passed.
 */
function statusExitCode(s: StatusSummary, waited: boolean): number {
  if (s.failed + s.sendFailed + s.unknown + s.skipped + s.deleted + s.resendable + s.lookupFailed + s.inFlight > 0) return EXIT.PROBLEMS;
  if (s.sending || s.unfinished) return EXIT.PROBLEMS;
  // --replies whose listing could not be read to its end: stop requests may be missing.
  if (s.replies !== null && !s.replies.complete) return EXIT.PROBLEMS;
  return waited && !s.settled ? EXIT.PROBLEMS : EXIT.OK;
}

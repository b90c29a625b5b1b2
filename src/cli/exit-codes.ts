// Exit codes, documented in docs/cli.md. Computed by pure functions; the CLI only assigns process.exitCode.
import type { Diagnostic } from '../types.js';

export const EXIT = {
  OK: 0,
  PROBLEMS: 1,
  USAGE: 2,
  SIGINT: 130,
  /** stdout or stderr was closed by its reader (EPIPE): 128 + SIGPIPE, as shells report it. */
  BROKEN_PIPE: 141,
  SIGTERM: 143,
} as const;

/** validate: 0 when valid (warnings allowed), 1 when any error. */
export function validateExitCode(diagnostics: readonly Diagnostic[]): number {
  return diagnostics.some((d) => d.severity === 'error') ? EXIT.PROBLEMS : EXIT.OK;
}

// Options every command understands, and the parsers for numeric flags.
import { InvalidArgumentError, type Command } from 'commander';
import type { LibraryOptions, RunVars } from '../index.js';
import type { Io } from './io.js';
import { terminalLine } from '../report/index.js';
import { UserError } from '../errors.js';

export interface GlobalOptions {
  config?: string;
}

export function positiveInt(name: string, min = 1, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
    return n;
  };
}

export function oneOf<T extends string>(name: string, allowed: readonly T[]) {
  return (value: string): T => {
    if (!(allowed as readonly string[]).includes(value)) throw new InvalidArgumentError(`${name} must be one of ${allowed.join(', ')}`);
    return value as T;
  };
}

/** What every library call gets from the process: where it runs, the environment, --config, warnings. */
export function libraryOptions(io: Io, globals: GlobalOptions): LibraryOptions {
  return {
    cwd: io.cwd,
    env: io.env,
    ...(globals.config ? { configPath: globals.config } : {}),
    // A warning quotes ids and names: one line, control characters shown.
    warn: (text) => void io.stderr.write(`chirp: warning: ${terminalLine(text)}\n`),
  };
}

export interface VarFlags {
  var?: Record<string, string>;
  vars?: string;
}

/** `--var KEY=VALUE` (repeatable) and `--vars FILE`: values every row gets, the same for the whole run. */
export function addVarOptions(command: Command): Command {
  return command
    .option(
      '--var <key=value>',
      'a run-wide variable, given to every row (repeatable; a data column of the same name is an error)',
      collectVar,
      {},
    )
    .option('--vars <file>', 'run-wide variables from a YAML or JSON mapping (--var wins over the file)');
}

function collectVar(value: string, previous: Record<string, string>): Record<string, string> {
  const eq = value.indexOf('=');
  const key = eq > 0 ? value.slice(0, eq) : '';
  if (!/^[A-Za-z_][\w-]*$/.test(key)) throw new InvalidArgumentError(`--var takes KEY=VALUE with a variable name as KEY, got "${value}"`);
  // `--var v=1 --var v=2`: which one was meant cannot be known (the last would win silently).
  if (Object.hasOwn(previous, key)) throw new InvalidArgumentError(`--var ${key} is given twice: give each variable once`);
  return { ...previous, [key]: value.slice(eq + 1) };
}

/** The run-wide variables of a command's flags, or undefined when none were given. */
export async function runVars(io: Io, flags: VarFlags): Promise<RunVars | undefined> {
  const given = flags.var && Object.keys(flags.var).length > 0 ? flags.var : undefined;
  const { loadRunVars } = await import('../usecases/prepare.js');
  return loadRunVars(io.cwd, flags.vars, given);
}

/** Whether the environment is a CI job (GitHub Actions, GitLab, … set CI=true). */
export function inCi(env: Record<string, string | undefined>): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}

/**
 * `--reveal` prints full phone numbers. CI output lands in logs and pull-request comments that
 * outlive the job, so there it also needs `--reveal-in-ci`: one flag copied from a laptop is not enough.
 */
export function checkReveal(env: Record<string, string | undefined>, flags: { reveal?: boolean; revealInCi?: boolean }): void {
  if (flags.reveal && inCi(env) && !flags.revealInCi) {
    throw new UserError(
      'E_USAGE',
      '--reveal is refused in CI (CI is set): logs and PR comments keep full phone numbers; add --reveal-in-ci if you mean it',
    );
  }
}

// Options every command understands, and the parsers for numeric flags.
import { InvalidArgumentError } from 'commander';
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
    throw new UserError('chirp: --reveal is refused in CI (CI is set): logs and PR comments keep full phone numbers; add --reveal-in-ci if you mean it', [], 2);
  }
}

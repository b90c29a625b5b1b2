// Options every command understands, and the parsers for numeric flags.
import { InvalidArgumentError } from 'commander';
import type { LibraryOptions } from '../index.js';
import type { Io } from './io.js';

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
    cwd: io.cwd, env: io.env, ...(globals.config ? { configPath: globals.config } : {}),
    warn: (text) => void io.stderr.write(`chirp: warning: ${text}\n`),
  };
}

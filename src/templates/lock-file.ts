// The lock on disk, beside chirp.config.yaml: read (refusing a damaged one), age-checked, written.
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Diagnostic } from '../types.js';
import { PULL_HINT } from './checks.js';
import { LOCK_FILE, serializeLock, type TemplateLock } from './lock.js';
import { parseLock } from './parse-lock.js';

export const DEFAULT_LOCK_MAX_AGE_DAYS = 30;

export interface LoadedLock {
  /** undefined: there is no lock, or it was refused (then `diagnostics` says why). */
  lock: TemplateLock | undefined;
  /** As shown to users. */
  file: string;
  exists: boolean;
  diagnostics: Diagnostic[];
}

export function lockPath(root: string): string {
  return join(root, LOCK_FILE);
}

function problem(file: string, message: string, severity: 'error' | 'warning' = 'error'): Diagnostic {
  return {
    code: severity === 'error' ? 'E_TEMPLATE_LOCK' : 'W_TEMPLATE_LOCK_STALE',
    severity,
    file,
    line: 0,
    column: 0,
    pointer: '',
    message,
    hint: PULL_HINT,
  };
}

/** Parse a lock's text (from disk or from a git revision). */
export function lockFromText(text: string, file: string): Pick<LoadedLock, 'lock' | 'diagnostics'> {
  try {
    return { lock: parseLock(text), diagnostics: [] };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { lock: undefined, diagnostics: [problem(file, `templates.lock.json cannot be used: ${why}`)] };
  }
}

export async function readLockFile(root: string, displayName: string): Promise<LoadedLock> {
  const path = lockPath(root);
  if (!existsSync(path)) return { lock: undefined, file: displayName, exists: false, diagnostics: [] };
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return {
      lock: undefined,
      file: displayName,
      exists: true,
      diagnostics: [problem(displayName, `templates.lock.json cannot be read: ${error instanceof Error ? error.message : String(error)}`)],
    };
  }
  return { ...lockFromText(text, displayName), file: displayName, exists: true };
}

/** A warning when the lock is older than `maxAgeDays` (0 turns it off). */
export function staleLockWarning(lock: TemplateLock, file: string, nowMs: number, maxAgeDays: number): Diagnostic | undefined {
  if (maxAgeDays <= 0) return undefined;
  const ageDays = (nowMs - Date.parse(lock.pulledAt)) / 86_400_000;
  if (ageDays <= maxAgeDays) return undefined;
  return problem(
    file,
    `templates.lock.json was pulled ${Math.floor(ageDays)} days ago (${lock.pulledAt}), more than the ${maxAgeDays} days allowed (templates.lockMaxAgeDays)`,
    'warning',
  );
}

/** Written aside and renamed: a crash never leaves half a lock. */
export async function writeLockFile(root: string, lock: TemplateLock): Promise<string> {
  const path = lockPath(root);
  const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, serializeLock(lock));
  await rename(temp, path);
  return path;
}

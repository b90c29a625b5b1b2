// Every temp folder a test makes lives under one root per test file, removed when the file's tests end
// (test/setup.ts), so a run leaves nothing behind in the system's temp folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let root: string | undefined;

export function tempDir(prefix = 'chirp-test-'): string {
  root ??= mkdtempSync(join(tmpdir(), 'chirp-tests-'));
  return mkdtempSync(join(root, prefix));
}

export function removeTempDirs(): void {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
}

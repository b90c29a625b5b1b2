// The batch pool under render's worker threads: answers come back for the batch they belong to, and
// every failure (a throw, a worker that dies, a setup that fails) rejects, never hangs.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BatchPool } from '../../src/render/index.js';
import { UserError } from '../../src/errors.js';

const WORKER = new URL('../fixtures/workers/pool-worker.ts', import.meta.url);
const TSX = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
const pool = (threads: number, data: unknown = {}) => new BatchPool<string, string>({ threads, worker: WORKER, data, preload: TSX });

describe('BatchPool', () => {
  it('answers each batch with its own result, spread over the workers', async () => {
    const p = pool(2);
    try {
      const words = Array.from({ length: 40 }, (_, i) => `batch ${i}`);
      expect(await Promise.all(words.map((w) => p.run(w)))).toEqual(words.map((w) => w.toUpperCase()));
      expect(p.inFlight).toBe(0);
    } finally {
      await p.close();
    }
  }, 30_000);

  it('a batch that throws rejects with its message (a UserError keeps its code); the pool goes on', async () => {
    const p = pool(1);
    try {
      await expect(p.run('throw')).rejects.toThrow('boom');
      const user = await p.run('user').catch((e: unknown) => e);
      expect(user).toBeInstanceOf(UserError);
      expect((user as UserError).code).toBe('E_USAGE');
      expect(await p.run('next')).toBe('NEXT');
    } finally {
      await p.close();
    }
  }, 30_000);

  it('a worker that dies rejects what is in flight and everything after', async () => {
    const p = pool(2);
    try {
      const results = await Promise.allSettled([p.run('exit'), p.run('a'), p.run('b')]);
      expect(results[0].status).toBe('rejected');
      expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/render worker stopped \(exit code 3\)/);
      await expect(p.run('later')).rejects.toThrow(/render worker stopped/);
    } finally {
      await p.close();
    }
  }, 30_000);

  it('a setup that fails answers the first batch with its error', async () => {
    const p = pool(1, 'setup fails');
    try {
      await expect(p.run('a')).rejects.toThrow('the setup broke');
    } finally {
      await p.close();
    }
  }, 30_000);

  it('close() stops the workers and rejects batches still out', async () => {
    const p = pool(1);
    const out = expect(p.run('x')).rejects.toThrow(/closed/);
    await p.close();
    await out;
    await expect(p.run('y')).rejects.toThrow(/closed/);
  }, 30_000);
});

// `chirp send --threads` / CHIRP_THREADS: the built CLI sends what one thread sends (the journal's
// request hashes, in batch order) and checks the count like any option. The request-for-request
// agreement on random rows is test/unit/send-threads.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { report, sendEnv, type SendEnv } from '../helpers/send.js';

/** Every intent's request hashes, in journal order. */
function hashes(env: SendEnv): string[][] {
  return env
    .journalText()
    .split('\n')
    .filter((line) => line.startsWith('{"t":"intent"'))
    .map((line) => (JSON.parse(line) as { h: string[] }).h);
}

const envs: SendEnv[] = [];
afterEach(async () => {
  for (const env of envs.splice(0)) await env.fake.close();
});

describe('chirp send --threads', () => {
  it('sends the same requests as one thread, in the same batches (several worker batches)', async () => {
    const one = await sendEnv(300);
    const two = await sendEnv(300);
    const env = await sendEnv(300);
    envs.push(one, two, env);
    const args = ['--format', 'json', '--batch-size', '50', '--concurrency', '1'];
    const a = await one.send(args, { env: { CHIRP_THREADS: '1' } });
    const b = await two.send([...args, '--threads', '2']);
    const c = await env.send(args, { env: { CHIRP_THREADS: '2' } });
    for (const result of [a, b, c]) {
      expect(result.code).toBe(0);
      expect(report(result).accepted).toBe(300);
    }
    expect(hashes(one)).toHaveLength(6);
    expect(hashes(two)).toEqual(hashes(one));
    expect(hashes(env)).toEqual(hashes(one));
  }, 60_000);

  it('refuses a thread count that is not a whole number from 1 to 16, before anything is sent', async () => {
    const env = await sendEnv(3);
    envs.push(env);
    const flag = await env.send(['--threads', '0']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/--threads must be an integer from 1 to 16/);
    const variable = await env.send([], { env: { CHIRP_THREADS: 'many' } });
    expect(variable.code).toBe(2);
    expect(variable.stderr).toMatch(/CHIRP_THREADS must be an integer from 1 to 16/);
    expect(env.fake.requests).toHaveLength(0);
  });
});

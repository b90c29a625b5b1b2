// Another spelling of the same Bird must not send everyone again: a send nobody confirms (`--yes`) to
// another API origin than earlier runs of the same message and data is refused before any request,
// unless the user says it is another Bird (`--new-origin`). The URL's own spellings are one origin.
import { afterEach, describe, expect, it } from 'vitest';
import { report, sendEnv, type SendEnv } from '../helpers/send.js';
import { hasStackTrace } from '../helpers/cli.js';

let env: SendEnv | undefined;
afterEach(async () => {
  await env?.fake.close();
  env = undefined;
});

describe('a send to another API origin after a run of the same message and data', () => {
  it('localhost after 127.0.0.1 under --yes is refused before any request (exit 2); with --new-origin it sends', async () => {
    env = await sendEnv(3);
    expect(env.fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(report(await env.send(['--format', 'json'])).accepted).toBe(3);
    const requests = env.fake.requests.length;
    const localhost = env.fake.url.replace('127.0.0.1', 'localhost');
    const there = { env: { BIRD_API_URL: localhost } };

    for (const format of ['text', 'json']) {
      const refused = await env.send(['--format', format], there);
      expect(refused.code).toBe(2);
      expect(refused.stdout).toBe('');
      expect(hasStackTrace(refused.stderr)).toBe(false);
      expect(refused.stderr).toContain('E_RUN_OTHER_ORIGIN');
      expect(refused.stderr).toContain(
        `of notice with the same data sent to ${env.fake.url}; this send goes to ${localhost}, another API origin, so everyone in the data would get it again. Nothing was sent. Both name this machine`,
      );
      expect(refused.stderr).toContain('--new-origin');
      expect(refused.stderr).toMatch(/BIRD_API_URL/);
      expect(env.fake.requests.length).toBe(requests);
    }
    // A new run (--new-run) is no way round it: the other origin is the point.
    expect((await env.send(['--new-run'], there)).code).toBe(2);
    expect(env.fake.requests.length).toBe(requests);

    // The user says it is another Bird: sent, and the report records the earlier origin.
    const sent = await env.send(['--format', 'json', '--new-origin'], there);
    expect(sent.code).toBe(0);
    expect(sent.stderr).toContain('chirp: warning: the journal has run');
    const r = report(sent) as unknown as { accepted: number; apiOrigin: string; otherOrigins: { apiOrigin: string }[] };
    expect(r).toMatchObject({ accepted: 3, apiOrigin: localhost, otherOrigins: [{ apiOrigin: env.fake.url }] });
    expect(env.fake.requests.length).toBeGreaterThan(requests);
  });

  it('a dry run is not refused (nothing is sent): it warns that a send nobody confirms would be', async () => {
    env = await sendEnv(2);
    expect(report(await env.send(['--format', 'json'])).accepted).toBe(2);
    const requests = env.fake.requests.length;
    const dry = await env.send(['--dry-run'], { env: { BIRD_API_URL: env.fake.url.replace('127.0.0.1', 'localhost') } });
    expect(dry.code).toBe(0);
    expect(dry.stderr).toMatch(
      /chirp: warning: the journal has run \S+ of notice .*\(a send nobody confirms is refused unless told it is another Bird\)/,
    );
    expect(env.fake.requests.length).toBe(requests);
  });

  it('another spelling of the same origin (case, default port, a trailing slash or path) is the same run: nothing is sent again', async () => {
    env = await sendEnv(2);
    expect(report(await env.send(['--format', 'json'])).accepted).toBe(2);
    const spelled = `${env.fake.url.replace('http://127.0.0.1', 'HTTP://127.0.0.1')}/`;
    const again = await env.send(['--format', 'json'], { env: { BIRD_API_URL: spelled } });
    expect(again.code).toBe(0);
    expect(again.stderr).not.toContain('warning');
    expect(report(again)).toMatchObject({ accepted: 0, alreadySent: 2 });
  });
});

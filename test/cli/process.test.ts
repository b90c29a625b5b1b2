// Most CLI tests run chirp in-process through its own entry (test/helpers/cli.ts): fast, and the same
// program. This file keeps that honest: the same commands, spawned from the build as a user runs them,
// print the same bytes and exit with the same status. Signals and pipes have their own spawned tests
// (send-soak, status, render); CHIRP_TEST_SPAWN=1 spawns every run of the suite.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli, type CliOptions } from '../helpers/cli.js';

const INVALID = join(REPO, 'test/fixtures/invalid');

const cases: { name: string; args: string[]; options?: CliOptions; code: number }[] = [
  { name: 'validate, the example catalog', args: ['validate'], code: 0 },
  {
    name: 'validate --format json, a broken fixture',
    args: ['validate', 'body-and-template.yaml', '--format', 'json'],
    options: { cwd: INVALID },
    code: 1,
  },
  { name: 'an unknown option', args: ['validate', '--no-such-flag'], code: 2 },
  {
    name: 'render from stdin',
    args: ['render', 'releases/notice', '--data', '-', '--data-format', 'csv'],
    options: { input: 'phone,name,version,notes_url,highlight\n+31612345678,Ann,v1.2.0,https://example.com/r,fast\n' },
    code: 0,
  },
  { name: 'a message that is not there', args: ['render', 'no/such'], code: 2 },
  { name: 'send --dry-run', args: ['send', 'releases/notice', '--data', 'docs/examples/recipients.csv', '--dry-run'], code: 0 },
];

describe('in-process runs agree with spawned ones', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const inside = await runCli(c.args, c.options);
      const spawned = await runCli(c.args, { ...c.options, spawn: true });
      expect(spawned.signal).toBeNull();
      expect(spawned.code).toBe(c.code);
      expect(inside.code).toBe(spawned.code);
      expect(inside.stdout).toBe(spawned.stdout);
      expect(inside.stderr).toBe(spawned.stderr);
    });
  }
});

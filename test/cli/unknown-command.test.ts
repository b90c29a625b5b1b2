// An unknown command or help topic: one line on stderr naming the closest command, nothing on stdout,
// exit 2 (it was commander's three lines, and `chirp help nosuch` printed the whole help with exit 0).
import { describe, expect, it } from 'vitest';
import { hasStackTrace, runCli } from '../helpers/cli.js';

describe('unknown commands and help topics', () => {
  it.each([
    [['nosuch'], 'unknown command "nosuch"; the closest is "send"'],
    [['sned', '--data', 'rows.csv', '--yes'], 'unknown command "sned"; the closest is "send"'],
    [['--config', 'chirp.config.yaml', 'valdate'], 'unknown command "valdate"; the closest is "validate"'],
    [['help', 'nosuch'], 'unknown command "nosuch"; the closest is "send"'],
    [['help', 'templates', 'pul'], 'unknown command "templates pul"; the closest is "templates pull"'],
    [['templates', 'push'], 'unknown command "templates push"; the closest is "templates pull"'],
    [['journal', 'lst'], 'unknown command "journal lst"; the closest is "journal list"'],
  ])('chirp %j: one line, the closest command, exit 2', async (args, expected) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`chirp: ${expected}`);
    expect(hasStackTrace(result.stderr)).toBe(false);
  });

  it('known topics still print their help with exit 0', async () => {
    for (const args of [
      ['help', 'send'],
      ['help', 'templates', 'pull'],
      ['journal', 'check', '--help'],
    ]) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stdout).toMatch(/^Usage: chirp /);
    }
  });
});

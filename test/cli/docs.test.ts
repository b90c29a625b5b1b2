// The docs run as written: every example command of docs/cli.md, in order, in a catalog made by
// `chirp init`, against the fake Bird. (The README's tour has a file of its own, so the two run side by side.)
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBird, type FakeBird } from '../../src/fake-bird/index.js';
import { buildProgram } from '../../src/cli/main.js';
import { processIo } from '../../src/cli/io.js';
import { WELCOME_BIRD } from '../../src/cli/init-files.js';
import { CLI, REPO, runCli } from '../helpers/cli.js';
import { bash, baseEnv } from '../helpers/shell.js';
import { tempDir } from '../helpers/temp.js';

/** The non-empty lines of every ```sh block. */
export function shellLines(markdown: string): string[] {
  const lines: string[] = [];
  for (const block of markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)) lines.push(...block[1]!.split('\n').filter((l) => l.trim() !== ''));
  return lines;
}

describe('docs/cli.md examples', () => {
  let fake: FakeBird;
  beforeAll(async () => {
    // Bird has the template project of the catalog's onboarding/welcome, so `chirp templates pull` finds it.
    const templates = tempDir('chirp-docs-templates-');
    writeFileSync(join(templates, 'welcome.json'), JSON.stringify(WELCOME_BIRD));
    fake = await startFakeBird({ templates, lifecycle: { sentAfterMs: 50, finalAfterMs: 200, mix: { delivered: 1 } } });
  });
  afterAll(() => fake?.close());

  const examples = shellLines(readFileSync(join(REPO, 'docs', 'cli.md'), 'utf8'));

  it('has examples for every command', () => {
    for (const command of buildProgram(processIo()).commands.map((c) => c.name())) {
      expect(
        examples.some((l) => l.startsWith(`chirp ${command}`)),
        command,
      ).toBe(true);
    }
    expect(examples.every((l) => l.startsWith('chirp '))).toBe(true);
  });

  it('runs each example, in order, in a catalog made by chirp init; each exits 0', async () => {
    const cat = join(tempDir('chirp-docs-'), 'cat');
    expect((await runCli(['init', cat])).code).toBe(0);
    copyFileSync(join(REPO, 'docs', 'examples', 'recipients.csv'), join(cat, 'recipients.csv'));
    const git = await bash(
      'git init -q && git add -A && git -c user.name=t -c user.email=t@example.com commit -qm catalog',
      cat,
      baseEnv(),
    );
    expect(git.code, git.output).toBe(0);
    const env = { ...baseEnv(), BIRD_API_URL: fake.url, BIRD_ACCESS_KEY: fake.accessKey, GITHUB_STEP_SUMMARY: join(cat, 'summary.md') };
    for (const line of examples) {
      // A line of plain words (and at most a `> file`) means to the shell what it means split at its
      // spaces: it runs in this process (milliseconds, not a Node start each); anything else in bash.
      const plain = /^chirp((?: [\w./:=-]+)*)(?: > ([\w./-]+))?$/.exec(line);
      if (plain) {
        const result = await runCli(plain[1]!.trim().split(' ').filter(Boolean), { cwd: cat, env });
        expect(result.code, `${line}\n${result.stdout}${result.stderr}`).toBe(0);
        if (plain[2] !== undefined) writeFileSync(join(cat, plain[2]), result.stdout);
        continue;
      }
      const result = await bash(`chirp() { node ${JSON.stringify(CLI)} "$@"; }\n${line}`, cat, env);
      expect(result.code, `${line}\n${result.output}`).toBe(0);
    }
    // The sends reached the fake (once), and status --wait saw them delivered.
    expect(fake.accepted).toHaveLength(3);
    expect(fake.accepted.every((m) => m.status === 'delivered')).toBe(true);
  });
});

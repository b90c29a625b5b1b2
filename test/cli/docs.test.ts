// The docs run as written: every example command of docs/cli.md, in order, in a catalog made by
// `chirp init`, against the fake Bird; and the README's tour to the end, `status --wait` included.
import { spawn } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBird, type FakeBird } from '../../src/fake-bird/index.js';
import { buildProgram } from '../../src/cli/main.js';
import { processIo } from '../../src/cli/io.js';
import { WELCOME_BIRD } from '../../src/cli/init-files.js';
import { CLI, REPO, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

/** The non-empty lines of every ```sh block. */
export function shellLines(markdown: string): string[] {
  const lines: string[] = [];
  for (const block of markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)) lines.push(...block[1]!.split('\n').filter((l) => l.trim() !== ''));
  return lines;
}

interface Shell {
  code: number | null;
  output: string;
}

/** bash -e over the script, in its own process group (so background jobs die with it). */
function bash(script: string, cwd: string, env: Record<string, string | undefined>, timeoutMs = 150_000): Promise<Shell> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-e', '-c', script], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    const kill = (): void => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(kill, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      kill();
      resolve({ code, output });
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const baseEnv = (): Record<string, string | undefined> => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  TZ: 'UTC',
  LANG: 'C.UTF-8',
  NO_COLOR: '1',
  npm_config_update_notifier: 'false',
});

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
      const result = await bash(`chirp() { node ${JSON.stringify(CLI)} "$@"; }\n${line}`, cat, env);
      expect(result.code, `${line}\n${result.output}`).toBe(0);
    }
    // The sends reached the fake (once), and status --wait saw them delivered.
    expect(fake.accepted).toHaveLength(3);
    expect(fake.accepted.every((m) => m.status === 'delivered')).toBe(true);
  });
});

describe('README tour', () => {
  it('runs to the end as written (after `npm ci && npm run build`), status --wait included', async () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## A five-minute tour'));
    const tour = (/^```sh\n([\s\S]*?)^```$/m.exec(section)?.[1] ?? '').trimEnd().split('\n');
    expect(tour[0]).toMatch(/^npm ci && npm run build/);
    expect(tour.join('\n')).toMatch(/chirp status --wait/);
    // The one change: a free port instead of 8787, which another process may hold.
    const port = await freePort();
    const script = tour.slice(1).join('\n').replaceAll('8787', String(port));
    const result = await bash(script, REPO, { ...baseEnv(), TMPDIR: tempDir('chirp-tour-') });
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/state: every message reached a final state/);
    expect(result.output).toMatch(/status: nothing-to-send/);
  }, 240_000);
});

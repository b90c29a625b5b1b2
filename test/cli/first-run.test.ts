// What a new user meets first: error messages that say what is wrong once and point the way out,
// the fake Bird's own CLI, and the small things of issue 14 in send's report and prompt.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeCatalog } from '../helpers/catalog.js';
import { CLI, hasStackTrace, REPO, runCli } from '../helpers/cli.js';
import { NOTICE, sendEnv, type SendEnv } from '../helpers/send.js';
import { tempDir } from '../helpers/temp.js';

const FAKE_BIN = join(REPO, 'dist', 'cli', 'fake-bird.js');

describe('errors on a first run', () => {
  it('names a missing --data file once, with its code', async () => {
    const r = await runCli(['render', 'releases/notice', '--data', 'nosuch.csv']);
    expect(r.code).toBe(2);
    expect(r.stderr.match(/nosuch\.csv/g)).toHaveLength(1);
    expect(r.stderr).toMatch(/does not exist \(E_FILE_READ\)/);
  });

  it('says a missing recipients.txt does not exist (not "cannot tell the format")', async () => {
    const r = await runCli(['render', 'releases/notice', '--data', 'recipients.txt']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/recipients\.txt does not exist/);
    expect(r.stderr).not.toMatch(/cannot tell the format/);
    const present = tempDir();
    writeFileSync(join(present, 'recipients.txt'), 'x');
    const unknown = await runCli(['render', 'releases/notice', '--data', join(present, 'recipients.txt')]);
    expect(unknown.stderr).toMatch(/cannot tell the format .* --data-format/);
  });

  it('does not tell a user who passed --config to pass --config', async () => {
    const r = await runCli(['--config', 'nope.yaml', 'validate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope\.yaml \(given with --config\) does not exist/);
    expect(r.stderr).not.toMatch(/pass --config/);
  });

  it('points a folder without a catalog at chirp init, not at a doc the package lacks', async () => {
    const r = await runCli(['validate'], { cwd: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/chirp init/);
    expect(r.stderr).not.toMatch(/docs\//);
  });

  it('refuses validate --format yaml with exit 2, like the other commands', async () => {
    const r = await runCli(['validate', '--format', 'yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--format must be one of text, json/);
  });

  it('suggests the declared variable for {{nmae}}', async () => {
    const root = makeCatalog({ 'messages/notice.yaml': NOTICE.replace('Hi {{name}}', 'Hi {{nmae}}') });
    const r = await runCli(['validate', '--format', 'json'], { cwd: root });
    expect(r.code).toBe(1);
    const d = (JSON.parse(r.stdout) as { diagnostics: { code: string; hint?: string }[] }).diagnostics.find(
      (x) => x.code === 'E_VAR_UNDECLARED',
    );
    expect(d?.hint).toMatch(/^did you mean `name`\?/);
  });
});

describe('chirp-fake-bird CLI', () => {
  it('has --help and turns bad options into one-line errors with exit 2', () => {
    const help = spawnSync(process.execPath, [FAKE_BIN, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--mix STATUS=W/);
    for (const args of [
      ['--bogus'],
      ['--port', 'x'],
      ['--mix', 'delivered=lots'],
      ['--mix', 'nosuch=1'],
      ['--final-after', '-1'],
      ['--fault-rate', '2'],
    ]) {
      const r = spawnSync(process.execPath, [FAKE_BIN, ...args], { encoding: 'utf8', timeout: 10_000 });
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^chirp-fake-bird: /);
      expect(hasStackTrace(r.stderr)).toBe(false);
    }
  });

  it('serves until SIGTERM, and its messages reach a final status so status --wait ends', async () => {
    const child = spawn(process.execPath, [FAKE_BIN, '--port', '0', '--sent-after', '50', '--final-after', '100', '--mix', 'delivered=1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          out += d;
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once('exit', () => reject(new Error(`fake exited: ${out}`)));
      });
      const root = makeCatalog({ 'messages/notice.yaml': NOTICE });
      writeFileSync(join(root, 'rows.csv'), 'phone,name\n+31612345678,Ada\n+31612345679,Bob\n');
      const env = { BIRD_API_URL: url, BIRD_ACCESS_KEY: 'test-key' };
      const journal = tempDir('chirp-journal-');
      expect((await runCli(['send', 'notice', '--data', 'rows.csv', '--yes', '--journal', journal], { cwd: root, env })).code).toBe(0);
      const status = await runCli(['status', '--wait', '--interval', '1', '--timeout', '30', '--journal', journal, '--format', 'json'], {
        cwd: root,
        env,
      });
      expect(status.code, status.stdout + status.stderr).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({ delivered: 2, final: true });
    } finally {
      child.kill('SIGTERM');
    }
  });
});

describe('send: the small things', () => {
  let env: SendEnv | undefined;
  afterEach(async () => {
    await env?.fake.close();
    env = undefined;
  });

  it('keeps --yes, --batch-size and --rate in the resume hint, so the hinted command runs the same way in CI', async () => {
    env = await sendEnv(30);
    env.fake.faults.push({ kind: 'reset-after', on: 'batch' });
    const r = await env.send(['--batch-size', '10', '--rate', '7', '--concurrency', '1', '--format', 'json']);
    expect(r.code).toBe(1);
    const hint = (JSON.parse(r.stdout) as { resumeCommand: string }).resumeCommand;
    expect(hint).toMatch(/ --batch-size 10\b/);
    expect(hint).toMatch(/ --rate 7\b/);
    expect(hint).toMatch(/ --concurrency 1\b/);
    expect(hint).toMatch(/ --yes$/);
    expect(hint).not.toMatch(/--retry-unknown/);
  });

  it('says "and N more" after the first already-sent recipients', async () => {
    env = await sendEnv(8);
    expect((await env.send()).code).toBe(0);
    const again = await env.send();
    expect(again.code).toBe(0);
    expect(again.stdout.match(/^ {2}already sent: row/gm)).toHaveLength(5);
    expect(again.stdout).toMatch(/^ {2}… and 3 more already sent$/m);
  });

  it('names the duplicate rows in send --dry-run', async () => {
    env = await sendEnv(3);
    writeFileSync(env.data, 'phone,name\n+31612345678,Ada\n+31 6 1234 5678,Ada again\n+31612345679,Bob\n');
    const r = await env.send(['--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/duplicates +1 \(sent once\)/);
    expect(r.stdout).toMatch(/rows\.csv:3:\d+ +warning +W_DUPLICATE_RECIPIENT +row 2: .*row 1/);
  });

  it('shows batches and an estimate at the confirmation prompt (on a terminal)', () => {
    const root = makeCatalog({ 'messages/notice.yaml': NOTICE });
    const rows = ['phone,name', ...Array.from({ length: 250 }, (_, i) => `+3161${String(i).padStart(7, '0')},P${i}`)];
    writeFileSync(join(root, 'rows.csv'), `${rows.join('\n')}\n`);
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} send notice --data rows.csv --journal ${JSON.stringify(tempDir())}`;
    // script(1) gives the command a terminal; the answer "n" refuses (exit 2), nothing is sent.
    const r = spawnSync('script', ['-qec', command, '/dev/null'], {
      cwd: root,
      input: 'n\n',
      encoding: 'utf8',
      timeout: 30_000,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', BIRD_API_URL: 'http://127.0.0.1:9', BIRD_ACCESS_KEY: 'k' },
    });
    expect(r.stdout).toMatch(/Send 250 messages of notice to channel \S+ \(3 batches of ≤100, ≈1 s at 50 requests\/s\)\? \[y\/N\]/);
  });

  it('starts the progress clock after the confirmation, not before the prompt', async () => {
    env = await sendEnv(40);
    env.fake.faults.set('single', { kind: 'latency', ms: 20 });
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} send notice --data rows.csv --batch-size 1 --concurrency 1 --journal ${JSON.stringify(env.journal)}`;
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd: env.root,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NO_COLOR: '1',
        BIRD_API_URL: env.fake.url,
        BIRD_ACCESS_KEY: env.fake.accessKey,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    // The user thinks for three seconds before saying yes.
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (/\[y\/N\]/.test(out)) {
          clearInterval(poll);
          setTimeout(() => {
            child.stdin.write('y\n');
            resolve();
          }, 3000);
        }
      }, 50);
    });
    await new Promise((resolve) => child.once('close', resolve));
    expect(out).toMatch(/status: complete/);
    const clocks = [...out.matchAll(/msg\/s · (\d+) s/g)].map((m) => Number(m[1]));
    expect(clocks.length).toBeGreaterThan(0);
    expect(Math.max(...clocks)).toBeLessThan(3);
  });
});

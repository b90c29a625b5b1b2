// Issue 11, cases 1–4 and 6–10: what an adversarial user tried, run through the built CLI on
// test/fixtures/hostile. Case 5 (walls) is in walls.test.ts.
import { describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, hasStackTrace, REPO, runCli } from '../helpers/cli.js';
import { makeCatalog } from '../helpers/catalog.js';
import { tempDir } from '../helpers/temp.js';
import { sendEnv } from '../helpers/send.js';

const HOSTILE = join(REPO, 'test/fixtures/hostile');
const run = (args: string[], options: Parameters<typeof runCli>[1] = {}) => runCli(args, { cwd: HOSTILE, ...options });

function requests(stdout: string): { receiver: { contacts: { identifierValue: string }[] }; body: { text: { text: string } } }[] {
  return stdout.trim() === ''
    ? []
    : stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as never);
}
const recipients = (stdout: string) => requests(stdout).map((r) => r.receiver.contacts[0]!.identifierValue);

/** The hostile catalog copied into a git repository (one commit), with `greet` changed in the working tree. */
function gitCatalog(change: (root: string) => void): string {
  const root = tempDir('chirp-hostile-git-');
  cpSync(HOSTILE, root, { recursive: true });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'pipe' });
  git('init', '-q');
  git('add', '.');
  git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'base');
  change(root);
  return root;
}

describe('case 1: wrong numbers', () => {
  it('normalises (0) trunk prefixes, refuses a too-short number, and finds duplicates after normalising', async () => {
    const result = await run(['render', 'greet', '--data', 'data/wrong-numbers.csv']);
    expect(recipients(result.stdout)).toEqual(['+31612345678', '+442071838750']);
    expect(result.stdout).not.toMatch(/\+310|\+440/);
    expect(result.stderr).toMatch(/wrong-numbers\.csv:3:1 {2}warning {2}W_DUPLICATE_RECIPIENT {2}row 2: .* row 1/);
    expect(result.stderr).toMatch(/wrong-numbers\.csv:5:1 {2}warning {2}W_DUPLICATE_RECIPIENT {2}row 4: .* row 3/);
    expect(result.stderr).toMatch(
      /wrong-numbers\.csv:6:1 {2}error {2}E_RECEIVER_INVALID {2}row 5: recipient "\+3161234" is (too short|not a valid number).*\(column 1, "phone"\)$/m,
    );
    expect(result.code).toBe(1);
  });
});

describe('case 2: national numbers', () => {
  it("are read with the message's defaultCountry, and are one person with the international form", async () => {
    const result = await run(['render', 'national', '--data', 'data/national.csv']);
    expect(recipients(result.stdout)).toEqual(['+31612345678']);
    expect(result.stderr).toContain('W_DUPLICATE_RECIPIENT');
  });

  it('are refused without a defaultCountry, with a hint that says to set it', async () => {
    const result = await run(['render', 'greet', '--data', 'data/national.csv']);
    expect(result.stderr).toMatch(/E_RECEIVER_INVALID {2}row 1: recipient "0612345678" has no country code; .*defaultCountry/);
    expect(recipients(result.stdout)).toEqual(['+31612345678']);
    expect(result.code).toBe(1);
  });

  it('take defaultCountry from chirp.config.yaml, and an unknown country is a config error', async () => {
    const greet = readFileSync(join(HOSTILE, 'messages/greet.yaml'), 'utf8');
    const root = makeCatalog({
      'chirp.config.yaml': `${readFileSync(join(HOSTILE, 'chirp.config.yaml'), 'utf8')}defaultCountry: GB\n`,
      'messages/greet.yaml': greet,
      'rows.csv': 'phone,name\n020 7183 8750,Bob\n',
    });
    const ok = await runCli(['render', 'greet', '--data', 'rows.csv'], { cwd: root });
    expect(recipients(ok.stdout)).toEqual(['+442071838750']);
    writeFileSync(join(root, 'chirp.config.yaml'), `${readFileSync(join(HOSTILE, 'chirp.config.yaml'), 'utf8')}defaultCountry: XX\n`);
    const bad = await runCli(['validate'], { cwd: root });
    expect(bad.stderr).toMatch(/E_CONFIG .*defaultCountry "XX"/);
    expect(bad.code).toBe(2);
  });
});

describe('case 3: objects and lists are not text', () => {
  it('is a validate-time error where the variable is declared as an object, and #each of a declared string too', async () => {
    const result = await run(['validate', '--format', 'json', 'messages/object-declared.yaml']);
    const codes = (JSON.parse(result.stdout) as { diagnostics: { code: string; line: number }[] }).diagnostics.map((d) => d.code);
    expect(codes).toContain('E_VALUE_NOT_TEXT');
    expect(codes).toContain('E_EACH_NOT_LIST');
    expect(result.code).toBe(1);
  });

  it('is a row error naming the variable otherwise; #each over a string is one too', async () => {
    const result = await run(['render', 'untyped', '--data', 'data/objects.json']);
    expect(requests(result.stdout).map((r) => r.body.text.text)).toEqual(['Hi fine #a #b']);
    expect(result.stdout).not.toContain('[object Object]');
    expect(result.stderr).toMatch(/objects\.json:2:\d+ {2}error {2}E_VALUE_NOT_TEXT {2}row 1: variable "big" is an object/);
    expect(result.stderr).toMatch(/objects\.json:3:\d+ {2}error {2}E_EACH_NOT_LIST {2}row 2: .*"tags" is text/);
    expect(result.stderr).toMatch(/objects\.json:4:\d+ {2}error {2}E_VALUE_NOT_TEXT {2}row 3: variable "big" is a list/);
    expect(result.code).toBe(1);
  });
});

describe('case 3: a whole-value variable', () => {
  it('names the variable when an object lands where Bird wants text', async () => {
    const result = await run(['render', 'whole-value', '--data', 'data/objects.json']);
    expect(requests(result.stdout).map((r) => r.body.text.text)).toEqual(['ok', 'fine']);
    expect(result.stderr).toMatch(/objects\.json:2:\d+ {2}error {2}E_VALUE_NOT_TEXT {2}row 1: variable "big" is an object/);
    expect(result.stderr).toMatch(/objects\.json:4:\d+ {2}error {2}E_VALUE_NOT_TEXT {2}row 3: variable "big" is a list/);
  });
});

describe('case 4: data is text', () => {
  for (const file of ['invalid-utf8.csv', 'invalid-utf8.ndjson', 'invalid-utf8.json']) {
    it(`refuses invalid UTF-8 in ${file}, naming the row and the line`, async () => {
      const result = await run(['render', 'greet', '--data', `data/${file}`]);
      expect(result.stdout).not.toContain('\ufffd');
      const line = file.endsWith('.ndjson') ? 2 : 3;
      expect(result.stderr).toMatch(
        new RegExp(`${file.replace('.', '\\.')}:${line}:\\d+ {2}error {2}E_DATA_ENCODING {2}row 2 \\(line ${line}.*not valid UTF-8`),
      );
      expect(hasStackTrace(result.stderr)).toBe(false);
      expect(result.code).toBe(2);
    });
  }

  it('refuses a NUL byte in a printed value as a row error', async () => {
    const result = await run(['render', 'greet', '--data', 'data/nul.csv']);
    expect(recipients(result.stdout)).toEqual(['+31612345678']);
    expect(result.stdout).not.toContain('\\u0000');
    expect(result.stderr).toMatch(
      /nul\.csv:3:2 {2}error {2}E_CONTROL_CHAR {2}row 2: variable "name" contains the control character U\+0000.*\(column 2, "name"\)$/m,
    );
    expect(result.code).toBe(1);
  });
});

describe('case 6: output that data can break', () => {
  it('refuses escape sequences in printed values as row errors', async () => {
    const result = await run(['render', 'greet', '--data', 'data/escape.ndjson']);
    expect(result.stdout).not.toContain('\\u001b');
    expect(result.stderr).not.toContain('\u001b');
    expect(result.stderr).toMatch(/E_CONTROL_CHAR {2}row 2: variable "phone" contains the control character U\+001B/);
    expect(result.stderr).toMatch(/E_CONTROL_CHAR {2}row 3: variable "name" contains the control character U\+001B/);
  });

  it('shows escape sequences from data escaped in diagnostics, never raw', async () => {
    const result = await run(['render', 'greet', '--data', 'data/escape-header.csv']);
    expect(result.stderr).toContain('E_DATA');
    expect(result.stderr).not.toContain('\u001b');
    expect(result.stderr).toContain('"\\x1b[2Jname" appears twice');
  });

  it('escapes data in the markdown plan: no </details> or HTML outside code, fences longer than any backtick run', async () => {
    const root = gitCatalog((dir) =>
      writeFileSync(
        join(dir, 'data/details.csv'),
        `phone,name\n+31612345678,"</details><img src=x onerror=alert(1)> \`\`\`\`\` [x](http://evil)"\n"</details><img src=x>",Eve\n`,
      ),
    );
    writeFileSync(
      join(root, 'messages/greet.yaml'),
      readFileSync(join(root, 'messages/greet.yaml'), 'utf8').replace('Hi {{name}}', 'Hello {{name}}'),
    );
    const result = await runCli(['plan', 'greet', '--base', 'HEAD', '--data', 'data/details.csv', '--format', 'markdown'], { cwd: root });
    const fences = [...result.stdout.matchAll(/^(`{3,})diff\n[\s\S]*?^\1$/gm)];
    expect(fences.length).toBeGreaterThan(0);
    const outside = result.stdout.replace(/^(`{3,})diff\n[\s\S]*?^\1$/gm, '');
    expect(outside.match(/<\/details>/g)?.length).toBe(outside.match(/<details>/g)?.length);
    expect(outside).not.toMatch(/<img|\]\(http/);
    expect(outside).toContain('&lt;/details&gt;');
  });
});

describe('case 7: masking in every format', () => {
  it('masks invalid rows in send --dry-run, text and JSON, unless --reveal', async () => {
    for (const format of ['text', 'json']) {
      const result = await run(['send', 'greet', '--data', 'data/five-invalid.csv', '--dry-run', '--format', format]);
      expect(result.stdout).toContain('E_RECEIVER_INVALID');
      expect(result.stdout).not.toContain('+3161234');
    }
    const revealed = await run(['send', 'greet', '--data', 'data/five-invalid.csv', '--dry-run', '--format', 'json', '--reveal']);
    expect(revealed.stdout).toContain('+3161234');
  });

  it('refuses --reveal when CI is set, unless --reveal-in-ci is given too', async () => {
    const args = ['send', 'greet', '--data', 'data/five-invalid.csv', '--dry-run', '--reveal'];
    const refused = await run(args, { env: { CI: 'true' } });
    expect(refused.stderr).toContain('--reveal-in-ci');
    expect(refused.code).toBe(2);
    const allowed = await run([...args, '--reveal-in-ci'], { env: { CI: 'true' } });
    expect(allowed.stdout).toContain('+3161234');
    const plan = await run(['plan', 'greet', '--reveal'], { env: { CI: '1' } });
    expect(plan.code).toBe(2);
  });
});

describe('case 8: plan --data reports what send would', () => {
  const changed = () =>
    gitCatalog((dir) =>
      writeFileSync(
        join(dir, 'messages/greet.yaml'),
        readFileSync(join(dir, 'messages/greet.yaml'), 'utf8').replace('Hi {{name}}', 'Hello {{name}}'),
      ),
    );

  it('names invalid rows (masked), exits 1 and says so on stderr', async () => {
    const root = changed();
    const result = await runCli(['plan', 'greet', '--base', 'HEAD', '--data', 'data/five-invalid.csv'], { cwd: root });
    expect(result.stdout).toContain('3 of 3 recipients get a different message; 2 invalid rows');
    expect(result.stdout).toMatch(/invalid E_RECEIVER_INVALID at data\/five-invalid\.csv row 3/);
    expect(result.stdout).not.toContain('+3161234');
    expect(result.stderr).toMatch(/2 rows of data\/five-invalid\.csv do not render/);
    expect(result.code).toBe(1);
  });

  it('counts recipients after de-duplication, and gets the grammar right for 1', async () => {
    const root = changed();
    const dup = await runCli(['plan', 'greet', '--base', 'HEAD', '--data', 'data/five-duplicates.csv'], { cwd: root });
    expect(dup.stdout).toContain('3 of 3 recipients get a different message; 2 duplicate rows (sent once)');
    expect(dup.code).toBe(0);
    writeFileSync(join(root, 'one.csv'), 'phone,name\n+31612345678,Ada\n');
    const one = await runCli(['plan', 'greet', '--base', 'HEAD', '--data', 'one.csv'], { cwd: root });
    expect(one.stdout).toContain('1 of 1 recipient gets a different message');
  });
});

describe('case 9: stdin', () => {
  it('is spooled in a private folder that is gone when the run ends', async () => {
    const tmp = tempDir('chirp-tmpdir-');
    const input = readFileSync(join(HOSTILE, 'data/wrong-numbers.csv'), 'utf8');
    const result = await run(['send', 'greet', '--data', '-', '--data-format', 'csv', '--dry-run'], { input, env: { TMPDIR: tmp } });
    expect(result.stdout).toContain('recipients');
    expect(readdirSync(tmp)).toEqual([]);
    // A run refused after the copy was made (here: no access key) removes it too.
    const refused = await run(['send', 'greet', '--data', '-', '--data-format', 'csv', '--yes'], { input, env: { TMPDIR: tmp } });
    expect(refused.stderr).toContain('no access key');
    expect(refused.code).toBe(2);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('is a 0600 file in a 0700 folder while the run reads it', async () => {
    const tmp = tempDir('chirp-tmpdir-');
    const child = spawn(process.execPath, [CLI, 'send', 'greet', '--data', '-', '--data-format', 'csv', '--dry-run'], {
      cwd: HOSTILE,
      env: { PATH: process.env.PATH, TMPDIR: tmp, NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdin.write('phone,name\n+31612345678,Ada\n');
    let modes: number[] | undefined;
    for (let i = 0; i < 200 && !modes; i++) {
      await new Promise((r) => setTimeout(r, 25));
      const dir = readdirSync(tmp)[0];
      const files = dir ? readdirSync(join(tmp, dir)) : [];
      if (dir && files.length > 0) modes = [statSync(join(tmp, dir)).mode & 0o777, statSync(join(tmp, dir, files[0]!)).mode & 0o777];
    }
    child.stdin.end();
    expect(await closed).toBe(0);
    expect(modes).toEqual([0o700, 0o600]);
    expect(readdirSync(tmp)).toEqual([]);
  });
});

describe('case 9: a resumable run from stdin', () => {
  it('records the hash of the bytes read, so a resume with different bytes is refused', async () => {
    const env = await sendEnv(3);
    try {
      const input = readFileSync(env.data, 'utf8');
      const first = await env.send(['--data', '-', '--data-format', 'csv', '--format', 'json'], { input });
      const runId = (JSON.parse(first.stdout) as { runId: string }).runId;
      expect(first.code).toBe(0);
      const other = `${input}+31612345678,Someone else\n`;
      const resumed = await env.send(['--data', '-', '--data-format', 'csv', '--resume', runId], { input: other });
      expect(resumed.stderr).toMatch(/different inputs \(the data changed/);
      expect(resumed.code).toBe(2);
      expect(env.counts().size).toBe(3);
    } finally {
      await env.fake.close();
    }
  });
});

describe('case 10: a closed pipe', () => {
  it('ends chirp quietly with 141 when the reader of stdout leaves', async () => {
    const rows = ['phone,name', ...Array.from({ length: 20_000 }, (_, i) => `+3162${String(i).padStart(7, '0')},P${i}`)].join('\n');
    const root = makeCatalog({
      'messages/greet.yaml': readFileSync(join(HOSTILE, 'messages/greet.yaml'), 'utf8'),
      'rows.csv': `${rows}\n`,
    });
    const result = await new Promise<{ code: number | null; stderr: string; first: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, 'render', 'greet', '--data', 'rows.csv'], {
        cwd: root,
        env: { PATH: process.env.PATH, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      let first = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.stdout.once('data', (d: Buffer) => {
        first = d.toString('utf8').split('\n')[0]!;
        child.stdout.destroy(); // as `head -1` does: read one line, close the pipe
      });
      child.on('close', (code) => resolve({ code, stderr, first }));
    });
    expect(result.first).toContain('"identifierValue":"+31620000000"');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(141);
  });
});

// Issue 29: names and texts from a pull request, as the attacker writes them (a real git repository).
describe('issue 29: a pull request that writes workflow commands through a file name', () => {
  const EVIL = 'x\n::error title=Forged::pwned\n::add-mask::The team.yaml';
  const commandLines = (out: string): string[] => out.split('\n').filter((l) => l.trimStart().startsWith('::'));

  /** The hostile catalog with the evil file committed on top of the base commit (the pull request's head). */
  function evilRepo(): string {
    return gitCatalog((dir) => {
      writeFileSync(join(dir, 'messages', EVIL), readFileSync(join(dir, 'messages/greet.yaml'), 'utf8'));
      const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
      git('add', '.');
      git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'evil');
    });
  }

  it('the file is refused with E_MESSAGE_NAME, shown escaped, and no format prints a line GitHub would run', async () => {
    const root = evilRepo();
    const summary = join(root, 'summary.md');
    writeFileSync(summary, '');
    const gh = { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: join(root, 'out.txt') };
    for (const format of ['text', 'markdown', 'json']) {
      const plan = await runCli(['plan', '--base', 'HEAD~1', '--format', format], { cwd: root, env: gh });
      expect(plan.code, plan.stderr).toBe(1); // a problem introduced
      expect(hasStackTrace(plan.stderr)).toBe(false);
      expect(plan.stdout).toContain('E_MESSAGE_NAME');
      expect(commandLines(plan.stdout), format).toEqual([]);
      expect(commandLines(plan.stderr), format).toEqual([]);
      if (format === 'json') {
        const json = JSON.parse(plan.stdout) as { messages: { id: string }[]; catalogIntroduced: { code: string }[] };
        expect(json.catalogIntroduced.map((p) => p.code)).toEqual(['E_MESSAGE_NAME']);
        expect(json.messages.some((m) => m.id.includes('\n'))).toBe(false);
      } else expect(plan.stdout).toContain('x\\n::error title=Forged::pwned\\n::add-mask::The team.yaml');
    }
    expect(readFileSync(summary, 'utf8')).toContain('E_MESSAGE_NAME');
    expect(commandLines(readFileSync(summary, 'utf8'))).toEqual([]);

    const text = await runCli(['validate'], { cwd: root });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/E_MESSAGE_NAME/);
    expect(commandLines(text.stdout)).toEqual([]);
    // --format github writes annotations on purpose: one per diagnostic, and nothing else that GitHub runs.
    const json = JSON.parse((await runCli(['validate', '--format', 'json'], { cwd: root })).stdout) as { diagnostics: unknown[] };
    const annotations = commandLines((await runCli(['validate', '--format', 'github'], { cwd: root })).stdout);
    expect(annotations).toHaveLength(json.diagnostics.length);
    for (const line of annotations) expect(line).toMatch(/^::(error|warning) file=[^\n]*title=E_[A-Z_]+::/);
    expect(annotations.some((l) => l.includes('add-mask'))).toBe(true); // inside chirp's own annotation, escaped

    // The same rule on the git side: the file in the base revision is not read as a message either.
    execFileSync('git', ['rm', '-q', `messages/${EVIL}`], { cwd: root });
    const reverse = await runCli(['plan', '--base', 'HEAD', '--format', 'json'], { cwd: root });
    const reversed = JSON.parse(reverse.stdout) as { messages: { id: string; status: string }[] };
    expect(reversed.messages.filter((m) => m.status === 'removed')).toEqual([]);
  });

  it('a bidi override in literal text is a warning (W_BIDI_CONTROL), and the plan shows it escaped', async () => {
    const root = gitCatalog((dir) =>
      writeFileSync(
        join(dir, 'messages/bidi.yaml'),
        readFileSync(join(dir, 'messages/greet.yaml'), 'utf8').replace('Hi {{name}}', 'Pay \u202e0001\u202c EUR, {{name}}'),
      ),
    );
    const validate = await runCli(['validate', 'bidi', '--format', 'json'], { cwd: root });
    expect(validate.code).toBe(0);
    expect(validate.stdout).toContain('W_BIDI_CONTROL');
    for (const format of ['text', 'markdown']) {
      const plan = await runCli(['plan', 'bidi', '--base', 'HEAD', '--format', format], { cwd: root });
      expect(plan.stdout).toContain('\\u202e0001\\u202c');
      expect(plan.stdout).not.toMatch(/[\u202a-\u202e]/);
    }
  });

  it('validate on a folder checks the messages in it (it said EISDIR)', async () => {
    const root = makeCatalog({
      'messages/releases/a.yaml': readFileSync(join(HOSTILE, 'messages/greet.yaml'), 'utf8'),
      'messages/releases/b.yaml': 'channel: nosuch\n',
      'messages/other.yaml': readFileSync(join(HOSTILE, 'messages/greet.yaml'), 'utf8'),
      'empty/.keep': '',
    });
    const result = await runCli(['validate', 'messages/releases', '--format', 'json'], { cwd: root });
    expect(result.stderr).not.toContain('EISDIR');
    expect(JSON.parse(result.stdout)).toMatchObject({ files: 2 });
    expect(result.code).toBe(1);
    const none = await runCli(['validate', 'empty'], { cwd: root });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('E_MESSAGE_NOT_FOUND');
  });
});

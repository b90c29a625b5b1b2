// The package as users get it: `npm pack`, publint and arethetypeswrong on the tarball, then the
// tarball installed into a new project outside the repository, its bin run on a catalog made by
// `chirp init`, and the library imported from TypeScript under moduleResolution nodenext.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_NAME } from '../../src/package-info.js';
import { REPO } from '../helpers/cli.js';
import { npmEnv, packAndInstall, run, type Installed } from '../helpers/package.js';
import { tempDir } from '../helpers/temp.js';
import { startYamlLs } from '../helpers/yaml-ls.js';

const BIN = (name: string): string => join(REPO, 'node_modules', '.bin', name);
let pkg: Installed;

beforeAll(() => {
  pkg = packAndInstall();
}, 180_000);

/** Every `$schema=` modeline under dir, with the file it is in. */
function modelines(dir: string): { file: string; target: string }[] {
  const found: { file: string; target: string }[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.ya?ml$/.test(entry.name)) continue;
    const file = join(entry.parentPath, entry.name);
    const match = /^# yaml-language-server: \$schema=(\S+)$/m.exec(readFileSync(file, 'utf8'));
    if (match) found.push({ file, target: match[1]! });
  }
  return found;
}

describe('the packed tarball', () => {
  it('is named as package-info.ts says and holds exactly what users need', () => {
    expect(pkg.name).toBe(PACKAGE_NAME);
    const files = pkg.files;
    for (const needed of [
      'package.json',
      'README.md',
      'LICENSE',
      'dist/cli/bin.js',
      'dist/cli/fake-bird.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/schema/validators.cjs',
      'schemas/message.schema.json',
      'schemas/config.schema.json',
      // Each command's JSON output has a schema consumers validate against (docs/cli.md links them).
      'schemas/diagnostic.schema.json',
      'schemas/validate-output.schema.json',
      'schemas/render-output.schema.json',
      'schemas/send-output.schema.json',
      'schemas/status-output.schema.json',
      'schemas/journal-check-output.schema.json',
      'schemas/templates-pull-output.schema.json',
      'docs/examples/pull-request.yml',
      'docs/examples/release-notice.yml',
      'action.yml',
      'action/run.mjs',
      'action/comment.mjs',
    ]) {
      expect(files).toContain(needed);
    }
    expect(
      files.filter((f) => /^(src|test|bench|scripts|build)\//.test(f) || f.endsWith('.map') || (f.endsWith('.ts') && !f.endsWith('.d.ts'))),
    ).toEqual([]);
    // Declarations of the CLI and the fake are no API: only the library's types ship.
    expect(files.filter((f) => /^dist\/(cli|fake-bird)\/.*\.d\.ts$/.test(f))).toEqual([]);
  });

  it('runs no script on install (npm warns about install scripts): only prepack builds, before packing', () => {
    const manifest = JSON.parse(readFileSync(join(pkg.project, 'node_modules', PACKAGE_NAME, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(manifest.scripts[hook], hook).toBeUndefined();
    expect(manifest.scripts.prepack).toBe('npm run build');
  });

  it('has no empty modules (type-only files compile to `export {};`)', () => {
    const dist = join(pkg.project, 'node_modules', PACKAGE_NAME, 'dist');
    const empty = pkg.files
      .filter((f) => f.startsWith('dist/') && f.endsWith('.js'))
      .filter(
        (f) =>
          readFileSync(join(dist, f.slice('dist/'.length)), 'utf8')
            .replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')
            .trim() === 'export {};',
      );
    expect(empty).toEqual([]);
  });

  it('passes publint (strict) and arethetypeswrong (ESM only)', () => {
    const env = { ...npmEnv(), npm_config_offline: undefined };
    const publint = run(process.execPath, [BIN('publint'), '--strict', pkg.tarball], REPO, env);
    expect(publint.status, publint.stdout + publint.stderr).toBe(0);
    const attw = run(process.execPath, [BIN('attw'), pkg.tarball, '--profile', 'esm-only', '--no-color'], REPO, env);
    expect(attw.status, attw.stdout + attw.stderr).toBe(0);
  });
});

/**
 * A bin of the installed package, run as npx runs it once found (node_modules/.bin: the link, its shebang):
 * each `npx` is an npm start of its own (≈ 1-2 s), so npx itself finds the bins in the cases that say so.
 */
const installed = (name: string, args: string[], cwd: string) => run(join(pkg.project, 'node_modules', '.bin', name), args, cwd);

describe('installed into a new project', () => {
  const chirp = (args: string[], cwd: string) => run('npx', ['--no-install', 'chirp', ...args], cwd);
  // The catalog every test here reads: made once, before any of them (they run in any order: --sequence.shuffle).
  let init: ReturnType<typeof chirp>;
  beforeAll(() => {
    init = chirp(['init', 'cat'], pkg.project);
  }, 60_000);

  it('`npx chirp init cat && cd cat && npx chirp validate` exits 0, from a catalog outside the repository', () => {
    expect(init.status, init.stderr).toBe(0);
    const cat = join(pkg.project, 'cat');
    const validate = chirp(['validate'], cat);
    expect(validate.status, validate.stdout + validate.stderr).toBe(0);
    expect(validate.stderr).toMatch(/4 message files checked: 0 errors/);
    expect(installed('chirp', ['--version'], cat).stdout.trim()).toBe(pkg.version);
    const render = installed('chirp', ['render', 'releases/notice'], cat);
    expect(render.status, render.stderr).toBe(0);
    expect(render.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('points every $schema modeline of the new catalog at the installed package, and the files exist', () => {
    const cat = join(pkg.project, 'cat');
    const lines = modelines(cat);
    expect(lines.length).toBe(5);
    for (const { file, target } of lines) {
      expect(target).toContain(`node_modules/${PACKAGE_NAME}/schemas/`);
      expect(existsSync(resolve(dirname(file), target)), `${file}: ${target}`).toBe(true);
    }
    expect(existsSync(join(cat, 'schemas'))).toBe(false);
  });

  it('git-ignores .chirp/ in the new catalog', () => {
    const cat = join(pkg.project, 'cat');
    mkdirSync(join(cat, '.chirp', 'journal'), { recursive: true });
    writeFileSync(join(cat, '.chirp', 'journal', 'run.ndjson'), '{}\n');
    expect(run('git', ['init', '-q'], cat).status).toBe(0);
    const ignored = run('git', ['check-ignore', '.chirp/journal/run.ndjson'], cat);
    expect(ignored.status).toBe(0);
  });

  it('gives the editor diagnostics from the installed schemas (yaml-language-server)', async () => {
    const cat = join(pkg.project, 'cat');
    const file = join(cat, 'messages', 'orders', 'shipped.yaml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('- mediaUrl:', '- mediaURL:'));
    const ls = await startYamlLs(cat);
    try {
      const diagnostics = await ls.open(file);
      expect(diagnostics.map((d) => d.message)).toContain('Property mediaURL is not allowed.');
    } finally {
      await ls.close();
      writeFileSync(file, original);
    }
  });

  it('runs the fake Bird bin and the schema command', () => {
    const help = installed('chirp-fake-bird', ['--help'], pkg.project);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: chirp-fake-bird/);
    const schema = installed('chirp', ['schema', 'message'], pkg.project);
    expect(JSON.parse(schema.stdout)).toMatchObject({ $id: 'https://chirp.dev/schemas/message.schema.json' });
  });

  it('imports the library: types under moduleResolution nodenext, and at run time', () => {
    const project = pkg.project;
    writeFileSync(
      join(project, 'check.ts'),
      `import { validate, type ValidateResult } from '${PACKAGE_NAME}';
const result: ValidateResult = await validate({ cwd: 'cat', env: {} });
const files: number = result.files;
// @ts-expect-error: files is a number
const wrong: string = result.files;
export { files, wrong };
`,
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
          typeRoots: [join(REPO, 'node_modules', '@types')],
        },
        files: ['check.ts'],
      }),
    );
    const tsc = run(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], project);
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
    const script = `import { validate } from '${PACKAGE_NAME}';
import { createRequire } from 'node:module';
const r = await validate({ cwd: 'cat', env: {} });
const schema = createRequire(import.meta.url).resolve('${PACKAGE_NAME}/schemas/message.schema.json');
console.log(JSON.stringify({ files: r.files, errors: r.diagnostics.filter((d) => d.severity === 'error').length, schema }));`;
    const node = run(process.execPath, ['--input-type=module', '-e', script], project);
    expect(node.status, node.stderr).toBe(0);
    const out = JSON.parse(node.stdout) as { files: number; errors: number; schema: string };
    expect(out).toMatchObject({ files: 4, errors: 0 });
    expect(existsSync(out.schema)).toBe(true);
  });
});

describe('a newcomer in the project where the tarball is installed', () => {
  const chirp = (args: string[], cwd: string) => run('npx', ['--no-install', 'chirp', ...args], cwd);
  // `chirp init` in the project itself: the action below validates that catalog, whichever test runs first.
  let init: ReturnType<typeof chirp>;
  beforeAll(() => {
    init = chirp(['init'], pkg.project);
  }, 60_000);

  it("runs init's printed commands one by one, as printed", () => {
    const dir = pkg.project;
    expect(init.status, init.stderr).toBe(0);
    const commands = init.stdout
      .split('\nnext:\n')[1]!
      .split('\n')
      .map((l) => l.replace(/#.*$/, '').trim())
      .filter((l) => /^(chirp|cd|npm) /.test(l));
    // Installed already: init does not tell us to install it, and we stay in the folder.
    expect(commands.filter((c) => !c.startsWith('chirp '))).toEqual([]);
    expect(commands).toHaveLength(3);
    for (const command of commands) {
      const result = installed('chirp', command.split(/\s+/).slice(1), dir);
      expect(result.status, `${command}\n${result.stdout}${result.stderr}`).toBe(0);
    }
  });

  it('runs the action the package ships (uses: ./node_modules/chirp-cli after npm ci), step by its real action.yml', () => {
    const dir = pkg.project;
    const actionDir = join(dir, 'node_modules', PACKAGE_NAME);
    const action = parse(readFileSync(join(actionDir, 'action.yml'), 'utf8')) as {
      inputs: Record<string, { default?: string }>;
      runs: { steps: { id?: string; run?: string; env?: Record<string, string> }[] };
    };
    const step = action.runs.steps.find((s) => s.id === 'chirp')!;
    // The step as the runner runs it: the inputs substituted into its env, GITHUB_ACTION_PATH the package folder.
    const inputs: Record<string, string> = { command: 'validate' };
    const value = (name: string): string => inputs[name] ?? action.inputs[name]?.default ?? '';
    const env: Record<string, string | undefined> = { PATH: process.env.PATH, HOME: process.env.HOME };
    for (const [key, template] of Object.entries(step.env ?? {}))
      env[key] = template.replace(/\$\{\{ inputs\.([\w-]+) \}\}/g, (_, n: string) => value(n));
    const outputs = join(tempDir('chirp-action-'), 'github-output');
    writeFileSync(outputs, '');
    const result = run('bash', ['-c', step.run!], dir, {
      ...env,
      GITHUB_ACTION_PATH: actionDir,
      GITHUB_OUTPUT: outputs,
      GITHUB_ACTIONS: 'true',
    });
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toMatch(/::error/);
    expect(readFileSync(outputs, 'utf8')).toMatch(/^exitcode=0$/m);
    expect(readFileSync(outputs, 'utf8')).toMatch(/^success=true$/m);
  });
});

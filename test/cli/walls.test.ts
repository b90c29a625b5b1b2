// Issue 11, case 5: the catalog has walls. test/fixtures/walls/catalog links a message and a partial
// to files beside the catalog; nothing of them may be read or printed.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, runCli } from '../helpers/cli.js';
import { sendEnv } from '../helpers/send.js';
import { tempDir } from '../helpers/temp.js';

const WALLS = join(REPO, 'test/fixtures/walls');
const CATALOG = join(WALLS, 'catalog');

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', args, { cwd, stdio: 'pipe' });
}
function commit(cwd: string, message: string): void {
  git(cwd, 'add', '-A');
  git(cwd, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', message);
}

describe('case 5: the catalog has walls', () => {
  it('validate refuses a message and a partial that are symlinks leading outside the catalog', async () => {
    const result = await runCli(['validate', '--format', 'json'], { cwd: CATALOG });
    expect(result.stdout).not.toContain('TOP-SECRET');
    const diagnostics = (JSON.parse(result.stdout) as { diagnostics: { code: string; file: string }[] }).diagnostics;
    expect(
      diagnostics
        .filter((d) => d.code === 'E_OUTSIDE_CATALOG')
        .map((d) => d.file)
        .sort(),
    ).toEqual(['messages/_partials/leak.hbs', 'messages/linked.yaml']);
    expect(result.code).toBe(1);
  });

  it('render never prints a linked message or partial', async () => {
    for (const id of ['linked', 'uses-partial']) {
      const result = await runCli(['render', id], { cwd: CATALOG });
      expect(result.stdout + result.stderr).not.toContain('TOP-SECRET');
      expect(result.code).not.toBe(0);
    }
    const ok = await runCli(['render', 'ok'], { cwd: CATALOG });
    expect(ok.code).toBe(0);
  });

  it('refuses message ids that would leave messages/', async () => {
    for (const id of ['../../outside/secret', '../outside/secret', 'a/../../x', '/etc/passwd']) {
      const result = await runCli(['render', id], { cwd: CATALOG });
      expect(result.stdout + result.stderr).not.toContain('TOP-SECRET');
      expect(result.stderr).toContain('is not a message id');
      expect(result.code).toBe(2);
    }
  });

  it('plan --base --format markdown does not print a linked file into a pull-request comment', async () => {
    const root = tempDir('chirp-walls-git-');
    cpSync(WALLS, root, { recursive: true, verbatimSymlinks: true });
    const catalog = join(root, 'catalog');
    rmSync(join(catalog, 'messages/linked.yaml'));
    rmSync(join(catalog, 'messages/_partials/leak.hbs'));
    writeFileSync(join(catalog, 'messages/_partials/leak.hbs'), 'Hello from the partial\n');
    git(root, 'init', '-q');
    commit(root, 'base');
    // The pull request: the message and the partial become links to files outside the catalog.
    symlinkSync('../../outside/secret.yaml', join(catalog, 'messages/linked.yaml'));
    rmSync(join(catalog, 'messages/_partials/leak.hbs'));
    symlinkSync('../../../outside/secret.hbs', join(catalog, 'messages/_partials/leak.hbs'));
    const result = await runCli(['plan', '--base', 'HEAD', '--format', 'markdown'], { cwd: catalog });
    expect(result.stdout).not.toContain('TOP-SECRET');
    expect(result.stdout).toContain('E_OUTSIDE_CATALOG');
    expect(result.code).toBe(1);
  });

  it('never follows a symlink blob in a git revision', async () => {
    const root = tempDir('chirp-walls-blob-');
    cpSync(WALLS, root, { recursive: true, verbatimSymlinks: true });
    const catalog = join(root, 'catalog');
    rmSync(join(catalog, 'messages/linked.yaml'));
    git(root, 'init', '-q');
    commit(root, 'base: a partial that is a symlink blob');
    // The working tree replaces the link with a real partial: the base side must not read the blob.
    rmSync(join(catalog, 'messages/_partials/leak.hbs'));
    writeFileSync(join(catalog, 'messages/_partials/leak.hbs'), 'Hello from the partial\n');
    const result = await runCli(['plan', '--base', 'HEAD', '--format', 'text'], { cwd: catalog });
    expect(result.stdout).not.toContain('outside/secret');
    expect(result.stdout).not.toContain('TOP-SECRET');
    expect(result.stdout).toMatch(/uses-partial/);
  });

  it('refuses a config file that is a symlink leading outside its folder', async () => {
    const root = tempDir('chirp-walls-config-');
    mkdirSync(join(root, 'catalog'));
    writeFileSync(join(root, 'elsewhere.yaml'), 'workspace: x\n');
    symlinkSync('../elsewhere.yaml', join(root, 'catalog/chirp.config.yaml'));
    const result = await runCli(['validate'], { cwd: join(root, 'catalog') });
    expect(result.stderr).toContain('E_OUTSIDE_CATALOG');
    expect(result.code).toBe(2);
  });

  it('validates --resume run ids before they become paths', async () => {
    const env = await sendEnv(2);
    try {
      const result = await env.send(['--resume', '../../x']);
      expect(result.stderr).toContain('invalid run id');
      expect(result.code).toBe(2);
    } finally {
      await env.fake.close();
    }
  });
});

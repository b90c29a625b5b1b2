// Pack chirp as npm would publish it and install the tarball into a new project outside the
// repository, offline: the project's lockfile pins the runtime dependencies to the versions (and
// integrity hashes) of chirp's own lockfile, so `npm ci --offline` takes them from the npm cache.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { REPO } from './cli.js';
import { tempDir } from './temp.js';

export interface Packed {
  tarball: string;
  /** Paths inside the package, as `npm pack` lists them. */
  files: string[];
}

export interface Installed extends Packed {
  /** The consumer project: package.json, node_modules/<pkg>. */
  project: string;
  name: string;
  version: string;
}

/** A minimal environment for npm: nothing of the developer's npm configuration but the cache. */
export function npmEnv(): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    npm_config_cache: process.env.npm_config_cache,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_offline: 'true',
    NO_COLOR: '1',
  };
}

export function run(command: string, args: string[], cwd: string, env = npmEnv()): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 120_000 });
}

function checked(result: SpawnSyncReturns<string>, what: string): string {
  if (result.status !== 0) throw new Error(`${what} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** `npm pack` of the built repository (the test command builds first; prepack would build again). */
export function pack(): Packed {
  const out = tempDir('chirp-pack-');
  const json = checked(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', out], REPO), 'npm pack');
  const [entry] = JSON.parse(json) as { filename: string; files: { path: string }[] }[];
  return { tarball: join(out, entry!.filename), files: entry!.files.map((f) => f.path).sort() };
}

interface LockEntry {
  dev?: boolean;
  [key: string]: unknown;
}

export function packAndInstall(): Installed {
  const packed = pack();
  const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
    dependencies: Record<string, string>;
    bin: Record<string, string>;
    engines: Record<string, string>;
    license: string;
  };
  const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const project = tempDir('chirp-consumer-');
  const spec = `file:${packed.tarball}`;
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { [manifest.name]: spec } }, null, 2)}\n`,
  );
  const integrity = `sha512-${createHash('sha512').update(readFileSync(packed.tarball)).digest('base64')}`;
  const packages: Record<string, unknown> = {
    '': { name: 'consumer', dependencies: { [manifest.name]: spec } },
    [`node_modules/${manifest.name}`]: {
      version: manifest.version,
      resolved: spec,
      integrity,
      license: manifest.license,
      dependencies: manifest.dependencies,
      bin: manifest.bin,
      engines: manifest.engines,
    },
  };
  // chirp's runtime closure: every entry of its lockfile that is not a dev dependency.
  for (const [path, entry] of Object.entries(lock.packages)) if (path !== '' && !entry.dev) packages[path] = entry;
  writeFileSync(
    join(project, 'package-lock.json'),
    `${JSON.stringify({ name: 'consumer', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`,
  );
  checked(run('npm', ['ci', '--offline'], project), `npm ci of ${basename(packed.tarball)}`);
  return { ...packed, project, name: manifest.name, version: manifest.version };
}

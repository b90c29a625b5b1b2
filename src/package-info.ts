// Where chirp is installed: the nearest package.json above this module that is chirp's own. Found by
// walking up, so it holds for src/ (tests, tsx), dist/ (the built CLI) and node_modules/<pkg>/dist/.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The npm package name (the command stays `chirp`). package.test.ts checks it against package.json. */
export const PACKAGE_NAME = 'chirp-cli';

export interface PackageInfo {
  root: string;
  name: string;
  version: string;
}

let info: PackageInfo | undefined;

export function packageInfo(): PackageInfo {
  if (info) return info;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const json = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
      if (json.name === PACKAGE_NAME && typeof json.version === 'string') {
        info = { root: dir, name: json.name, version: json.version };
        return info;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the package.json of ${PACKAGE_NAME} above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** The shipped JSON Schemas (schemas/*.schema.json). */
export function schemasDir(): string {
  return join(packageInfo().root, 'schemas');
}

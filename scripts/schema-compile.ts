// Build step (`npm run build`): precompile the schemas' validators into standalone CommonJS modules,
// so the CLI starts without compiling schemas (ajv's compile is most of a cold start):
// - dist/schema/validators-core.cjs: the schemas chirp's commands validate with (CORE_SCHEMAS);
// - dist/schema/validators.cjs: every schema in schemas/ (library users, the output schemas);
// - dist/schema/row-meta.cjs: draft-07, which ajv checks each message's row schema (`variables`)
//   against, compiled with the row ajv's options (createRowAjv hands it to ajv).
// CommonJS because ajv's standalone output requires its runtime helpers with `require`.
// It also marks package.json's `bin` files executable: tsc writes them 0644, and `npx chirp` in this
// repository (the README's tour) runs the file itself, so the build must not depend on npm having
// linked it somewhere first.
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import standaloneModule from 'ajv/dist/standalone/index.js';
import type { Ajv } from 'ajv';
import {
  CORE_SCHEMAS,
  createAjv,
  DRAFT_07,
  exportName,
  ROW_META_EXPORT,
  rowMetaAjv,
  SCHEMA_BASE,
  schemasDir,
} from '../src/schema/validators.js';

const standaloneCode = (standaloneModule as unknown as { default: (ajv: Ajv, refs: Record<string, string>) => string }).default;

/** The standalone module of the given schemas of schemas/ (default: all). */
export function compileStandalone(only?: readonly string[]): string {
  const ajv = createAjv({ code: { source: true } });
  const refs: Record<string, string> = {};
  for (const file of readdirSync(schemasDir()).sort()) {
    if (!file.endsWith('.schema.json')) continue;
    const name = file.slice(0, -'.schema.json'.length);
    if (!only || only.includes(name)) refs[exportName(name)] = `${SCHEMA_BASE}${file}`;
  }
  return standaloneCode(ajv, refs);
}

/** The standalone module of the row ajv's meta-schema. */
export function compileRowMeta(): string {
  return standaloneCode(rowMetaAjv({ code: { source: true } }), { [ROW_META_EXPORT]: DRAFT_07 });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = fileURLToPath(new URL('../dist/schema/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'validators.cjs'), compileStandalone());
  writeFileSync(join(dir, 'validators-core.cjs'), compileStandalone(CORE_SCHEMAS));
  writeFileSync(join(dir, 'row-meta.cjs'), compileRowMeta());
  const root = fileURLToPath(new URL('../', import.meta.url));
  const { bin } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  for (const file of Object.values(bin)) chmodSync(join(root, file), 0o755);
}

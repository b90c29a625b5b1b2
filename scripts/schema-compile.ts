// Build step (`npm run build`): precompile every schema's validator into one standalone CommonJS
// module, so the CLI starts without compiling schemas (ajv's compile is most of a cold start).
// CommonJS because ajv's standalone output requires its runtime helpers with `require`.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import standaloneModule from 'ajv/dist/standalone/index.js';
import type { Ajv } from 'ajv';
import { createAjv, exportName, SCHEMA_BASE, schemasDir } from '../src/schema/validators.js';

const standaloneCode = (standaloneModule as unknown as { default: (ajv: Ajv, refs: Record<string, string>) => string }).default;

export function compileStandalone(): string {
  const ajv = createAjv({ code: { source: true } });
  const refs: Record<string, string> = {};
  for (const file of readdirSync(schemasDir()).sort()) {
    if (!file.endsWith('.schema.json')) continue;
    refs[exportName(file.slice(0, -'.schema.json'.length))] = `${SCHEMA_BASE}${file}`;
  }
  return standaloneCode(ajv, refs);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = fileURLToPath(new URL('../dist/schema/validators.cjs', import.meta.url));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, compileStandalone());
}

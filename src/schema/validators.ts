// One ajv instance over schemas/*.schema.json. Other stages ask it for validators by schema file name.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { _, Ajv, str, type AnySchemaObject, type KeywordCxt, type Options, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; under nodenext its default import is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export const SCHEMA_BASE = 'https://chirp.dev/schemas/';

/** The schemas/ folder of the installation (see package-info.ts). */
import { schemasDir } from '../package-info.js';
export { schemasDir };

/**
 * chirp's two keywords generate inline code (not a `validate` callback), so the validators can be
 * precompiled into a standalone module at build time (see schema-compile.ts) and start instantly.
 */
function addChirpKeywords(ajv: Ajv): void {
  // Annotation only: the diagnostic code and message of a limit, by the keyword that fails (see diagnostics.ts).
  ajv.addKeyword({
    keyword: 'chirpRule',
    schemaType: 'object',
    metaSchema: {
      type: 'object',
      description: 'Keyword → the diagnostic a failure of that keyword in this schema gives.',
      additionalProperties: {
        type: 'object',
        required: ['code', 'message'],
        properties: { code: { type: 'string' }, message: { type: 'string' } },
        additionalProperties: false,
      },
    },
  });
  ajv.addKeyword({
    keyword: 'uniqueButtonTexts',
    type: 'array',
    schemaType: 'boolean',
    metaSchema: { type: 'boolean', description: 'Reply/postback button texts must be unique (WhatsApp).' },
    error: {
      message: ({ params }) => str`button text ${params.text} is used twice; WhatsApp needs unique button titles`,
      params: ({ params }) => _`{text: ${params.text}}`,
    },
    code(cxt: KeywordCxt) {
      if (cxt.schema !== true) return;
      const dup = cxt.gen.let('dup');
      cxt.gen.code(
        _`{ const seen = new Set(); for (const a of ${cxt.data}) { const t = a && (a.type === "reply" ? a.reply && a.reply.text : a.type === "postback" ? a.postback && a.postback.text : undefined); if (typeof t === "string") { if (seen.has(t)) { ${dup} = t; break; } seen.add(t); } } }`,
      );
      cxt.setParams({ text: dup });
      cxt.fail(_`${dup} !== undefined`);
    },
  });
  ajv.addKeyword({
    keyword: 'maxTotalRows',
    type: 'array',
    schemaType: 'number',
    metaSchema: { type: 'integer', minimum: 0, description: 'Maximum number of rows (actions) across all list sections.' },
    error: {
      message: ({ schemaCode, params }) => str`must have at most ${schemaCode} rows in total across sections, has ${params.total}`,
      params: ({ schemaCode, params }) => _`{limit: ${schemaCode}, total: ${params.total}}`,
    },
    code(cxt: KeywordCxt) {
      const total = cxt.gen.let('total', 0);
      cxt.gen.code(_`for (const item of ${cxt.data}) { if (item && Array.isArray(item.actions)) ${total} += item.actions.length; }`);
      cxt.setParams({ total });
      cxt.fail(_`${total} > ${cxt.schemaCode}`);
    },
  });
}

/** An ajv instance with every schema in schemas/ registered under its `$id`. */
export function createAjv(extra: Options = {}): Ajv {
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, discriminator: true, allowUnionTypes: true, ...extra });
  addFormats(ajv);
  addChirpKeywords(ajv);
  const dir = schemasDir();
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.schema.json')) continue;
    ajv.addSchema(JSON.parse(readFileSync(join(dir, name), 'utf8')) as AnySchemaObject);
  }
  return ajv;
}

/**
 * An ajv for one message's recipient rows (its `variables`), without chirp's schemas. CSV values are
 * strings: `coerceTypes` converts them to the declared types; JSON values keep their own types.
 */
export function createRowAjv(coerceTypes: boolean): Ajv {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, coerceTypes, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  return ajv;
}

let shared: Ajv | undefined;

export function getAjv(): Ajv {
  shared ??= createAjv();
  return shared;
}

/** `batch-request` → `batchRequest`: the export name of a schema's validator in the precompiled module. */
export function exportName(schemaName: string): string {
  return schemaName.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** Validators precompiled by `npm run build` (dist/schema/validators.cjs); absent when running from src/. */
let precompiled: Record<string, ValidateFunction> | null | undefined;

function loadPrecompiled(): Record<string, ValidateFunction> | null {
  if (precompiled !== undefined) return precompiled;
  const file = new URL('./validators.cjs', import.meta.url);
  precompiled = existsSync(file) ? (createRequire(import.meta.url)(fileURLToPath(file)) as Record<string, ValidateFunction>) : null;
  return precompiled;
}

/** Validator for one schema file, e.g. `validatorFor('request')` → schemas/request.schema.json. */
export function validatorFor(name: string): ValidateFunction {
  const fast = loadPrecompiled()?.[exportName(name)];
  if (fast) return fast;
  const fn = getAjv().getSchema(`${SCHEMA_BASE}${name}.schema.json`);
  if (!fn) throw new Error(`chirp: schema ${name}.schema.json is not registered`);
  return fn;
}

// One ajv instance over schemas/*.schema.json. Other stages ask it for validators by schema file name.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { Ajv, AnySchemaObject, KeywordCxt, Options, ValidateFunction } from 'ajv';
import type * as AjvModule from 'ajv';

const require = createRequire(import.meta.url);

/**
 * ajv's compiler (≈45 ms to load) is required on first use: the built CLI validates with the
 * precompiled modules (they need only ajv's small runtime helpers), so a catalog whose messages
 * declare no `variables` never loads it (issue #22, cold start).
 */
const ajvLib = (): typeof AjvModule => require('ajv') as typeof AjvModule;
// ajv-formats is CommonJS: its module object is the plugin.
const addFormats = (ajv: Ajv): Ajv => (require('ajv-formats') as (ajv: Ajv) => Ajv)(ajv);

export const SCHEMA_BASE = 'https://chirp.dev/schemas/';

/** The schemas/ folder of the installation (see package-info.ts). */
import { schemasDir } from '../package-info.js';
export { schemasDir };

/**
 * chirp's two keywords generate inline code (not a `validate` callback), so the validators can be
 * precompiled into a standalone module at build time (see schema-compile.ts) and start instantly.
 */
function addChirpKeywords(ajv: Ajv): void {
  const { _, str } = ajvLib();
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
  const ajv = new (ajvLib().Ajv)({ allErrors: true, verbose: true, strict: true, discriminator: true, allowUnionTypes: true, ...extra });
  addFormats(ajv);
  addChirpKeywords(ajv);
  const dir = schemasDir();
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.schema.json')) continue;
    ajv.addSchema(JSON.parse(readFileSync(join(dir, name), 'utf8')) as AnySchemaObject);
  }
  return ajv;
}

/** The options of the row ajv that its meta-schema is compiled with (ajv drops these three for meta-schemas). */
const ROW_OPTIONS = { allErrors: true, strict: true, allowUnionTypes: true } as const satisfies Options;
/** The meta-schema a row schema is checked against before it is compiled (ajv's default, draft-07). */
export const DRAFT_07 = 'http://json-schema.org/draft-07/schema';
/** Its export in dist/schema/row-meta.cjs. */
export const ROW_META_EXPORT = 'draft07';

/**
 * An ajv for one message's recipient rows (its `variables`), without chirp's schemas. CSV values are
 * strings: `coerceTypes` converts them to the declared types; JSON values keep their own types.
 */
export function createRowAjv(coerceTypes: boolean): Ajv {
  const ajv = new (ajvLib().Ajv)({ ...ROW_OPTIONS, useDefaults: true, coerceTypes });
  addFormats(ajv);
  // ajv checks each schema against draft-07 before compiling it, and compiles that meta-schema first
  // (≈25 ms). The build precompiled it with the same options (rowMetaAjv): hand ajv that validator, so
  // every check, its order and its errors stay ajv's own. Without the build (src/), ajv compiles it.
  const meta = precompiledModule('row-meta.cjs')?.[ROW_META_EXPORT];
  const env = ajv.schemas[DRAFT_07];
  if (meta && env && env.validate === undefined) env.validate = meta;
  return ajv;
}

/** The ajv the build compiles the row meta-schema with: the row ajv's options for meta-schemas, and its formats. */
export function rowMetaAjv(extra: Options = {}): Ajv {
  return addFormats(new (ajvLib().Ajv)({ ...ROW_OPTIONS, ...extra }));
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

/**
 * The schemas chirp's own commands validate with (config, message files, requests, the WhatsApp
 * layer): precompiled into their own module (≈0.7 MB) so a command does not load the other schemas'
 * validators (the outputs, the bodies one by one: the whole set is ≈1.2 MB).
 */
export const CORE_SCHEMAS: readonly string[] = ['config', 'message', 'request', 'whatsapp'];

/** Modules precompiled by `npm run build` (dist/schema/*.cjs); absent (null) when running from src/. */
const precompiled = new Map<string, Record<string, ValidateFunction> | null>();

function precompiledModule(name: 'validators-core.cjs' | 'validators.cjs' | 'row-meta.cjs'): Record<string, ValidateFunction> | null {
  let mod = precompiled.get(name);
  if (mod === undefined) {
    const file = new URL(`./${name}`, import.meta.url);
    mod = existsSync(file) ? (require(fileURLToPath(file)) as Record<string, ValidateFunction>) : null;
    precompiled.set(name, mod);
  }
  return mod;
}

const validators = new Map<string, ValidateFunction>();

/** Validator for one schema file, e.g. `validatorFor('request')` → schemas/request.schema.json. */
export function validatorFor(name: string): ValidateFunction {
  let fn = validators.get(name);
  if (fn) return fn;
  fn = precompiledModule(CORE_SCHEMAS.includes(name) ? 'validators-core.cjs' : 'validators.cjs')?.[exportName(name)];
  fn ??= getAjv().getSchema(`${SCHEMA_BASE}${name}.schema.json`);
  if (!fn) throw new Error(`chirp: schema ${name}.schema.json is not registered`);
  validators.set(name, fn);
  return fn;
}

// One ajv instance over schemas/*.schema.json. Other stages ask it for validators by schema file name.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction, type AnySchemaObject } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; under nodenext its default import is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export const SCHEMA_BASE = 'https://chirp.dev/schemas/';

/** The schemas/ folder, found from this module both in src/ (tests) and dist/src/ (built CLI). */
export function schemasDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'schemas');
    if (existsSync(join(candidate, 'message.schema.json'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error('chirp: cannot find the schemas/ folder next to the installation');
}

interface RowAction {
  type?: unknown;
  reply?: { text?: unknown };
  postback?: { text?: unknown };
}

/** Texts of reply/postback buttons, which WhatsApp requires to be unique within one message. */
function buttonTexts(actions: unknown[]): string[] {
  const texts: string[] = [];
  for (const a of actions as RowAction[]) {
    const t = a?.type === 'reply' ? a.reply?.text : a?.type === 'postback' ? a.postback?.text : undefined;
    if (typeof t === 'string') texts.push(t);
  }
  return texts;
}

function addChirpKeywords(ajv: Ajv): void {
  ajv.addKeyword({
    keyword: 'uniqueButtonTexts',
    type: 'array',
    schemaType: 'boolean',
    metaSchema: { type: 'boolean', description: 'Reply/postback button texts must be unique (WhatsApp).' },
    errors: true,
    validate: function validate(enabled: boolean, data: unknown[]): boolean {
      if (!enabled) return true;
      const texts = buttonTexts(data);
      const dup = texts.find((t, i) => texts.indexOf(t) !== i);
      if (dup === undefined) return true;
      (validate as unknown as { errors: Partial<ErrorObject>[] }).errors = [
        { keyword: 'uniqueButtonTexts', message: `button text "${dup}" is used twice; WhatsApp needs unique button titles`, params: { text: dup } },
      ];
      return false;
    },
  });
  ajv.addKeyword({
    keyword: 'maxTotalRows',
    type: 'array',
    schemaType: 'number',
    metaSchema: { type: 'integer', minimum: 0, description: 'Maximum number of rows (actions) across all list sections.' },
    errors: true,
    validate: function validate(max: number, data: unknown[]): boolean {
      let total = 0;
      for (const item of data as { actions?: unknown }[]) {
        if (Array.isArray(item?.actions)) total += item.actions.length;
      }
      if (total <= max) return true;
      (validate as unknown as { errors: Partial<ErrorObject>[] }).errors = [
        { keyword: 'maxTotalRows', message: `must have at most ${max} rows in total across sections, has ${total}`, params: { limit: max, total } },
      ];
      return false;
    },
  });
}

let shared: Ajv | undefined;

/** The shared ajv instance with every schema in schemas/ registered under its `$id`. */
export function getAjv(): Ajv {
  if (shared) return shared;
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, discriminator: true, allowUnionTypes: true });
  addFormats(ajv);
  addChirpKeywords(ajv);
  const dir = schemasDir();
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.schema.json')) continue;
    ajv.addSchema(JSON.parse(readFileSync(join(dir, name), 'utf8')) as AnySchemaObject);
  }
  shared = ajv;
  return ajv;
}

/** Validator for one schema file, e.g. `validatorFor('request')` → schemas/request.schema.json. */
export function validatorFor(name: string): ValidateFunction {
  const ajv = getAjv();
  const fn = ajv.getSchema(`${SCHEMA_BASE}${name}.schema.json`);
  if (!fn) throw new Error(`chirp: schema ${name}.schema.json is not registered`);
  return fn;
}

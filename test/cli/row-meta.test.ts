// Issue #22, cold start: the built CLI hands ajv a precompiled draft-07 validator (dist/schema/row-meta.cjs)
// for the check ajv makes of each message's row schema (`variables`) before compiling it. That check
// must stay ajv's own: the same schemas accepted, the same errors in the same words and order, the same
// compiled validators. This compares the build's row ajv with a fresh ajv of the same options (which
// compiles draft-07 itself), on hand-picked and on random row schemas.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
type Built = {
  createRowAjv(coerceTypes: boolean): Ajv;
  DRAFT_07: string;
};
const built = (await import(pathToFileURL(`${REPO}dist/schema/validators.js`).href)) as Built;
// Node's own require, as the build loads it (one module instance).
const rowMeta = createRequire(import.meta.url)(`${REPO}dist/schema/row-meta.cjs`) as Record<string, unknown>;

/** A row ajv as ajv alone makes it (createRowAjv's options), which compiles draft-07 on first use. */
function plainRowAjv(coerceTypes: boolean): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, useDefaults: true, coerceTypes });
  addFormats(ajv);
  return ajv;
}

/** What compiling `schema` gives: the thrown message, or the validator's verdicts and errors on some rows. */
function outcome(ajv: Ajv, schema: object): string {
  try {
    const validate = ajv.compile(structuredClone(schema));
    const rows = [{}, { a: 'x' }, { a: '5', b: 2 }, { a: 5, b: 'x', c: true }, { a: '', b: null }, { a: '2024-01-02', b: 'https://x.y' }];
    return JSON.stringify(
      rows.map((row) => {
        const copy = structuredClone(row);
        const ok = validate(copy);
        return [ok, copy, (validate.errors ?? []).map((e: ErrorObject) => [e.instancePath, e.schemaPath, e.keyword, e.params, e.message])];
      }),
    );
  } catch (error) {
    return `throws ${error instanceof Error ? error.message : String(error)}`;
  }
}

const HAND_PICKED: object[] = [
  { type: 'object', properties: { a: { type: 'string', minLength: 1 } }, required: ['a'] },
  { type: 'object', properties: { a: { type: 'strin' } }, required: [] },
  { type: 'object', properties: { a: { type: 'string', minLength: -1, pattern: '(' } }, required: ['a', 1] },
  { type: 'object', properties: { a: { type: 'string', format: 'emial' } }, required: [] },
  { type: 'object', properties: { a: { type: 'string', foo: 1 } }, required: [] },
  { type: 'object', properties: { a: { $id: 'x', type: 'string' }, b: { $id: 'x' } }, required: 'a' },
  { type: 'object', properties: { a: { type: ['string', 'number'], enum: [], minimum: '3' } }, required: [] },
  { type: 'object', properties: { a: { $schema: 5 } }, required: [] },
  {
    type: 'object',
    properties: { a: { type: 'string', format: 'date' }, b: { $ref: 'http://json-schema.org/draft-07/schema#' } },
    required: [],
  },
  { type: 'object', properties: { a: { type: 'integer', default: 3 }, b: { type: 'string', format: 'uri' } }, required: ['b'] },
];

/** Random property schemas: mostly valid keywords, some with values of the wrong type or out of range. */
const keyword = fc.oneof(
  fc.record({ type: fc.constantFrom('string', 'number', 'integer', 'boolean', 'object', 'array', 'null', 'strng', 7) }),
  fc.record({ type: fc.constant(['string', 'number']) }),
  fc.record({ minLength: fc.oneof(fc.integer({ min: -2, max: 5 }), fc.constant('1')) }),
  fc.record({ maxLength: fc.integer({ min: -1, max: 5 }) }),
  fc.record({ pattern: fc.constantFrom('^[0-9]+$', '(', '^\\+[1-9]\\d{6,14}$', 5) }),
  fc.record({ format: fc.constantFrom('date', 'date-time', 'uri', 'email', 'nope') }),
  fc.record({ enum: fc.oneof(fc.constant([]), fc.constant(['x', 'y']), fc.constant('x')) }),
  fc.record({ minimum: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant('3')) }),
  fc.record({ default: fc.constantFrom('d', 1, null) }),
  fc.record({ description: fc.oneof(fc.string(), fc.integer()) }),
  fc.record({ items: fc.constantFrom({ type: 'string' }, 3, true) }),
  fc.record({ required: fc.constantFrom(['x'], 'x', [1]) }),
  fc.record({ additionalProperties: fc.constantFrom(false, { type: 'number' }, 'no') }),
);
const propertySchema = fc.array(keyword, { maxLength: 4 }).map((parts) => Object.assign({}, ...parts) as object);
const rowSchema = fc
  .record({
    properties: fc.dictionary(fc.constantFrom('a', 'b', 'c'), propertySchema, { maxKeys: 3 }),
    required: fc.oneof(fc.subarray(['a', 'b', 'c']), fc.constant(['a', 2]), fc.constant('a')),
  })
  .map(({ properties, required }) => ({ type: 'object', properties, required }));

describe("the precompiled row meta-schema is ajv's own check", { timeout: 120_000 }, () => {
  it('is what the built row ajv uses for draft-07 (so the comparisons below compare something)', () => {
    const ajv = built.createRowAjv(false);
    expect(ajv.schemas[built.DRAFT_07]?.validate).toBe(rowMeta.draft07);
    expect(typeof rowMeta.draft07).toBe('function');
  });

  it('accepts, refuses and compiles hand-picked row schemas exactly as a fresh ajv does', () => {
    for (const coerce of [false, true])
      for (const schema of HAND_PICKED) expect(outcome(built.createRowAjv(coerce), schema)).toBe(outcome(plainRowAjv(coerce), schema));
  });

  it('agrees with a fresh ajv on random row schemas, valid and invalid', () => {
    const text = { built: built.createRowAjv(true), plain: plainRowAjv(true) };
    const json = { built: built.createRowAjv(false), plain: plainRowAjv(false) };
    fc.assert(
      fc.property(rowSchema, fc.boolean(), (schema, coerce) => {
        const pair = coerce ? text : json;
        expect(outcome(pair.built, schema)).toBe(outcome(pair.plain, schema));
      }),
      { numRuns: 300 },
    );
  });
});

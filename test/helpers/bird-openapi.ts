// Bird's own OpenAPI `CreateMessage`, the truth about what the API accepts, vendored as test data
// under test/fixtures/bird/ by scripts/vendor-bird.ts (tests never read the reference material beside the repository).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type AnySchemaObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { REPO } from './cli.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export const BIRD_DIR = join(REPO, 'test/fixtures/bird');
export const EXAMPLES_DIR = join(BIRD_DIR, 'examples');

export function readJson<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

let compiled: ValidateFunction | undefined;

/** Compiled once by a separate, non-strict ajv. */
export function birdCreateMessage(): ValidateFunction {
  if (compiled) return compiled;
  // unicodeRegExp off: Bird's `{{[^{}]+}}` pattern is not a valid `u`-mode regular expression.
  // discriminator off: Bird uses OpenAPI `mapping`, which ajv's keyword rejects; plain oneOf suffices.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false, validateSchema: false });
  addFormats(ajv);
  ajv.addFormat('locale-bcp47', /.*/);
  const id = 'https://bird.example/openapi-send-message.json';
  ajv.addSchema({ ...readJson<AnySchemaObject>(join(BIRD_DIR, 'openapi-send-message.json')), $id: id });
  compiled = ajv.compile({ $ref: `${id}#/components/schemas/CreateMessage` });
  return compiled;
}

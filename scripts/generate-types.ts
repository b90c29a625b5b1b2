// Generate src/schema/generated-types.ts from schemas/*.schema.json (the one source of truth): the
// message file, the config, the requests, and every command's JSON output (`schemas/<command>-output.schema.json`,
// picked up by name). `npm run generate:types` writes it; test/unit/schema-types.test.ts fails when the file has drifted.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, type JSONSchema } from 'json-schema-to-typescript';

const REPO = fileURLToPath(new URL('../', import.meta.url));
export const SCHEMAS = join(REPO, 'schemas');
export const TYPES_FILE = join(REPO, 'src/schema/generated-types.ts');

const BANNER = `// Generated from schemas/*.schema.json by \`npm run generate:types\`. Do not edit by hand:
// change the schema and regenerate (test/schema-types.test.ts fails on drift).
/* eslint-disable */`;

/**
 * json-schema-to-typescript emits a numbered copy (`Template1`, `Template2`) for every `$ref` that has
 * sibling keywords (a `description` beside it). The types need only the reference: strip the siblings
 * in a scratch copy of the schemas, so each schema becomes exactly one named type.
 */
function refsOnly(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(refsOnly);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  if (typeof object.$ref === 'string') return { $ref: object.$ref };
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, refsOnly(v)]));
}

export async function generateTypes(): Promise<string> {
  const scratch = mkdtempSync(join(tmpdir(), 'chirp-types-'));
  try {
    for (const file of readdirSync(SCHEMAS).filter((f) => f.endsWith('.schema.json'))) {
      writeFileSync(join(scratch, file), JSON.stringify(refsOnly(JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')))));
    }
    return await compileRoot(scratch);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** `send-output.schema.json` → `sendOutput`: the root property naming each command's output schema. */
export function outputSchemas(): [string, string][] {
  return readdirSync(SCHEMAS)
    .filter((f) => f.endsWith('-output.schema.json'))
    .sort()
    .map((f) => [f.slice(0, -'.schema.json'.length).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()), f]);
}

async function compileRoot(cwd: string): Promise<string> {
  const root = {
    title: 'ChirpSchemas',
    type: 'object',
    additionalProperties: false,
    properties: {
      message: { $ref: 'message.schema.json' },
      config: { $ref: 'config.schema.json' },
      request: { $ref: 'request.schema.json' },
      batch: { $ref: 'batch-request.schema.json' },
      ...Object.fromEntries(outputSchemas().map(([key, file]) => [key, { $ref: file }])),
    },
  } as JSONSchema;
  return compile(root, 'ChirpSchemas', {
    cwd,
    bannerComment: BANNER,
    additionalProperties: false,
    format: true,
    style: { singleQuote: true, printWidth: 120 },
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(TYPES_FILE, await generateTypes());
  console.log(`wrote ${TYPES_FILE}`);
}

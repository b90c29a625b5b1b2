// Generate src/schema/generated-types.ts from schemas/*.schema.json (the one source of truth).
// `npm run generate:types` writes it; test/schema-types.test.ts fails when the file has drifted.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, type JSONSchema } from 'json-schema-to-typescript';

const REPO = fileURLToPath(new URL('../', import.meta.url));
export const SCHEMAS = join(REPO, 'schemas');
export const TYPES_FILE = join(REPO, 'src/schema/generated-types.ts');

const BANNER = `// Generated from schemas/*.schema.json by \`npm run generate:types\`. Do not edit by hand:
// change the schema and regenerate (test/schema-types.test.ts fails on drift).
/* eslint-disable */`;

export async function generateTypes(): Promise<string> {
  const root = {
    title: 'ChirpSchemas',
    type: 'object',
    additionalProperties: false,
    properties: {
      message: { $ref: 'message.schema.json' },
      config: { $ref: 'config.schema.json' },
      request: { $ref: 'request.schema.json' },
      batch: { $ref: 'batch-request.schema.json' },
    },
  } as JSONSchema;
  return compile(root, 'ChirpSchemas', { cwd: SCHEMAS, bannerComment: BANNER, additionalProperties: false, format: true, style: { singleQuote: true, printWidth: 120 } });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(TYPES_FILE, await generateTypes());
  console.log(`wrote ${TYPES_FILE}`);
}

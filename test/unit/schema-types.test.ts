// The TypeScript types are generated from the schemas; this fails when either changed without the other.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateTypes, TYPES_FILE } from '../../scripts/generate-types.js';

describe('src/generated/schema-types.ts', () => {
  it('matches what schemas/*.schema.json generate (run `npm run generate:types` after a schema change)', async () => {
    expect(readFileSync(TYPES_FILE, 'utf8')).toBe(await generateTypes());
  });
});

// Copy Bird's reference material into test/fixtures/bird/ so tests never read ../shared (a user's
// clone has no such folder): the OpenAPI documents as data without Bird's prose (the contract, not
// its wording) and the WhatsApp page's example bodies as they are.
//
//   npx tsx scripts/vendor-bird.ts [SOURCE_DIR]     (default: ../shared/bird-api beside the repo)
//
// The output is committed; run this again when Bird's reference material changes and review the diff.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const OUT = join(REPO, 'test/fixtures/bird');
const SPECS = ['openapi-send-message.json', 'openapi-contact-window.json'];
/** Keywords holding prose. Stripped only where they are keywords, never where they name a property. */
const PROSE = new Set(['description', 'summary', 'example', 'examples', 'externalDocs', 'x-readme']);
/** Maps whose keys are names (of properties, schemas, responses, ...), not keywords. */
const NAME_MAPS = new Set([
  'properties',
  'patternProperties',
  'definitions',
  'schemas',
  'responses',
  'parameters',
  'requestBodies',
  'headers',
  'securitySchemes',
  'paths',
  'content',
  'mapping',
  'variables',
]);

/** The value without prose keywords; `inNameMap`: this object's keys are names (keep them all). */
export function stripProse(value: unknown, inNameMap = false): unknown {
  if (Array.isArray(value)) return value.map((v) => stripProse(v));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (!inNameMap && PROSE.has(key)) continue;
    out[key] = stripProse(child, !inNameMap && NAME_MAPS.has(key));
  }
  return out;
}

export function vendor(source: string): string[] {
  const written: string[] = [];
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(join(OUT, 'examples'), { recursive: true });
  for (const spec of SPECS) {
    const doc = JSON.parse(readFileSync(join(source, spec), 'utf8')) as unknown;
    writeFileSync(join(OUT, spec), `${JSON.stringify(stripProse(doc), null, 2)}\n`);
    written.push(spec);
  }
  for (const file of readdirSync(join(source, 'examples'))
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    // Re-serialised to prove each is JSON; the content is unchanged.
    const example = JSON.parse(readFileSync(join(source, 'examples', file), 'utf8')) as unknown;
    writeFileSync(join(OUT, 'examples', file), `${JSON.stringify(example, null, 2)}\n`);
    written.push(`examples/${file}`);
  }
  copyFileSync(join(source, 'examples', 'INDEX.md'), join(OUT, 'examples', 'INDEX.md'));
  writeFileSync(join(OUT, 'README.md'), README);
  return written;
}

const README = `# Bird's API, as test data

Written by \`npx tsx scripts/vendor-bird.ts\` from the project's reference material on Bird's
Channels API (\`shared/bird-api/\` beside the repository: Bird's own OpenAPI documents and the JSON
examples of Bird's "Sending WhatsApp messages" page). Do not edit by hand: run the script again and
review the diff.

| file | what |
| --- | --- |
| \`openapi-send-message.json\` | Bird's OpenAPI 3.0.3 document for \`POST …/channels/{channelId}/messages\` (\`CreateMessage\`, \`Body\`, \`Action\`, \`Template\`, \`Message\`), with \`description\`, \`summary\` and \`example\` prose removed: the contract, not Bird's wording |
| \`openapi-contact-window.json\` | the same for \`GET …/channels/{channelId}/contacts/{contactId}\` |
| \`examples/NN-*.json\` | every JSON example of the page, in page order (see \`examples/INDEX.md\` for which are bodies, templates or envelopes) |

Used by the contract suite (\`test/unit/bird-contract.test.ts\`), the schema tests and the example
catalog test (\`test/cli/bird-examples.test.ts\`).
`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const source = resolve(process.argv[2] ?? join(REPO, '../shared/bird-api'));
  if (!existsSync(join(source, SPECS[0]!))) {
    console.error(`vendor-bird: no ${SPECS[0]} in ${source}; pass the folder: npx tsx scripts/vendor-bird.ts PATH/TO/bird-api`);
    process.exit(2);
  }
  const written = vendor(source);
  console.log(`wrote ${written.length} files to ${OUT}`);
}

// The bare pipeline chirp's render is measured against: csv-parse → one Handlebars render →
// one ajv validation → JSON.stringify → stdout. No chirp code (the schema files are data).
import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse';
import Handlebars from 'handlebars';
import { Ajv, type AnySchemaObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { BENCH_TEXT } from './fixtures.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const schemas = fileURLToPath(new URL('../../schemas/', import.meta.url));
const ajv = new Ajv({ allErrors: true, strict: false, discriminator: true });
addFormats(ajv);
ajv.addKeyword({ keyword: 'uniqueButtonTexts' });
ajv.addKeyword({ keyword: 'maxTotalRows' });
for (const f of readdirSync(schemas).filter((n) => n.endsWith('.schema.json')))
  ajv.addSchema(JSON.parse(readFileSync(join(schemas, f), 'utf8')) as AnySchemaObject);
const validate = ajv.getSchema('https://chirp.dev/schemas/request.schema.json')!;
const template = Handlebars.compile(BENCH_TEXT, { noEscape: true });

let buffer = '';
const parser = createReadStream(process.argv[2]!).pipe(parse({ columns: true }));
for await (const row of parser as AsyncIterable<Record<string, string>>) {
  const request = {
    receiver: { contacts: [{ identifierValue: row.phone }] },
    body: {
      type: 'text',
      text: {
        text: template(row),
        actions: [
          { type: 'reply', reply: { text: 'Upgrade now' } },
          { type: 'reply', reply: { text: 'Later' } },
        ],
      },
    },
  };
  if (!validate(request)) throw new Error(JSON.stringify(validate.errors));
  buffer += JSON.stringify(request) + '\n';
  if (buffer.length > 65536) {
    if (!process.stdout.write(buffer)) await new Promise((r) => process.stdout.once('drain', r));
    buffer = '';
  }
}
process.stdout.write(buffer);

// When Bird differs from the lock, the template preflight weighs the difference against the locales the
// rows resolve to: never fewer than the render puts on the wire (fail closed), and exactly those when
// every row is valid. Random rows (locale
// spellings, fallbacks, empty cells that take the variable's default, invalid ones) rendered for real
// against a lock pulled from the fake Bird.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { startFakeBird, type FakeBird } from '../../src/fake-bird/index.js';
import { openCatalog, prepareMessage, renderMessage } from '../../src/index.js';
import { sendTemplateUses } from '../../src/template-uses.js';
import { rowTemplateUses } from '../../src/usecases/row-locales.js';
import { makeCatalog } from '../helpers/catalog.js';
import { runCli } from '../helpers/cli.js';
import { CANARY_KEY } from '../helpers/send.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/templates/locales/', import.meta.url));
const RELEASE = '5e1ea5e0-0000-4000-8000-0000000010c0';
const message = (fallback: string) => `channel: whatsapp
to: "{{phone}}"
locale: "{{lang}}"
defaultLocale: en
${fallback}variables:
  phone: { type: string }
  lang: { type: string, default: de }
  first_name: { type: string }
template:
  projectId: ${RELEASE}
  version: latest
  parameters:
    - { type: string, key: first_name, value: "{{first_name}}" }
`;

let fake: FakeBird;
let root: string;
beforeAll(async () => {
  fake = await startFakeBird({ accessKey: CANARY_KEY, templates: FIXTURES });
  root = makeCatalog({ 'messages/release.yaml': message('') });
  const pulled = await runCli(['templates', 'pull'], { cwd: root, env: { BIRD_API_URL: fake.url, BIRD_ACCESS_KEY: CANARY_KEY } });
  expect(pulled.code, pulled.stderr).toBe(0);
});
afterAll(() => fake.close());

const LANGS = ['nl', 'nl_NL', 'de', 'de-AT', 'pt-br', 'pt', 'pt-PT', 'fr-FR', 'en', 'EN-gb', '', 'xx', 'not a locale'];

describe('the locales a send checks at Bird', () => {
  it('are never fewer than the render sends, and exactly those when every row is valid', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...LANGS), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('', 'localeFallback: language\n', 'localeFallback: default\n'),
        async (langs, fallback) => {
          writeFileSync(join(root, 'messages/release.yaml'), message(fallback));
          const csv = ['phone,lang,first_name', ...langs.map((l, i) => `+3161234${String(5600 + i)},${l},Ada`)].join('\n');
          writeFileSync(join(root, 'rows.csv'), `${csv}\n`);
          const catalog = await openCatalog({ cwd: root, env: {} });
          const prepared = await prepareMessage(catalog, 'release');
          const data = { path: join(root, 'rows.csv'), displayName: 'rows.csv' };
          const sent = new Set<string>();
          let invalid = 0;
          for await (const item of renderMessage(prepared, { data })) {
            if (item.kind === 'request') sent.add((item.request.template as { locale: string }).locale);
            else if (item.kind === 'invalid') invalid++;
          }
          const lock = catalog.templateLock.lock;
          const narrow = rowTemplateUses(prepared, data, undefined, { fallback: false, lock });
          expect(narrow).toBeDefined();
          const needed = await narrow!();
          // Undefined (a row refused before its locale is known): every approved locale, as without rows.
          const checked = new Set((needed ?? sendTemplateUses(prepared.definition, { fallback: false, lock })).map((u) => u.locale));
          for (const locale of sent) expect(checked).toContain(locale);
          if (invalid === 0) {
            expect(needed).toBeDefined();
            expect([...checked].sort()).toEqual([...sent].sort());
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

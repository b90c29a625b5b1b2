// Recipients in their own language: locale normalisation, the fallback chain, translations checked
// like the default body, and every row's locale on its rendered request.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCatalog, prepareMessage, renderMessage, validate, type RenderItem } from '../../src/index.js';
import { chooseLocale, localeChain, normalizeLocale } from '../../src/util/index.js';
import { makeCatalog } from '../helpers/catalog.js';

const NOW = () => new Date('2026-03-01T12:00:00Z');

function notice(extra = '', translations = NL_DE): string {
  return `channel: whatsapp
to: "{{phone}}"
locale: "{{lang}}"
defaultLocale: en
${extra}variables:
  phone: { type: string }
  lang: { type: string }
  name: { type: string }
body:
  type: text
  text:
    text: "Hi {{name}}, chirp is out."
translations:
${translations}examples:
  - { phone: "+31612345678", lang: nl_NL, name: Ada }
`;
}

const NL_DE = `  nl:
    body:
      type: text
      text:
        text: "Hoi {{name}}, chirp is uit."
  de:
    body:
      type: text
      text:
        text: "Hallo {{name}}, chirp ist da."
`;

async function check(text: string) {
  const root = makeCatalog({ 'messages/m.yaml': text });
  return (await validate({ cwd: root, env: {}, now: NOW })).diagnostics.filter((d) => d.severity === 'error');
}

async function renderRows(text: string, rows: object[]): Promise<RenderItem[]> {
  const root = makeCatalog({ 'messages/m.yaml': text });
  writeFileSync(join(root, 'rows.json'), JSON.stringify(rows));
  const catalog = await openCatalog({ cwd: root, env: {}, now: NOW });
  const prepared = await prepareMessage(catalog, 'm');
  const items: RenderItem[] = [];
  for await (const item of renderMessage(prepared, { data: { path: join(root, 'rows.json') } })) items.push(item);
  return items;
}

const text = (i: RenderItem) => (i.kind === 'request' ? (i.request.body as { text: { text: string } }).text.text : undefined);
const problems = (items: RenderItem[]) =>
  items.flatMap((i) => (i.kind === 'invalid' ? i.diagnostics.map((d) => `${d.row}:${d.code}:${d.field ?? ''}`) : []));

describe('normalizeLocale', () => {
  it('writes every spelling of a tag as canonical BCP-47', () => {
    for (const raw of ['nl_NL', 'NL-nl', 'nl-nl', ' nl-NL ']) expect(normalizeLocale(raw)).toEqual({ ok: true, locale: 'nl-NL' });
    expect(normalizeLocale('zh_hant_tw')).toEqual({ ok: true, locale: 'zh-Hant-TW' });
    expect(normalizeLocale('pt-br')).toEqual({ ok: true, locale: 'pt-BR' });
  });
  it('refuses what is no tag, never guessing', () => {
    for (const raw of ['', 'english', 'nl--NL', '12', 'n', 'nl-NL-', 'Dutch (NL)']) expect(normalizeLocale(raw).ok, raw).toBe(false);
  });
});

describe('the fallback chain', () => {
  const have = new Set(['en', 'pt', 'nl']);
  it('drops subtags from the right, then the default locale', () => {
    expect(localeChain('zh-Hant-TW')).toEqual(['zh-Hant-TW', 'zh-Hant', 'zh']);
    expect(localeChain('en-u-ca-gregory')).toEqual(['en-u-ca-gregory', 'en']);
    expect(chooseLocale('pt-BR', have, 'en', 'default')).toEqual({ ok: true, requested: 'pt-BR', used: 'pt', fallback: true });
    expect(chooseLocale('nl', have, 'en', 'default')).toEqual({ ok: true, requested: 'nl', used: 'nl', fallback: false });
    expect(chooseLocale('fr-FR', have, 'en', 'default')).toEqual({ ok: true, requested: 'fr-FR', used: 'en', fallback: true });
  });
  it('`language` stays in the language and `none` takes the exact locale only', () => {
    expect(chooseLocale('pt-BR', have, 'en', 'language')).toMatchObject({ ok: true, used: 'pt' });
    expect(chooseLocale('fr-FR', have, 'en', 'language').ok).toBe(false);
    expect(chooseLocale('pt-BR', have, 'en', 'none').ok).toBe(false);
    expect(chooseLocale('pt', have, 'en', 'none')).toMatchObject({ ok: true, used: 'pt', fallback: false });
  });
});

describe('translations are checked like the default body', () => {
  it('accepts a well-formed localised message', async () => {
    expect(await check(notice())).toEqual([]);
  });

  it('reports an undeclared variable in a translation at its file:line', async () => {
    const errors = await check(notice('', NL_DE.replace('Hoi {{name}}', 'Hoi {{nmae}} {{name}}')));
    expect(errors.map((d) => [d.code, d.pointer, d.line])).toEqual([['E_VAR_UNDECLARED', '/translations/nl/body/text/text', 18]]);
  });

  it('reports a translation that drops a variable the default uses', async () => {
    const errors = await check(notice('', NL_DE.replace('Hallo {{name}}', 'Hallo')));
    expect(errors.map((d) => [d.code, d.pointer, d.line])).toEqual([['E_TRANSLATION_VARIABLE', '/translations/de/body', 20]]);
  });

  it('checks the body schema and a body of another type', async () => {
    const schema = await check(notice('', NL_DE.replace('        text: "Hoi {{name}}, chirp is uit."', '        txt: "Hoi {{name}}"')));
    expect(schema.map((d) => d.pointer)).toContain('/translations/nl/body/text/txt');
    const other = await check(
      notice('', NL_DE.replace('type: text\n      text:\n        text: "Hoi', 'type: image\n      text:\n        text: "Hoi')),
    );
    expect(other.map((d) => d.code)).toContain('E_TRANSLATION');
  });

  it("applies WhatsApp's limits per locale: a German text over 1,024 characters with buttons", async () => {
    const buttons = (label: string) => `        actions:\n          - { type: reply, reply: { text: "${label}" } }\n`;
    const long = 'x'.repeat(1030);
    const translations = `  de:\n    body:\n      type: text\n      text:\n        text: "Hallo {{name}} ${long}"\n${buttons('Ja')}`;
    const text = notice('', translations).replace(
      '    text: "Hi {{name}}, chirp is out."\n',
      `    text: "Hi {{name}}, chirp is out."\n${buttons('Yes').replace(/^ {4}/gm, '')}`,
    );
    const errors = await check(text);
    // The text holds {{name}}: known once rendered, so the example row is where it breaks, in German only.
    expect(errors.map((d) => [d.code, d.pointer])).toEqual([['E_WA_INTERACTIVE_TEXT_LENGTH', '/examples/0']]);
    expect(errors[0]!.message).toMatch(/^example 1 \(de\): .*1,0\d\d characters/);
    // A literal text over the limit is the file's: reported at the translation's line.
    const literal = await check(text.replace('Hallo {{name}} ', 'Hallo ').replace('    text: "Hi {{name}}, chirp', '    text: "Hi, chirp'));
    expect(literal.map((d) => [d.code, d.pointer])).toEqual([['E_WA_INTERACTIVE_TEXT_LENGTH', '/translations/de/body/text/text']]);
  });

  it('renders every example in every locale: a value that breaks the limit in one language only', async () => {
    const translations = `  de:\n    body:\n      type: text\n      text:\n        text: "{{name}} {{name}} {{name}} {{name}} {{name}}"\n`;
    const text = notice('', translations).replace('name: Ada }', `name: ${'a'.repeat(1000)} }`);
    const errors = await check(text);
    expect(errors.map((d) => d.code)).toEqual(['E_WA_TEXT_LENGTH']);
    expect(errors[0]!.message).toMatch(/^example 1 \(de\):/);
  });

  it('refuses locale keys that are not canonical, the default locale as a translation, and translations of a template', async () => {
    const keys = await check(notice('', NL_DE.replace('  nl:', '  nl_NL:').replace('  de:', '  en:')));
    expect(keys.map((d) => [d.code, d.pointer])).toEqual(
      expect.arrayContaining([
        ['E_SCHEMA', '/translations'],
        ['E_TRANSLATION', '/translations/en'],
      ]),
    );
    const lowered = await check(notice('', NL_DE.replace('  nl:', '  nl-nl:')));
    expect(lowered.map((d) => [d.code, d.hint])).toEqual([['E_LOCALE_INVALID', 'write `nl-NL`']]);
    const literal = await check(notice().replace('locale: "{{lang}}"', 'locale: english'));
    expect(literal.map((d) => [d.code, d.pointer])).toContainEqual(['E_LOCALE_INVALID', '/locale']);
  });

  it('warns of a text no example reaches (coverage)', async () => {
    const root = makeCatalog({ 'messages/m.yaml': notice() });
    const warnings = (await validate({ cwd: root, env: {}, now: NOW })).diagnostics.filter((d) => d.code === 'W_LOCALE_NOT_COVERED');
    // The one example (nl_NL) reaches the nl text: en (the default body) and de are not shown by any example.
    expect(warnings.map((d) => [d.pointer, d.line])).toEqual([
      ['/body', 9],
      ['/translations/de', 19],
    ]);
  });

  it('needs defaultLocale next to locale', async () => {
    const errors = await check(notice().replace('defaultLocale: en\n', ''));
    expect(errors.map((d) => d.code)).toContain('E_SCHEMA');
  });
});

describe('rendering per locale', () => {
  const rows = [
    { phone: '+31612345678', lang: 'nl_NL', name: 'Ada' },
    { phone: '+31612345679', lang: 'DE-de', name: 'Bo' },
    { phone: '+31612345670', lang: 'fr', name: 'Cy' },
    { phone: '+31612345671', lang: 'en', name: 'Di' },
    { phone: '+31612345672', lang: 'not a tag', name: 'Ed' },
  ];

  it("gives each recipient their language's text, falling back along the chain, and says so", async () => {
    const items = await renderRows(notice(), rows);
    expect(items.map(text)).toEqual([
      'Hoi Ada, chirp is uit.',
      'Hallo Bo, chirp ist da.',
      'Hi Cy, chirp is out.',
      'Hi Di, chirp is out.',
      undefined,
    ]);
    expect(items.map((i) => (i.kind === 'request' ? i.locale : undefined))).toEqual([
      { requested: 'nl-NL', used: 'nl', fallback: true },
      { requested: 'de-DE', used: 'de', fallback: true },
      { requested: 'fr', used: 'en', fallback: true },
      { requested: 'en', used: 'en', fallback: false },
      undefined,
    ]);
    expect(problems(items)).toEqual(['5:E_LOCALE_INVALID:lang']);
    // The bytes sent are the request's: the per-locale body is serialised like the default one.
    for (const i of items) if (i.kind === 'request') expect(i.json).toBe(JSON.stringify(i.request));
  });

  it('makes a recipient without their text a row error when the message allows no fallback', async () => {
    const items = await renderRows(notice('localeFallback: language\n'), rows);
    expect(problems(items)).toEqual(['3:E_LOCALE_UNAVAILABLE:lang', '5:E_LOCALE_INVALID:lang']);
    const none = await renderRows(notice('localeFallback: none\n').replace('lang: nl_NL', 'lang: nl'), rows);
    expect(problems(none)).toEqual([
      '1:E_LOCALE_UNAVAILABLE:lang',
      '2:E_LOCALE_UNAVAILABLE:lang',
      '3:E_LOCALE_UNAVAILABLE:lang',
      '5:E_LOCALE_INVALID:lang',
    ]);
  });

  it('a blank locale is a missing variable, never the default language', async () => {
    const items = await renderRows(notice(), [{ phone: '+31612345678', lang: ' ', name: 'Ada' }]);
    expect(problems(items)).toEqual(['1:E_VAR_MISSING:lang']);
  });
});

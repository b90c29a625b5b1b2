// A value that reads as nothing is a blank, whatever its code points: `Hi \u200b,` (a zero-width space)
// looks exactly like `Hi ,`. And a field a template renders is never blank, whatever branch it took:
// a template parameter `{{#if nick}}{{nick}}{{/if}}` that renders "" sends "Hi ," through Bird's template.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCatalog, prepareMessage, renderMessage, type RenderItem } from '../../src/index.js';
import { isBlank } from '../../src/render/helpers.js';
import { makeCatalog } from '../helpers/catalog.js';

/** Characters that show nothing: white space, zero-width and bidi format characters, fillers. */
const INVISIBLE = [
  ' ',
  '\t',
  '\n',
  '\u00a0', // no-break space
  '\u00ad', // soft hyphen
  '\u034f', // combining grapheme joiner
  '\u115f', // Hangul choseong filler
  '\u180e', // Mongolian vowel separator
  '\u200b', // zero-width space
  '\u200c', // zero-width non-joiner
  '\u200d', // zero-width joiner
  '\u200e', // left-to-right mark
  '\u200f', // right-to-left mark
  '\u202e', // right-to-left override
  '\u2060', // word joiner
  '\u2066', // left-to-right isolate
  '\u2800', // braille pattern blank
  '\u3000', // ideographic space
  '\u3164', // Hangul filler
  '\ufeff', // byte order mark
  '\uffa0', // halfwidth Hangul filler
  '\u{e0020}', // tag space
];

describe('isBlank', () => {
  it('takes a string of only invisible characters as blank', () => {
    for (const c of INVISIBLE) expect(isBlank(c), `U+${c.codePointAt(0)!.toString(16)}`).toBe(true);
    fc.assert(fc.property(fc.array(fc.constantFrom(...INVISIBLE), { minLength: 1, maxLength: 8 }), (cs) => isBlank(cs.join(''))));
  });

  it('takes any visible character as a value', () => {
    for (const v of ['Ada', '0', '.', '-', '😀', '\u200bAda', 'Ada\u200e', '\u0647', '\u05d0', 'ㄱ', '\u2801'])
      expect(isBlank(v), v).toBe(false);
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...INVISIBLE)),
        fc.constantFrom('a', 'Z', '7', 'é', '名', '!'),
        fc.array(fc.constantFrom(...INVISIBLE)),
        (a, v, b) => !isBlank(a.join('') + v + b.join('')),
      ),
    );
    expect(isBlank(0)).toBe(false);
    expect(isBlank(false)).toBe(false);
  });
});

async function renderAll(message: string, csv: string): Promise<RenderItem[]> {
  const root = makeCatalog({ 'messages/m.yaml': message });
  writeFileSync(join(root, 'rows.csv'), csv);
  const prepared = await prepareMessage(await openCatalog({ cwd: root, env: {} }), 'm');
  const items: RenderItem[] = [];
  for await (const item of renderMessage(prepared, { data: { path: join(root, 'rows.csv') } })) items.push(item);
  return items;
}

const codes = (items: RenderItem[]): string[] =>
  items.flatMap((i) => (i.kind === 'request' || i.kind === 'suppressed' ? [] : i.diagnostics.map((d) => `${d.row}:${d.code}`)));

const textMessage = (text: string) =>
  `channel: whatsapp\nto: "{{phone}}"\nvariables:\n  phone: { type: string }\n  name: { type: string }\n  vip: { type: boolean }\nbody:\n  type: text\n  text:\n    text: ${JSON.stringify(text)}\n`;

describe('invisible values in the data', () => {
  it('a zero-width space, a bidi mark or a filler in a printed column is E_VAR_MISSING, not "Hi ,"', async () => {
    const rows = ['\u200b', '\u200e', '\u2060', '\u3164', '\u2800', ' \u200b\u00a0 ', 'Ada'];
    const csv = `phone,name\n${rows.map((n, i) => `+3161234567${i},${n}`).join('\n')}\n`;
    const items = await renderAll(textMessage('Hi {{name}}, welcome'), csv);
    expect(codes(items)).toEqual(rows.slice(0, -1).map((_, i) => `${i + 1}:E_VAR_MISSING`));
    expect(items.filter((i) => i.kind === 'request')).toHaveLength(1);
  });

  it('`default` takes its fallback for an invisible value', async () => {
    const items = await renderAll(textMessage('Hi {{default name "friend"}}'), 'phone,name\n+31612345670,\u200b\n');
    expect(items.map((i) => (i.kind === 'request' ? (i.request.body as { text: { text: string } }).text.text : i.kind))).toEqual([
      'Hi friend',
    ]);
  });
});

describe('a field a template renders is never blank', () => {
  const templateMessage = (value: string) =>
    `channel: whatsapp\nto: "{{phone}}"\nvariables:\n  phone: { type: string }\n  nick: { type: string }\ntemplate:\n  projectId: ce6a2fd6-b2fa-4f5a-a2cd-f3bd15883318\n  version: latest\n  locale: en\n  parameters:\n    - { type: string, key: name, value: ${JSON.stringify(value)} }\n`;

  it('a template parameter whose {{#if}} printed nothing is a row error (E_RENDERED_BLANK), in every spelling of nothing', async () => {
    for (const value of ['{{#if nick}}{{nick}}{{/if}}', '{{#if nick}}{{nick}}{{/if}} ', '{{#if nick}}{{nick}}{{/if}}\u200b']) {
      const items = await renderAll(templateMessage(value), 'phone,nick\n+31612345670,\n+31612345671,Bo\n');
      expect(codes(items), value).toEqual(['1:E_RENDERED_BLANK']);
      const first = items[0]!;
      const problem = first.kind === 'invalid' ? first.diagnostics[0] : undefined;
      expect(problem?.message).toContain('/template/parameters/0/value');
      expect(items[1]!.kind).toBe('request');
    }
  });

  it('a text body that renders only spaces is a row error; a constant text and a filled branch are not', async () => {
    const items = await renderAll(
      textMessage('{{#if vip}}Hello VIP {{name}}{{/if}} '),
      'phone,vip,name\n+31612345670,false,Bo\n+31612345671,true,Cy\n',
    );
    expect(codes(items)).toEqual(['1:E_RENDERED_BLANK']);
    expect(items[1]!.kind).toBe('request');
  });
});

// The "false text" check of conditions was a deny-list after trim().toLowerCase(): `false\u200b`, `0.0`,
// `00`, `-0`, fullwidth `０`, `n`, `nil`, `none` still took the true branch ("VIP, 50% off" for a
// non-VIP). They are refused now, however they are spelled.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCatalog, prepareMessage, renderMessage } from '../../src/index.js';
import { FALSE_WORDS, readsFalse } from '../../src/render/false-text.js';
import { makeCatalog } from '../helpers/catalog.js';

const MESSAGE = `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
  vip: { type: string }
body:
  type: text
  text:
    text: "Hi{{#if vip}} VIP, 50% off{{else}}, 5% off{{/if}}"
`;

async function outcomes(cells: string[]): Promise<string[]> {
  const root = makeCatalog({ 'messages/m.yaml': MESSAGE });
  const rows = cells.map((c, i) => JSON.stringify({ phone: `+316123456${String(i).padStart(2, '0')}`, vip: c }));
  writeFileSync(join(root, 'rows.ndjson'), `${rows.join('\n')}\n`);
  const prepared = await prepareMessage(await openCatalog({ cwd: root, env: {} }), 'm');
  const out: string[] = [];
  for await (const item of renderMessage(prepared, { data: { path: join(root, 'rows.ndjson') } }))
    out.push(
      item.kind === 'request'
        ? (item.request.body as { text: { text: string } }).text.text
        : item.kind === 'invalid'
          ? item.diagnostics.map((d) => d.code).join(',')
          : item.kind,
    );
  return out;
}

const BYPASSES = [
  'false\u200b',
  '0.0',
  '00',
  '-0',
  '\uff10',
  'n',
  'nil',
  'none',
  'N',
  'f',
  '0,0',
  '+0e3',
  '\u00a0no\u00a0',
  'ｆａｌｓｅ',
  ' \u200b ',
];

describe('text that reads as false, however it is spelled', () => {
  it.each(BYPASSES)('%j is refused (E_CONDITION_TEXT) instead of taking the true branch', async (cell) => {
    expect(await outcomes([cell])).toEqual(['E_CONDITION_TEXT']);
  });

  it('the refusal shows the invisible characters it found', async () => {
    const root = makeCatalog({ 'messages/m.yaml': MESSAGE });
    writeFileSync(join(root, 'rows.ndjson'), '{"phone":"+31612345600","vip":"false\\u200b"}\n');
    const prepared = await prepareMessage(await openCatalog({ cwd: root, env: {} }), 'm');
    for await (const item of renderMessage(prepared, { data: { path: join(root, 'rows.ndjson') } }))
      expect(item.kind === 'invalid' ? item.diagnostics[0]!.message : item.kind).toContain('is given the text "false\\u200b"');
  });

  it('text that reads as something stays true; the empty text is false as Handlebars has it', async () => {
    expect(await outcomes(['yes', 'gold', '1', '0.5', 'no thanks', 'nobody'])).toEqual(Array.from({ length: 6 }, () => 'Hi VIP, 50% off'));
    expect(readsFalse('')).toBe(false);
  });

  it('property: any spelling of a listed word or of zero (case, spaces, invisible characters, fullwidth) reads as false', () => {
    const fillers = fc.constantFrom('', ' ', '\t', '\u00a0', '\u200b', '\u200d', '\u2060', '\ufeff', '\u3000', '\u2800', '\u202f');
    const word = fc.oneof(fc.constantFrom(...FALSE_WORDS), fc.constantFrom('0', '00', '0.0', '-0', '+0', '.0', '0e5', '0,00'));
    const spelling = fc
      .tuple(
        word,
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        fc.boolean(),
        fc.array(fillers, { minLength: 14, maxLength: 14 }),
      )
      .map(([w, upper, wide, fill]) => {
        let out = fill[0]!;
        [...w].forEach((c, i) => {
          let ch = upper[i] ? c.toUpperCase() : c;
          if (wide) ch = String.fromCodePoint(ch.codePointAt(0)! + 0xfee0); // fullwidth forms of ASCII
          out += ch + fill[i + 1]!;
        });
        return out + fill[13]!;
      });
    fc.assert(fc.property(spelling, (text) => readsFalse(text)));
  });

  it('property: such a spelling fails its row in a real render', async () => {
    const samples = fc.sample(
      fc
        .tuple(fc.constantFrom(...FALSE_WORDS, '0', '0.0'), fc.constantFrom('', ' ', '\u200b', '\u00a0'))
        .map(([w, pad]) => `${pad}${w.toUpperCase()}${pad}`),
      { numRuns: 20, seed: 7 },
    );
    expect(await outcomes(samples)).toEqual(samples.map(() => 'E_CONDITION_TEXT'));
  });
});

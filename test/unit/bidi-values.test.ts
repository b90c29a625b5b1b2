// A bidi override in a data value that the value does not close reorders the rest of the message:
// `Hi {{name}}, your code is 1234` with the name U+202E "evE" reads "Hi 4321 si edoc ruoy ,Eve".
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCatalog, prepareMessage, renderMessage, type RenderItem } from '../../src/index.js';
import { unclosedBidi } from '../../src/render/helpers.js';
import { makeCatalog } from '../helpers/catalog.js';

const OPENERS = ['\u202a', '\u202b', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068'];

describe('unclosedBidi', () => {
  it('finds an embedding, override or isolate a value opens and does not close', () => {
    for (const o of OPENERS) {
      expect(unclosedBidi(`${o}evE`), o).toBe(0);
      expect(unclosedBidi(`Eve ${o}`), o).toBe(4);
    }
    expect(unclosedBidi('\u202eevE\u202c')).toBe(-1);
    expect(unclosedBidi('\u2067\u05e9\u05dc\u05d5\u05dd\u2069')).toBe(-1); // a Hebrew name in an isolate, closed
    expect(unclosedBidi('\u202b\u202e\u202c')).toBe(0);
    expect(unclosedBidi('\u200f\u05e9\u05dc\u05d5\u05dd \u200e')).toBe(-1); // marks have no scope
    expect(unclosedBidi('Ada')).toBe(-1);
    fc.assert(fc.property(fc.string(), (s) => unclosedBidi(s.replace(/[\u202a-\u202e\u2066-\u2069]/g, '')) === -1));
  });
});

describe('a data value that would reorder the message', () => {
  it('is a row error (E_CONTROL_CHAR) naming the variable; a closed isolate and RTL marks are fine', async () => {
    const root = makeCatalog({
      'messages/m.yaml':
        'channel: whatsapp\nto: "{{phone}}"\nvariables:\n  phone: { type: string }\n  name: { type: string }\nbody:\n  type: text\n  text:\n    text: "Hi {{name}}, your code is 1234"\n',
    });
    const names = [
      '\u202eevE',
      '\u2067\u05e9\u05dc\u05d5\u05dd',
      '\u2067\u05e9\u05dc\u05d5\u05dd\u2069',
      '\u05e9\u05dc\u05d5\u05dd\u200f',
      'Ada',
    ];
    writeFileSync(join(root, 'rows.csv'), `phone,name\n${names.map((n, i) => `+3161234567${i},${n}`).join('\n')}\n`);
    const prepared = await prepareMessage(await openCatalog({ cwd: root, env: {} }), 'm');
    const items: RenderItem[] = [];
    for await (const item of renderMessage(prepared, { data: { path: join(root, 'rows.csv') } })) items.push(item);
    expect(
      items.map((i) =>
        i.kind === 'request' ? 'sent' : i.kind === 'invalid' ? i.diagnostics.map((d) => `${d.code}:${d.field}`).join() : i.kind,
      ),
    ).toEqual(['E_CONTROL_CHAR:name', 'E_CONTROL_CHAR:name', 'sent', 'sent', 'sent']);
  });
});

// `{{#if vip}}` with a CSV cell `false`: a CSV cell is text, and any text is true to Handlebars, so
// every non-VIP got the VIP text ("50% off") while the examples (JSON booleans) rendered right. Text
// that reads as false in a condition is a row error instead.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCatalog, prepareMessage, renderMessage, type RenderItem } from '../../src/index.js';
import { makeCatalog } from '../helpers/catalog.js';

const message = (type: string, text: string) =>
  `channel: whatsapp\nto: "{{phone}}"\nvariables:\n  phone: { type: string }\n  vip: ${type}\n  coupon: { type: string }\nbody:\n  type: text\n  text:\n    text: ${JSON.stringify(text)}\n`;

async function renderAll(yaml: string, data: { name: string; text: string }): Promise<RenderItem[]> {
  const root = makeCatalog({ 'messages/m.yaml': yaml });
  writeFileSync(join(root, data.name), data.text);
  const prepared = await prepareMessage(await openCatalog({ cwd: root, env: {} }), 'm');
  const items: RenderItem[] = [];
  for await (const item of renderMessage(prepared, { data: { path: join(root, data.name) } })) items.push(item);
  return items;
}

const outcome = (items: RenderItem[]) =>
  items.map((i) =>
    i.kind === 'request'
      ? (i.request.body as { text: { text: string } }).text.text
      : i.kind === 'suppressed'
        ? 'suppressed'
        : i.diagnostics.map((d) => `${d.code}:${d.field ?? ''}`).join(','),
  );

const VIP = 'Hi{{#if vip}} VIP, 50% off{{else}}, 5% off{{/if}}';
const cells = ['false', '0', 'FALSE', ' no ', 'Off', 'null', 'true', 'yes', 'gold'];
const csv = { name: 'rows.csv', text: `phone,vip\n${cells.map((c, i) => `+3161234567${i},${c}`).join('\n')}\n` };

describe('text that reads as false in a condition', () => {
  it('untyped or string: "false", "0", "no", "off", "null" are row errors naming the variable; other text is true', async () => {
    for (const type of ['{}', '{ type: string }']) {
      const items = await renderAll(message(type, VIP), csv);
      expect(outcome(items), type).toEqual([
        ...Array.from({ length: 6 }, () => 'E_CONDITION_TEXT:vip'),
        'Hi VIP, 50% off',
        'Hi VIP, 50% off',
        'Hi VIP, 50% off',
      ]);
    }
  });

  it('{{#unless}} too, and from JSON as from CSV', async () => {
    const items = await renderAll(message('{}', 'Hi{{#unless vip}}, 5% off{{/unless}}'), {
      name: 'rows.ndjson',
      text: '{"phone":"+31612345670","vip":"false"}\n{"phone":"+31612345671","vip":false}\n',
    });
    expect(outcome(items)).toEqual(['E_CONDITION_TEXT:vip', 'Hi, 5% off']);
  });

  it('declared boolean: the CSV cell is read as a boolean, as before', async () => {
    const items = await renderAll(message('{ type: boolean }', VIP), {
      name: 'rows.csv',
      text: 'phone,vip\n+31612345670,false\n+31612345671,true\n',
    });
    expect(outcome(items)).toEqual(['Hi, 5% off', 'Hi VIP, 50% off']);
  });

  it('a text guard stays a guard: {{#if coupon}} with a code, or empty', async () => {
    const items = await renderAll(message('{}', 'Hi{{#if coupon}}, code {{coupon}}{{/if}}'), {
      name: 'rows.csv',
      text: 'phone,coupon\n+31612345670,SAVE10\n+31612345671,\n',
    });
    expect(outcome(items)).toEqual(['Hi, code SAVE10', 'Hi']);
  });
});

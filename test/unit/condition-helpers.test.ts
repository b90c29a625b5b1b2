// The same trap through a helper or another block: `{{#if (lower vip)}}` of "NO" (or of an absent vip,
// which `lower` turns into the text "undefined") and `{{#with vip}}` of "false" are true to Handlebars.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openCatalog, prepareMessage, renderMessage, type RenderItem } from '../../src/index.js';
import { makeCatalog } from '../helpers/catalog.js';

const message = (text: string) =>
  `channel: whatsapp\nto: "{{phone}}"\nvariables:\n  phone: { type: string }\n  vip: { type: string }\n  flag: { type: boolean }\nbody:\n  type: text\n  text:\n    text: ${JSON.stringify(text)}\n`;

async function outcome(text: string, csv: string): Promise<string[]> {
  const root = makeCatalog({ 'messages/m.yaml': message(text), 'rows.csv': csv });
  const prepared = await prepareMessage(await openCatalog({ cwd: root, env: {} }), 'm');
  const items: RenderItem[] = [];
  for await (const item of renderMessage(prepared, { data: { path: join(root, 'rows.csv') } })) items.push(item);
  return items.map((i) =>
    i.kind === 'request'
      ? (i.request.body as { text: { text: string } }).text.text
      : i.kind === 'suppressed'
        ? 'suppressed'
        : i.diagnostics.map((d) => d.code).join(','),
  );
}

const rows = 'phone,vip,flag\n+31612345670,NO,false\n+31612345671,,true\n+31612345672,gold,false\n';

describe('text that reads as false, through a helper or #with', () => {
  it('{{#if (lower vip)}} of "NO" or of no vip is a row error, not the VIP text', async () => {
    expect(await outcome('Hi{{#if (lower vip)}} VIP{{else}} all{{/if}}', rows)).toEqual(['E_CONDITION_TEXT', 'E_CONDITION_TEXT', 'Hi VIP']);
  });

  it('{{#unless (trim vip)}} (of no vip: the text "undefined") and {{#with vip}} too', async () => {
    expect(await outcome('Hi{{#unless (trim vip)}} all{{/unless}}.', rows)).toEqual(['E_CONDITION_TEXT', 'E_CONDITION_TEXT', 'Hi.']);
    expect(await outcome('Hi{{#with vip}} {{this}}{{/with}}.', rows)).toEqual(['E_CONDITION_TEXT', 'Hi.', 'Hi gold.']);
  });

  it('a comparison and a typed boolean still decide as they should', async () => {
    expect(await outcome('Hi{{#if (eq vip "gold")}} G{{/if}}{{#if flag}} F{{/if}}.', rows)).toEqual(['Hi.', 'Hi F.', 'Hi G.']);
  });
});

// A `receiver:` message names its recipient in an identifierValue. Before, that value was taken as
// written: the same person in four spellings got four messages, and `06 12345678` went to Bird as a
// national number. It is normalised as `to` is.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCatalog, prepareMessage, renderMessage, type RenderItem } from '../../src/index.js';
import { receiverRecipient } from '../../src/render/receiver.js';
import { makeCatalog } from '../helpers/catalog.js';

const receiverMessage = (contact: string, extra = '') =>
  `channel: whatsapp\n${extra}receiver:\n  contacts:\n    - ${contact}\nvariables:\n  phone: { type: string }\n  name: { type: string }\nbody:\n  type: text\n  text:\n    text: "Hi {{name}}"\n`;

async function renderAll(message: string, csv: string): Promise<RenderItem[]> {
  const root = makeCatalog({ 'messages/m.yaml': message });
  writeFileSync(join(root, 'rows.csv'), csv);
  const prepared = await prepareMessage(await openCatalog({ cwd: root, env: {} }), 'm');
  const items: RenderItem[] = [];
  for await (const item of renderMessage(prepared, { data: { path: join(root, 'rows.csv') } })) items.push(item);
  return items;
}

const summary = (items: RenderItem[]) =>
  items.map((i) =>
    i.kind === 'request'
      ? `request ${(i.request.receiver as { contacts: { identifierValue?: string }[] }).contacts[0]!.identifierValue}`
      : i.kind === 'suppressed'
        ? 'suppressed'
        : `${i.kind} ${i.diagnostics.map((d) => d.code).join(',')}`,
  );

describe('receiver: the same person in any spelling is one recipient', () => {
  const spellings = '+31612345678,Ada\n+31 6 1234 5678,Ada\n0031612345678,Ada\n06-12345678,Ada\n+31 (0)6 12345678,Ada\n';

  it('with identifierKey phonenumber: one request, in E.164, the rest duplicates', async () => {
    const items = await renderAll(
      receiverMessage('{ identifierKey: phonenumber, identifierValue: "{{phone}}" }', 'defaultCountry: NL\n'),
      `phone,name\n${spellings}`,
    );
    expect(summary(items)).toEqual(['request +31612345678', ...Array.from({ length: 4 }, () => 'duplicate W_DUPLICATE_RECIPIENT')]);
  });

  it('without identifierKey too; a national number sent first is sent as E.164', async () => {
    const items = await renderAll(
      receiverMessage('{ identifierValue: "{{phone}}" }', 'defaultCountry: NL\n'),
      'phone,name\n06 1234 5678,Ada\n+31612345678,Ada\n',
    );
    expect(summary(items)).toEqual(['request +31612345678', 'duplicate W_DUPLICATE_RECIPIENT']);
    const first = items[0]!;
    expect(first.kind === 'request' && first.json).toContain('"identifierValue":"+31612345678"');
    expect(first.kind === 'request' && first.alias).toBe('06 1234 5678');
  });

  it('a number that cannot be normalised is E_RECEIVER_INVALID naming the column, never sent as written', async () => {
    const items = await renderAll(
      receiverMessage('{ identifierKey: phonenumber, identifierValue: "{{phone}}" }'),
      'phone,name\n06 1234 5678,Ada\n+3161234,Bo\nada@example.com,Cy\n',
    );
    expect(summary(items)).toEqual(['invalid E_RECEIVER_INVALID', 'invalid E_RECEIVER_INVALID', 'invalid E_RECEIVER_INVALID']);
    const first = items[0]!;
    expect(first.kind === 'invalid' && first.diagnostics[0]!.field).toBe('phone');
    expect(first.kind === 'invalid' && first.diagnostics[0]!.message).toMatch(/has no country code.*defaultCountry/);
  });

  it('a literal receiver in another spelling is sent normalised too (not its constant JSON)', async () => {
    const items = await renderAll(
      receiverMessage('{ identifierKey: phonenumber, identifierValue: "+31 6 1234 5678" }'),
      'phone,name\nx,Ada\n',
    );
    const first = items[0]!;
    expect(first.kind === 'request' && JSON.parse(first.json)).toMatchObject({
      receiver: { contacts: [{ identifierValue: '+31612345678' }] },
    });
  });
});

describe('receiverRecipient', () => {
  it('e-mail addresses are sent lower-cased at the domain and keyed case-folded, other identifier kinds and contact ids are taken as written', () => {
    expect(
      receiverRecipient({ contacts: [{ identifierKey: 'emailaddress', identifierValue: 'Ada@Example.COM' }] }, undefined),
    ).toMatchObject({
      ok: true,
      recipient: 'ada@example.com',
      spelling: 'Ada@example.com',
      alias: 'Ada@Example.COM',
      receiver: { contacts: [{ identifierValue: 'Ada@example.com' }] },
    });
    // Nothing to normalise, but keyed case-folded: the spelling an earlier chirp keyed on is the alias.
    expect(receiverRecipient({ contacts: [{ identifierKey: 'emailaddress', identifierValue: 'Ada@x.com' }] }, undefined)).toEqual({
      ok: true,
      recipient: 'ada@x.com',
      spelling: 'Ada@x.com',
      alias: 'Ada@x.com',
    });
    expect(receiverRecipient({ contacts: [{ identifierKey: 'customer_id', identifierValue: ' 06 12 ' }] }, 'NL')).toEqual({
      ok: true,
      recipient: ' 06 12 ',
    });
    expect(receiverRecipient({ contacts: [{ id: 'c-1' }] }, 'NL')).toEqual({ ok: true, recipient: 'c-1' });
    expect(receiverRecipient({ contacts: [{ identifierKey: 'emailaddress', identifierValue: '+31612345678' }] }, 'NL')).toMatchObject({
      ok: false,
    });
    expect(receiverRecipient({ contacts: [{ identifierKey: 'phonenumber', identifierValue: '+31612345678' }] }, 'NL')).toEqual({
      ok: true,
      recipient: '+31612345678',
    });
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openCatalog, prepareMessage, renderMessage as render, type RenderItem } from '../../src/index.js';
import { UserError } from '../../src/errors.js';
import { compileMessage, createTemplateEnv } from '../../src/render/index.js';
import type { MessageDefinition } from '../../src/schema/index.js';
import { makeCatalog } from '../helpers/catalog.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const env = {};

function message(body: string, extra = ''): string {
  return `channel: whatsapp\nto: "{{phone}}"\n${extra}body:\n  type: text\n  text:\n    text: ${JSON.stringify(body)}\n`;
}

async function renderAll(files: Record<string, string>, id: string, data?: { name: string; text: string }): Promise<RenderItem[]> {
  const root = makeCatalog(files);
  if (data) writeFileSync(join(root, data.name), data.text);
  const catalog = await openCatalog({ cwd: root, env });
  const prepared = await prepareMessage(catalog, id);
  const items: RenderItem[] = [];
  for await (const item of render(prepared, data ? { data: { path: join(root, data.name) } } : {})) items.push(item);
  return items;
}

function texts(items: RenderItem[]): (string | undefined)[] {
  return items.map((i) => (i.kind === 'request' ? (i.request.body as { text: { text: string } }).text.text : undefined));
}

function codes(items: RenderItem[]): string[] {
  return items.flatMap((i) =>
    i.kind === 'request' || i.kind === 'suppressed' ? [] : i.diagnostics.map((d) => `${d.row}:${d.code}:${d.field ?? ''}`),
  );
}

describe('strict rendering: a missing value is a row error, never a blank', () => {
  const csv = (rows: string) => ({ name: 'rows.csv', text: `phone,name,coupon,city\n${rows}` });

  it('renders present values and rejects absent, empty and whitespace-only ones', async () => {
    const items = await renderAll(
      { 'messages/m.yaml': message('Hi {{name}},') },
      'm',
      csv('+31612345678,Ada,,\n+31612345679,,,\n+31612345670,"   ",,\n'),
    );
    expect(texts(items)).toEqual(['Hi Ada,', undefined, undefined]);
    expect(codes(items)).toEqual(['2:E_VAR_MISSING:name', '3:E_VAR_MISSING:name']);
  });

  it('rejects a null value from JSON and an absent nested path', async () => {
    const items = await renderAll({ 'messages/m.yaml': message('Hi {{name}} from {{address.city}}') }, 'm', {
      name: 'rows.json',
      text: JSON.stringify([
        { phone: '+31612345678', name: null, address: { city: 'Delft' } },
        { phone: '+31612345679', name: 'Bo', address: {} },
        { phone: '+31612345670', name: 'Cy', address: { city: 'Ede' } },
      ]),
    });
    expect(codes(items)).toEqual(['1:E_VAR_MISSING:name', '2:E_VAR_MISSING:address.city']);
    expect(texts(items)[2]).toBe('Hi Cy from Ede');
  });

  it('checks arguments of helpers, hash arguments, partials and #with/#each contexts', async () => {
    const files = {
      'messages/_partials/sig.hbs': '-- {{team}}\n',
      'messages/helper.yaml': message('{{upper name}}'),
      'messages/hash.yaml': message('{{formatNumber 5 locale=loc}}'),
      'messages/partial.yaml': message('Hi {{name}} {{> sig}}'),
      'messages/with.yaml': message('{{#with address}}{{city}}{{/with}}'),
    };
    const row = { name: 'rows.json', text: JSON.stringify([{ phone: '+31612345678', name: 'x', address: { zip: '1' } }]) };
    expect(codes(await renderAll(files, 'helper', { name: 'rows.json', text: '[{"phone":"+31612345678"}]' }))).toEqual([
      '1:E_VAR_MISSING:name',
    ]);
    expect(codes(await renderAll(files, 'hash', row))).toEqual(['1:E_VAR_MISSING:loc']);
    expect(codes(await renderAll(files, 'partial', row))).toEqual(['1:E_VAR_MISSING:team']);
    expect(codes(await renderAll(files, 'with', row))).toEqual(['1:E_VAR_MISSING:address.city']);
  });

  it('allows guarded optional fields and default values', async () => {
    const items = await renderAll(
      { 'messages/m.yaml': message('Hi {{default nick "friend"}}{{#if coupon}}, code {{coupon}}{{/if}}{{#unless coupon}}!{{/unless}}') },
      'm',
      csv('+31612345678,Ada,SAVE10,\n+31612345679,Bo,,\n'),
    );
    expect(texts(items)).toEqual(['Hi friend, code SAVE10', 'Hi friend!']);
  });

  it('a missing typed single-expression value is an error too', async () => {
    const loc = `channel: whatsapp\nto: "{{phone}}"\nbody:\n  type: location\n  location:\n    coordinates: { latitude: "{{lat}}", longitude: "{{lng}}" }\n    location: { address: A, label: B }\n`;
    const items = await renderAll({ 'messages/loc.yaml': loc }, 'loc', {
      name: 'r.csv',
      text: 'phone,lat,lng\n+31612345678,52.1,4.5\n+31612345679,,4.5\n',
    });
    expect(items[0]?.kind === 'request' && (items[0].request.body as { location: { coordinates: unknown } }).location.coordinates).toEqual({
      latitude: 52.1,
      longitude: 4.5,
    });
    expect(codes(items)).toEqual(['2:E_VAR_MISSING:lat']);
  });
});

describe('values come out verbatim', () => {
  const nasty = ["O'Brien & <Co>", '"quoted"', '😀👍🏽 emoji', 'שלום עולם RTL', '{{name}}', '__proto__', '\\{{x}}', 'a\nb', '&amp;'];

  it('keeps HTML-ish, emoji, RTL and braces in data exactly (never evaluated as templates)', async () => {
    const rows = nasty.map((name, i) => ({ phone: `+3161234${String(5000 + i)}`, name }));
    const items = await renderAll({ 'messages/m.yaml': message('{{name}}') }, 'm', { name: 'r.json', text: JSON.stringify(rows) });
    expect(texts(items)).toEqual(nasty);
  });

  it('property: random unicode strings round-trip through CSV and NDJSON', async () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31);
    const pool = [...'abc&<>\'"{}\\,;\t|é中😀\u200f\u05d0 ', '{{x}}', '}}', '{{'];
    const values = Array.from({ length: 200 }, () => {
      let s = 'v';
      const n = Math.floor(rand() * 12);
      for (let i = 0; i < n; i++) s += pool[Math.floor(rand() * pool.length)];
      return s.trimEnd() + 'z';
    });
    const ndjson = values.map((name, i) => JSON.stringify({ phone: `+316${String(10000000 + i)}`, name })).join('\n');
    const items = await renderAll({ 'messages/m.yaml': message('[{{name}}]') }, 'm', { name: 'r.ndjson', text: ndjson });
    expect(texts(items)).toEqual(values.map((v) => `[${v}]`));
    const csvText = 'phone,name\n' + values.map((name, i) => `+316${String(10000000 + i)},"${name.replace(/"/g, '""')}"`).join('\n');
    const fromCsv = await renderAll({ 'messages/m.yaml': message('[{{name}}]') }, 'm', { name: 'r.csv', text: csvText });
    expect(texts(fromCsv)).toEqual(values.map((v) => `[${v}]`));
  });

  it('passes \\{{name}} through as literal braces for Bird-side placeholders', async () => {
    const items = await renderAll({ 'messages/m.yaml': message('Hi {{name}}, your code is \\{{code}}') }, 'm', {
      name: 'r.json',
      text: '[{"phone":"+31612345678","name":"Ada"}]',
    });
    expect(texts(items)).toEqual(['Hi Ada, your code is {{code}}']);
  });
});

describe('recipients', () => {
  it('normalises phone numbers to E.164, rejects what is neither phone nor e-mail, and sends a repeated recipient once', async () => {
    const items = await renderAll({ 'messages/m.yaml': message('x') }, 'm', {
      name: 'r.csv',
      text: 'phone\n+31 (6) 12-34.56 78\n0031612345679\n0612345678\nada@example.COM\n+31612345678\n',
    });
    expect(items.map((i) => (i.kind === 'request' ? i.recipient : i.kind))).toEqual([
      '+31612345678',
      '+31612345679',
      'invalid',
      'ada@example.com',
      'duplicate',
    ]);
    const dup = items[4];
    expect(dup?.kind === 'duplicate' && dup.diagnostics[0]?.message).toMatch(/row 5.*row 1/);
    expect(codes(items)).toContain('3:E_RECEIVER_INVALID:phone');
  });

  it('sets a deterministic reference without the raw phone number unless the definition sets one', async () => {
    const files = { 'messages/m.yaml': message('x'), 'messages/own.yaml': message('x', 'reference: "order-{{id}}"\n') };
    const data = { name: 'r.csv', text: 'phone,id\n+31612345678,7\n' };
    const [a] = await renderAll(files, 'm', data);
    const [b] = await renderAll(files, 'm', data);
    const [own] = await renderAll(files, 'own', data);
    expect(a?.kind === 'request' && a.reference).toMatch(/^chirp:m:[0-9a-f]{20}$/);
    expect(a?.kind === 'request' && b?.kind === 'request' && a.reference === b.reference).toBe(true);
    expect(a?.kind === 'request' && a.json).not.toContain('612345678",');
    expect(own?.kind === 'request' && own.request.reference).toBe('order-7');
  });
});

describe('rows are checked against variables', () => {
  it('coerces CSV strings to declared types, applies defaults, and names the column and rule', async () => {
    const def = message(
      '{{name}} {{count}} {{vip}} {{lang}}',
      'variables:\n  phone: { type: string }\n  name: { type: string, minLength: 2 }\n  count: { type: integer }\n  vip: { type: boolean }\n  lang: { type: string, default: en }\n',
    );
    const items = await renderAll({ 'messages/m.yaml': def }, 'm', {
      name: 'r.csv',
      text: 'phone,name,count,vip\n+31612345678,Ada,3,true\n+31612345679,B,x,maybe\n',
    });
    expect(texts(items)[0]).toBe('Ada 3 true en');
    expect(codes(items)).toEqual(['2:E_ROW_INVALID:name', '2:E_ROW_INVALID:count', '2:E_ROW_INVALID:vip']);
    const bad = items[1];
    expect(bad?.kind === 'invalid' && bad.diagnostics[0]?.line).toBe(3);
  });
});

describe('prototype pollution', () => {
  it('leaves Object.prototype untouched through CSV headers and JSON keys', async () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    await renderAll({ 'messages/m.yaml': message('{{name}}') }, 'm', {
      name: 'r.csv',
      text: '__proto__.polluted,constructor.prototype.polluted,phone,name\nyes,yes,+31612345678,Ada\n',
    }).catch(() => []);
    await renderAll({ 'messages/m.yaml': message('{{name}}') }, 'm', {
      name: 'r.json',
      text: '[{"__proto__":{"polluted":"yes"},"phone":"+31612345678","name":"Ada","constructor":{"prototype":{"polluted":"yes"}}}]',
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
  });

  it('refuses __proto__ keys in message YAML', async () => {
    const root = makeCatalog({
      'messages/m.yaml': `channel: whatsapp\nto: "{{phone}}"\nbody:\n  type: text\n  __proto__: { polluted: yes }\n  text: { text: hi }\n`,
    });
    const catalog = await openCatalog({ cwd: root, env });
    const error = await prepareMessage(catalog, 'm').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).diagnostics.map((d) => [d.code, d.line])).toContainEqual(['E_PROTO_KEY', 5]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('a reserved member never reaches a request', () => {
  // `out["__proto__"] = v` sets a prototype instead of a member: the request object (validated) would
  // lack the member the compiled JSON (sent) printed. Refused, by whatever way it is written.
  it('refuses a __proto__ key that comes by way of an alias, at the alias', async () => {
    const root = makeCatalog({
      'messages/m.yaml': `description: &p __proto__
channel: whatsapp
to: "{{phone}}"
variables: { phone: { type: string }, name: { type: string } }
body: { type: text, text: { text: "Hi {{name}}" } }
meta:
  extraInformation:
    note: "{{name}}"
    *p : { polluted: yes }
`,
    });
    const catalog = await openCatalog({ cwd: root, env });
    const error = await prepareMessage(catalog, 'm').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['E_PROTO_KEY', 9, 5]]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('the compiler refuses one that reached it another way (a definition not read from YAML)', () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const extra = JSON.parse(`{"note":"{{name}}",${JSON.stringify(key)}:{"x":1}}`) as Record<string, unknown>;
      const definition = {
        id: 'm',
        file: 'm.yaml',
        channel: 'whatsapp',
        to: '{{phone}}',
        body: { type: 'text', text: { text: 'Hi' } },
        examples: [],
        passthrough: { meta: { extraInformation: extra } },
      } as unknown as MessageDefinition;
      expect(() => compileMessage(definition, createTemplateEnv())).toThrow(
        expect.objectContaining({ code: 'E_PROTO_KEY', message: expect.stringContaining(`/meta/extraInformation/${key}`) as string }),
      );
    }
  });
});

describe('the printed JSON', () => {
  // The request's JSON is put together from the compiled message, constant parts serialised once:
  // it must be byte for byte what JSON.stringify of the request gives, for any values.
  const files = {
    'messages/m.yaml': `channel: whatsapp
to: "{{phone}}"
meta:
  extraInformation:
    useCase: "{{useCase}}"
    info: "{{info}}"
    fixed: { a: [1, "two", null, true], "10": x, "2": y, b: z, "1": w, "01": v, "-1": u, "4294967295": t }
    "10": "{{name}}"
    z: "{{label}}"
    "2": { "b": "{{tag}}", "1": 1, "a": "{{name}}", "0": "{{label}}" }
    "1": fixed
    "1.5": "{{name}}"
tags: ["news", "{{tag}}"]
validity: "{{validity}}"
body:
  type: text
  text:
    text: "Hi {{name}} {{{name}}} \\u2028"
    actions:
      - { type: reply, reply: { text: "{{label}}" } }
      - { type: reply, reply: { text: Later } }
`,
    'messages/r.yaml': `channel: whatsapp
receiver:
  contacts:
    - identifierValue: "{{phone}}"
      identifierKey: phonenumber
body:
  type: text
  text: { text: "{{name}}" }
`,
  };
  const text = fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }).filter((t) => t.trim() !== '' && !/[\p{Cc}\p{Cs}]/u.test(t));

  it('is exactly JSON.stringify of the request (random values, typed, nested, passthrough, receiver form, reserved and integer-like keys)', async () => {
    let protoSent = 0;
    let requests = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            name: text,
            label: text,
            useCase: text,
            // Bird's tag pattern (random text would make nearly every row invalid, and compare nothing).
            tag: fc.stringMatching(/^[a-zA-Z0-9_-][a-zA-Z0-9_ -]{0,7}$/),
            info: fc.oneof(
              fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), fc.oneof(fc.integer(), text)),
              // Keys JS objects treat apart: `__proto__` (data here: an own member, sent as validated),
              // `constructor`, and integer-like keys, which objects order before the others.
              // (Object.fromEntries makes own members, `__proto__` too; an assignment would set the prototype.)
              fc
                .array(
                  fc.tuple(
                    fc.constantFrom(
                      '__proto__',
                      'constructor',
                      'prototype',
                      'toString',
                      '1',
                      '10',
                      '2',
                      '0',
                      '01',
                      '-1',
                      '4294967295',
                      'b',
                      'a',
                    ),
                    fc.oneof(
                      fc.integer(),
                      text,
                      fc.array(fc.tuple(fc.constantFrom('__proto__', '1', 'a', '0'), fc.integer())).map((e) => Object.fromEntries(e)),
                    ),
                  ),
                  { minLength: 1, maxLength: 8 },
                )
                .map((e) => Object.fromEntries(e)),
              fc.integer(),
              fc.boolean(),
            ),
            validity: fc.integer({ min: 1, max: 100000 }),
          }),
          { minLength: 1, maxLength: 5 },
        ),
        async (rows) => {
          const data = rows.map((r, i) => ({ ...r, phone: `+3161234${String(5000 + i)}` }));
          for (const id of ['m', 'r']) {
            const items = await renderAll(files, id, { name: 'rows.json', text: JSON.stringify(data) });
            for (const item of items) {
              if (item.kind !== 'request') continue;
              expect(item.json).toBe(JSON.stringify(item.request));
              requests++;
              if (item.json.includes('"__proto__":')) protoSent++;
            }
          }
        },
      ),
      { numRuns: 25 },
    );
    // The property compared requests (not only refusals), and a `__proto__` key of the data was sent, as
    // the own member the validated request holds, in some of them.
    expect(requests).toBeGreaterThan(50);
    expect(protoSent).toBeGreaterThan(0);
  });
});

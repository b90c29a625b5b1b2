// What WhatsApp and Bird accept, as chirp checks it beyond the fixtures: per row when a value comes
// from a variable (data files too), the clock injected at render time, channel platforms, Bird's
// nullable values and open keys, and the rules as plain functions.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { openCatalog, prepareMessage, renderMessage as render, sendTimeChecked, validate, type RenderItem } from '../../src/index.js';
import { requestChecker, rulesFor } from '../../src/check/index.js';
import { UserError } from '../../src/errors.js';
import { makeCatalog, TEST_CONFIG } from '../helpers/catalog.js';

const env = {};
const NOW = new Date('2030-01-01T00:00:00Z');
const clock = (): Date => NOW;

const textMessage = (text: string, extra = '', variables = '  phone: { type: string }\n  offer: { type: string }\n'): string =>
  `channel: whatsapp\nto: "{{phone}}"\nvariables:\n${variables}body:\n  type: text\n  text:\n    text: ${JSON.stringify(text)}\n${extra}`;

async function renderAll(files: Record<string, string>, data?: { name: string; text: string }, now = clock): Promise<RenderItem[]> {
  const root = makeCatalog(files);
  if (data) writeFileSync(join(root, data.name), data.text);
  const catalog = await openCatalog({ cwd: root, env, now });
  const prepared = await prepareMessage(catalog, 'm');
  const items: RenderItem[] = [];
  for await (const item of render(prepared, data ? { data: { path: join(root, data.name) } } : {})) items.push(item);
  return items;
}

const problems = (items: RenderItem[]): string[] =>
  items.flatMap((i) => (i.kind === 'invalid' ? i.diagnostics.map((d) => `${d.row}:${d.code}`) : []));

describe('per row: a limit broken by a value from a variable', () => {
  it('is reported for the data row that breaks it, with the size, and the other rows still render', async () => {
    const long = 'x'.repeat(4097);
    const items = await renderAll(
      { 'messages/m.yaml': textMessage('{{offer}}') },
      { name: 'rows.csv', text: `phone,offer\n+31612345678,short\n+31612345679,${long}\n+31612345670,${'😀'.repeat(4096)}\n` },
    );
    expect(items.map((i) => i.kind)).toEqual(['request', 'invalid', 'request']);
    expect(problems(items)).toEqual(['2:E_WA_TEXT_LENGTH']);
    const d = items[1]!.kind === 'invalid' ? items[1]!.diagnostics[0]! : undefined;
    expect(d?.message).toBe('row 2: the message text has 4,097 characters; WhatsApp allows at most 4,096');
    expect(d?.pointer).toBe('/body/text/text');
  });

  it('checks cross-field rules on rendered rows: a row id from a variable that repeats', async () => {
    const list = `channel: whatsapp\nto: "{{phone}}"\nvariables:\n  phone: { type: string }\n  a: { type: string }\n  b: { type: string }\nbody:\n  type: list\n  list:\n    text: Pick\n    items:\n      - actions:\n          - { type: postback, postback: { text: A, payload: "{{a}}" } }\n          - { type: postback, postback: { text: B, payload: "{{b}}" } }\n`;
    const items = await renderAll(
      { 'messages/m.yaml': list },
      {
        name: 'rows.json',
        text: JSON.stringify([
          { phone: '+31612345678', a: 'x', b: 'y' },
          { phone: '+31612345679', a: 'x', b: 'x' },
        ]),
      },
    );
    expect(problems(items)).toEqual(['2:E_WA_LIST_ROW_ID_DUPLICATE']);
  });

  it('checks template values per row: a newline from the data is refused', async () => {
    const template = `channel: whatsapp\nto: "{{phone}}"\nvariables:\n  phone: { type: string }\n  note: { type: string }\ntemplate:\n  projectId: ce6a2fd6-b2fa-4f5a-a2cd-f3bd15883318\n  version: latest\n  locale: en\n  parameters:\n    - { type: string, key: note, value: "{{note}}" }\n`;
    const items = await renderAll(
      { 'messages/m.yaml': template },
      {
        name: 'rows.json',
        text: JSON.stringify([
          { phone: '+31612345678', note: 'fine    ok' },
          { phone: '+31612345679', note: 'two\nlines' },
          { phone: '+31612345670', note: 'tab\there' },
        ]),
      },
    );
    expect(problems(items)).toEqual(['2:E_WA_TEMPLATE_PARAM_FORMAT', '3:E_WA_TEMPLATE_PARAM_FORMAT']);
  });
});

describe('scheduledFor against the injected clock', () => {
  const scheduled = textMessage('See you', 'scheduledFor: "{{at}}"\n', '  phone: { type: string }\n  at: { type: string }\n');
  const rows = {
    name: 'rows.json',
    text: JSON.stringify([
      { phone: '+31612345678', at: '2030-02-05T00:00:00Z' },
      { phone: '+31612345679', at: '2030-02-05T00:00:01Z' },
    ]),
  };

  it('refuses a row more than 35 days ahead of the clock at render time', async () => {
    expect(problems(await renderAll({ 'messages/m.yaml': scheduled }, rows))).toEqual(['2:E_SCHEDULED_TOO_FAR']);
  });

  it('uses the clock of the run, not the one of an earlier validate: a day later both rows pass', async () => {
    expect(problems(await renderAll({ 'messages/m.yaml': scheduled }, rows, () => new Date('2030-01-02T00:00:00Z')))).toEqual([]);
  });

  it('validate checks a literal date with its own injected clock', async () => {
    const root = makeCatalog({
      'messages/m.yaml': textMessage('See you', 'scheduledFor: "2030-03-01T00:00:00Z"\n', '  phone: { type: string }\n'),
    });
    const early = await validate({ cwd: root, env, now: () => new Date('2030-01-01T00:00:00Z') });
    expect(early.diagnostics.map((d) => d.code)).toEqual(['E_SCHEDULED_TOO_FAR']);
    const late = await validate({ cwd: root, env, now: () => new Date('2030-02-01T00:00:00Z') });
    expect(late.diagnostics).toEqual([]);
  });

  it('property: a date is refused exactly when it is more than 35 days after the clock', () => {
    const rule = rulesFor('sms').find((r) => r.name === 'scheduledFor')!;
    fc.assert(
      fc.property(fc.integer({ min: -40 * 86_400, max: 80 * 86_400 }), (seconds) => {
        const at = new Date(NOW.getTime() + seconds * 1000).toISOString();
        const refused = rule({ scheduledFor: at }, { now: NOW }).length > 0;
        return refused === seconds > 35 * 86_400;
      }),
    );
  });
});

describe('channel platforms', () => {
  const config = `${TEST_CONFIG}  telegram: { id: 9b8c7d6e-0000-4000-8000-000000000003, platform: telegram }\n  legacy: { id: 9b8c7d6e-0000-4000-8000-000000000004 }\n`;
  const gif = (channel: string): string =>
    `channel: ${channel}\nto: "{{phone}}"\nvariables:\n  phone: { type: string }\nbody:\n  type: gif\n  gif:\n    mediaUrl: https://example.com/a.gif\nexamples:\n  - { phone: "+31612345678" }\n`;
  const check = async (files: Record<string, string>): Promise<string[]> =>
    (await validate({ cwd: makeCatalog({ 'chirp.config.yaml': config, ...files }), env, now: clock })).diagnostics.map(
      (d) => `${d.file}:${d.code}`,
    );

  it('a plain id and { id } without platform are WhatsApp; a gif body there names the types WhatsApp has', async () => {
    const root = makeCatalog({
      'chirp.config.yaml': config,
      'messages/a.yaml': gif('whatsapp'),
      'messages/b.yaml': gif('legacy'),
      'messages/c.yaml': gif('9b8c7d6e-0000-4000-8000-000000000099'),
    });
    const { diagnostics } = await validate({ cwd: root, env, now: clock });
    expect(diagnostics.map((d) => `${d.file}:${d.code}`)).toEqual([
      'messages/a.yaml:E_PLATFORM_BODY_TYPE',
      'messages/b.yaml:E_PLATFORM_BODY_TYPE',
      'messages/c.yaml:E_PLATFORM_BODY_TYPE',
    ]);
    expect(diagnostics[0]!.message).toMatch(/text, image, file, location, list, carousel/);
  });

  it('a channel of another platform gets Bird’s generic rules only, by alias or by its id', async () => {
    expect(await check({ 'messages/a.yaml': gif('telegram'), 'messages/b.yaml': gif('9b8c7d6e-0000-4000-8000-000000000003') })).toEqual([]);
    const long = textMessage(
      'x'.repeat(5000),
      'capFrequency: true\nexamples:\n  - { phone: "+31612345678" }\n',
      '  phone: { type: string }\n',
    ).replace('channel: whatsapp', 'channel: telegram');
    expect(await check({ 'messages/a.yaml': long })).toEqual(['messages/a.yaml:E_CAP_FREQUENCY_USE_CASE']);
  });

  it('refuses an unknown platform in chirp.config.yaml', async () => {
    const root = makeCatalog({
      'chirp.config.yaml': `${TEST_CONFIG}  odd: { id: x, platform: pager }\n`,
      'messages/a.yaml': gif('whatsapp'),
    });
    const error = await validate({ cwd: root, env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).diagnostics.map((d) => d.code)).toContain('E_CONFIG');
  });

  it('sending resolves an alias given as { id, platform } to its id', async () => {
    const root = makeCatalog({ 'chirp.config.yaml': config });
    const catalog = await openCatalog({ cwd: root, env });
    expect(catalog.config.channels.telegram).toBe('9b8c7d6e-0000-4000-8000-000000000003');
    expect(catalog.config.platforms).toEqual({ telegram: 'telegram', legacy: 'whatsapp' });
  });
});

describe("Bird's nullable values and open keys", () => {
  const ok = async (yaml: string): Promise<string[]> =>
    (await validate({ cwd: makeCatalog({ 'messages/m.yaml': yaml }), env, now: clock })).diagnostics.map((d) => d.code);

  it('accepts template: null next to a body, actions: null, and renders without the null template', async () => {
    const yaml = `channel: whatsapp\nto: "{{phone}}"\nvariables:\n  phone: { type: string }\nbody:\n  type: text\n  text:\n    text: Hi\n    actions: null\ntemplate: null\nexamples:\n  - { phone: "+31612345678" }\n`;
    expect(await ok(yaml)).toEqual([]);
    const [item] = await renderAll({ 'messages/m.yaml': yaml });
    expect(item?.kind === 'request' ? JSON.parse(item.json) : item).toMatchObject({
      body: { type: 'text', text: { text: 'Hi', actions: null } },
    });
    expect(item?.kind === 'request' ? JSON.parse(item.json) : {}).not.toHaveProperty('template');
  });

  it('accepts open keys where Bird is open (reply.metadata, image.metadata) and keeps typos caught where it is not', async () => {
    const yaml = `channel: whatsapp\nto: "{{phone}}"\nvariables:\n  phone: { type: string }\nbody:\n  type: image\n  image:\n    images: [{ mediaUrl: "https://example.com/a.png" }]\n    metadata: { custom: 1 }\n    actions:\n      - { type: reply, reply: { text: Yes, metadata: { extra: true } } }\nexamples:\n  - { phone: "+31612345678" }\n`;
    expect(await ok(yaml)).toEqual([]);
    expect(await ok(yaml.replace('reply: { text: Yes,', 'reply: { txt: Yes,'))).toContain('E_UNKNOWN_PROPERTY');
  });

  it('a WhatsApp list with items: null has no rows', async () => {
    const yaml = `channel: whatsapp\nto: "{{phone}}"\nvariables:\n  phone: { type: string }\nbody:\n  type: list\n  list:\n    text: Pick\n    items: null\n`;
    expect(await ok(yaml)).toEqual(['E_WA_LIST_SECTIONS_COUNT']);
  });

  it('offers no `action` body: Bird’s own schema can never accept one', async () => {
    const yaml = `channel: whatsapp\nto: "{{phone}}"\nvariables:\n  phone: { type: string }\nbody:\n  type: action\n  action: { type: permission_request, permission_request: { resource: call } }\n`;
    expect(await ok(yaml)).toContain('E_SCHEMA');
  });
});

describe('the rules as functions', () => {
  const whatsapp = requestChecker('whatsapp', clock);
  const receiver = { contacts: [{ identifierValue: '+31612345678' }] };
  const codes = (request: Record<string, unknown>): string[] => whatsapp({ receiver, ...request }).map((p) => p.code);

  it('leaves values holding Handlebars to the rendered request', () => {
    const rules = rulesFor('whatsapp');
    const templated = { capFrequency: true, meta: { extraInformation: { useCase: '{{useCase}}' } }, scheduledFor: '{{at}}' };
    expect(rules.flatMap((r) => r(templated, { now: NOW }))).toEqual([]);
  });

  it('media: an unknown extension proves nothing; a known wrong one is refused', () => {
    const image = (url: string) => ({ body: { type: 'image', image: { images: [{ mediaUrl: url }] } } });
    expect(codes(image('https://cdn.example.com/asset?id=4'))).toEqual([]);
    expect(codes(image('https://example.com/a.BMP'))).toEqual(['E_WA_MEDIA_TYPE']);
    const file = (contentType: string, text?: string) => ({
      body: { type: 'file', file: { ...(text ? { text } : {}), files: [{ mediaUrl: 'https://example.com/f', contentType }] } },
    });
    expect(codes(file('application/pdf', 'Your invoice'))).toEqual([]);
    expect(codes(file('audio/wav'))).toEqual(['E_WA_MEDIA_TYPE']);
    expect(codes(file('audio/mpeg', 'Listen'))).toEqual(['E_WA_AUDIO_CAPTION']);
  });
});

describe('scheduledFor at send time (a saved plan is not rendered again)', () => {
  it('turns a request now more than 35 days ahead into an invalid row, and lets the others through', async () => {
    const request = (scheduled: string): RenderItem => ({
      kind: 'request',
      row: { index: 1, values: {} },
      recipient: '+31612345678',
      reference: 'r',
      request: {
        receiver: { contacts: [{ identifierValue: '+31612345678' }] },
        body: { type: 'text', text: { text: 'Hi' } },
        scheduledFor: scheduled,
      } as never,
      json: '{}',
    });
    const items = async function* (): AsyncGenerator<RenderItem> {
      await Promise.resolve();
      yield request('2030-02-05T00:00:00Z');
      yield { ...request('2030-02-05T00:00:01Z'), row: { index: 2, values: {} } };
    };
    const out: RenderItem[] = [];
    for await (const item of sendTimeChecked(items(), clock, 'plan.json')) out.push(item);
    expect(out.map((i) => i.kind)).toEqual(['request', 'invalid']);
    expect(out[1]!.kind === 'invalid' ? out[1]!.diagnostics.map((d) => [d.code, d.row, d.file]) : []).toEqual([
      ['E_SCHEDULED_TOO_FAR', 2, 'plan.json'],
    ]);
  });
});

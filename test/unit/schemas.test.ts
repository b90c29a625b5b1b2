// schemas/*.schema.json: Bird's WhatsApp examples validate (against chirp's schemas and Bird's own
// OpenAPI), WhatsApp limits are enforced with precise ajv errors, and every property is described.
import { describe, it, expect } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorObject } from 'ajv';
import { birdCreateMessage, EXAMPLES_DIR, readJson as readJsonFile } from '../helpers/bird-openapi.js';
import { getAjv, validatorFor, schemasDir, SCHEMA_BASE } from '../../src/schema/validators.js';

type Json = Record<string, unknown>;

const RECEIVER = { contacts: [{ identifierValue: '+31612345678' }] };

const readJson = (path: string): Json => readJsonFile<Json>(path);

function exampleNumber(file: string): number {
  return Number.parseInt(file.slice(0, 2), 10);
}

/** Every usable Bird example, as a full request (see examples/INDEX.md for which is which). */
function birdRequests(): { name: string; request: Json }[] {
  const out: { name: string; request: Json }[] = [];
  for (const file of readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const n = exampleNumber(file);
    const example = readJson(join(EXAMPLES_DIR, file));
    if ((n >= 4 && n <= 7) || (n >= 9 && n <= 27)) {
      out.push({ name: file, request: { receiver: RECEIVER, body: example } });
    } else if (n === 8) {
      out.push({ name: file, request: { receiver: RECEIVER, body: { type: 'text', text: example } } });
    } else if (n >= 29 && n <= 31) {
      const { replyTo, ...body } = example;
      out.push({ name: file, request: { receiver: RECEIVER, body, replyTo } });
    } else if (n >= 33 && n <= 35) {
      out.push({ name: file, request: { receiver: RECEIVER, template: example } });
    }
  }
  return out;
}

/** `wa`: Bird's generic request schema and WhatsApp's layer on top, as chirp applies them to a WhatsApp channel. */
function errorsOf(schema: string, data: unknown): ErrorObject[] {
  if (schema === 'wa') return [...errorsOf('request', data), ...errorsOf('whatsapp', data)];
  const validate = validatorFor(schema);
  return validate(data) ? [] : [...(validate.errors ?? [])];
}

function expectValid(schema: string, data: unknown): void {
  expect(errorsOf(schema, data)).toEqual([]);
}

function expectError(schema: string, data: unknown, keyword: string, instancePath: string): ErrorObject {
  const errors = errorsOf(schema, data);
  const hit = errors.find((e) => e.keyword === keyword && e.instancePath === instancePath);
  expect(hit, `expected a "${keyword}" error at "${instancePath}", got ${JSON.stringify(errors, null, 1)}`).toBeDefined();
  return hit as ErrorObject;
}

const reply = (text: string): Json => ({ type: 'reply', reply: { text } });
const postback = (text: string, payload = text.toLowerCase()): Json => ({ type: 'postback', postback: { text, payload } });
const textRequest = (text: Json): Json => ({ receiver: RECEIVER, body: { type: 'text', text } });
const rows = (from: number, count: number): Json[] => Array.from({ length: count }, (_, i) => postback(`Row ${from + i}`));
const listRequest = (list: Json): Json => ({ receiver: RECEIVER, body: { type: 'list', list } });
const card = (title: string): Json => ({
  title,
  mediaUrl: `https://example.com/${title}.jpg`,
  actions: [{ type: 'link', link: { text: 'Open', url: 'https://example.com' } }],
});
const carouselRequest = (items: Json[]): Json => ({
  receiver: RECEIVER,
  body: { type: 'carousel', carousel: { text: 'Pick one', items } },
});
const TEMPLATE = { projectId: 'ce6a2fd6-b2fa-4f5a-a2cd-f3bd15883318', version: 'latest', locale: 'en' };

const SCHEMA_FILES = readdirSync(schemasDir())
  .filter((f) => f.endsWith('.schema.json'))
  .sort();

describe('schema files', () => {
  it('has every file chirp depends on', () => {
    const expected = [
      'action',
      'authentication',
      'batch-request',
      'body',
      'carousel',
      'config',
      'diagnostic',
      'file',
      'gif',
      'html',
      'image',
      'list',
      'location',
      'message',
      'receiver',
      'request',
      'section',
      'template',
      'text',
      'whatsapp',
      'whatsapp-message',
    ].map((n) => `${n}.schema.json`);
    // Each command's JSON output has its own `<command>-output` schema, checked against real output in test/cli/output-schemas.test.ts.
    expect(SCHEMA_FILES.filter((f) => !f.endsWith('-output.schema.json'))).toEqual(expected.sort());
  });

  it.each(SCHEMA_FILES)('%s is draft-07 with its $id and compiles under strict ajv', (file) => {
    const schema = readJson(join(schemasDir(), file));
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.$id).toBe(`${SCHEMA_BASE}${file}`);
    expect(getAjv().getSchema(`${SCHEMA_BASE}${file}`)).toBeTypeOf('function');
  });

  it('describes every property', () => {
    const missing: string[] = [];
    let seen = 0;
    const escape = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');
    const walk = (node: unknown, pointer: string): void => {
      if (typeof node !== 'object' || node === null) return;
      if (Array.isArray(node)) {
        node.forEach((sub, i) => walk(sub, `${pointer}/${i}`));
        return;
      }
      const schema = node as Json;
      for (const [keyword, value] of Object.entries(schema)) {
        const here = `${pointer}/${escape(keyword)}`;
        if (keyword === 'properties' || keyword === 'patternProperties' || keyword === 'definitions') {
          for (const [name, sub] of Object.entries(value as Json)) {
            const at = `${here}/${escape(name)}`;
            if (keyword === 'properties') {
              seen++;
              const description = typeof sub === 'object' && sub !== null ? (sub as Json).description : undefined;
              if (typeof description !== 'string' || description.trim() === '') missing.push(at);
            }
            walk(sub, at);
          }
        } else if (
          ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'allOf', 'anyOf', 'oneOf'].includes(
            keyword,
          )
        ) {
          walk(value, here);
        }
      }
    };
    for (const file of SCHEMA_FILES) walk(readJson(join(schemasDir(), file)), file + '#');
    expect(seen).toBeGreaterThan(200);
    expect(missing, `properties without a description:\n${missing.join('\n')}`).toEqual([]);
  });
});

describe("Bird's WhatsApp examples", () => {
  const requests = birdRequests();
  const bird = birdCreateMessage();

  it('finds all 30 body and template examples', () => {
    expect(requests).toHaveLength(30);
  });

  it.each(requests)('$name validates against chirp request.schema.json', ({ request }) => {
    expectValid('request', request);
  });

  it.each(requests)("$name validates against Bird's OpenAPI CreateMessage", ({ request }) => {
    expect(bird(request) ? [] : bird.errors).toEqual([]);
  });

  it('validate as message bodies / templates and in a batch', () => {
    for (const { request } of requests) {
      const { receiver: _receiver, ...rest } = request;
      expectValid('message', { channel: 'whatsapp', to: '{{phone}}', ...rest });
    }
    expectValid('batch-request', { messageRequests: requests.map((r) => r.request) });
  });

  it("Bird's OpenAPI rejects what chirp rejects at the top level (sanity check of the Bird validator)", () => {
    expect(bird({ receiver: RECEIVER })).toBe(false);
    expect(bird({ receiver: RECEIVER, body: { type: 'text', text: { text: 'x' } }, extra: 1 })).toBe(false);
  });
});

describe('WhatsApp limits and Bird shapes', () => {
  it('rejects 4 reply buttons', () => {
    const req = textRequest({ text: 'Pick one', actions: [reply('A'), reply('B'), reply('C'), reply('D')] });
    expectError('wa', req, 'maxItems', '/body/text/actions');
    expectValid('wa', textRequest({ text: 'Pick one', actions: [reply('A'), reply('B'), reply('C')] }));
  });

  it('rejects 4 buttons on image and file bodies too', () => {
    const actions = [reply('A'), reply('B'), postback('C'), postback('D')];
    const image = { type: 'image', image: { images: [{ mediaUrl: 'https://example.com/a.png' }], actions } };
    const file = { type: 'file', file: { files: [{ mediaUrl: 'https://example.com/a.pdf', contentType: 'application/pdf' }], actions } };
    expectError('wa', { receiver: RECEIVER, body: image }, 'maxItems', '/body/image/actions');
    expectError('wa', { receiver: RECEIVER, body: file }, 'maxItems', '/body/file/actions');
  });

  it('rejects 11 list rows across two sections', () => {
    const list = {
      text: 'Choose',
      items: [
        { title: 'A', actions: rows(1, 6) },
        { title: 'B', actions: rows(7, 5) },
      ],
    };
    const err = expectError('wa', listRequest(list), 'maxTotalRows', '/body/list/items');
    expect(err.params).toMatchObject({ limit: 10, total: 11 });
    expectValid(
      'wa',
      listRequest({
        text: 'Choose',
        items: [
          { title: 'A', actions: rows(1, 5) },
          { title: 'B', actions: rows(6, 5) },
        ],
      }),
    );
  });

  it('rejects more than 10 sections, long row titles, descriptions and button labels', () => {
    const sections = Array.from({ length: 11 }, (_, i) => ({ title: `S${i}`, actions: rows(i, 1) }));
    expectError('wa', listRequest({ text: 'Choose', items: sections }), 'maxItems', '/body/list/items');
    expectError(
      'wa',
      listRequest({ text: 'Choose', items: [{ actions: [postback('x'.repeat(25))] }] }),
      'maxLength',
      '/body/list/items/0/actions/0/postback/text',
    );
    expectValid('wa', listRequest({ text: 'Choose', items: [{ actions: [postback('x'.repeat(24))] }] }));
    const described = { type: 'reply', reply: { text: 'Row', metadata: { description: { label: 'd'.repeat(73) } } } };
    expectError(
      'wa',
      listRequest({ text: 'Choose', items: [{ actions: [described] }] }),
      'maxLength',
      '/body/list/items/0/actions/0/reply/metadata/description/label',
    );
    const labelled = { text: 'Choose', items: [{ actions: rows(1, 2) }], metadata: { button: { label: 'b'.repeat(21) } } };
    expectError('wa', listRequest(labelled), 'maxLength', '/body/list/metadata/button/label');
  });

  it('rejects a list row that is not a reply or postback', () => {
    const link = { type: 'link', link: { text: 'Open', url: 'https://example.com' } };
    const err = expectError(
      'wa',
      listRequest({ text: 'Choose', items: [{ actions: [link] }] }),
      'enum',
      '/body/list/items/0/actions/0/type',
    );
    expect(err.params).toMatchObject({ allowedValues: ['reply', 'postback'] });
    expectValid('request', listRequest({ text: 'Choose', items: [{ actions: [link] }] }));
  });

  it('rejects a reply title of 21 characters', () => {
    expectError('wa', textRequest({ text: 'Hi', actions: [reply('r'.repeat(21))] }), 'maxLength', '/body/text/actions/0/reply/text');
    expectError('wa', textRequest({ text: 'Hi', actions: [postback('p'.repeat(21))] }), 'maxLength', '/body/text/actions/0/postback/text');
    expectValid('wa', textRequest({ text: 'Hi', actions: [reply('r'.repeat(20))] }));
  });

  it('rejects duplicate button texts (reply and postback alike)', () => {
    const err = expectError(
      'wa',
      textRequest({ text: 'Hi', actions: [reply('Yes'), postback('Yes')] }),
      'uniqueButtonTexts',
      '/body/text/actions',
    );
    expect(err.params).toMatchObject({ text: 'Yes' });
  });

  it('rejects mediaURL instead of mediaUrl', () => {
    const body = { type: 'image', image: { images: [{ mediaURL: 'https://example.com/a.png' }] } };
    const err = expectError('wa', { receiver: RECEIVER, body }, 'additionalProperties', '/body/image/images/0');
    expect(err.params).toMatchObject({ additionalProperty: 'mediaURL' });
    expectError('wa', { receiver: RECEIVER, body }, 'required', '/body/image/images/0');
  });

  it('counts text length in code points: 4096 emoji pass, 4097 characters fail', () => {
    expectValid('wa', textRequest({ text: '😀'.repeat(4096) }));
    expectValid('wa', textRequest({ text: 'a'.repeat(4096) }));
    expectError('wa', textRequest({ text: 'a'.repeat(4097) }), 'maxLength', '/body/text/text');
    expectError('wa', textRequest({ text: '😀'.repeat(4097) }), 'maxLength', '/body/text/text');
    expectError('wa', textRequest({ text: '' }), 'minLength', '/body/text/text');
  });

  it('rejects a carousel with 1 card, or 11, or a card without its one link', () => {
    expectError('wa', carouselRequest([card('a')]), 'minItems', '/body/carousel/items');
    expectError('wa', carouselRequest(Array.from({ length: 11 }, (_, i) => card(`c${i}`))), 'maxItems', '/body/carousel/items');
    expectValid('wa', carouselRequest([card('a'), card('b')]));
    const { title: _title, ...untitled } = card('b');
    expectError('wa', carouselRequest([card('a'), untitled]), 'required', '/body/carousel/items/1');
    expectError(
      'wa',
      carouselRequest([card('a'), { ...card('b'), actions: [reply('No')] }]),
      'const',
      '/body/carousel/items/1/actions/0/type',
    );
    expectError('wa', carouselRequest([card('a'), { ...card('b'), actions: [] }]), 'minItems', '/body/carousel/items/1/actions');
    const long = { receiver: RECEIVER, body: { type: 'carousel', carousel: { text: 't'.repeat(1025), items: [card('a'), card('b')] } } };
    expectError('wa', long, 'maxLength', '/body/carousel/text');
  });

  it('rejects an unknown body type with a discriminator error', () => {
    const err = expectError('wa', { receiver: RECEIVER, body: { type: 'video', video: {} } }, 'discriminator', '/body');
    expect(err.params).toMatchObject({ tag: 'type', tagValue: 'video' });
  });

  it('accepts Bird placeholders in link URLs but not other non-URIs', () => {
    const link = (url: string): Json =>
      carouselRequest([card('a'), { ...card('b'), actions: [{ type: 'link', link: { text: 'Go', url } }] }]);
    expectValid('wa', link('https://example.com/{{id}}'));
    expectValid('wa', link('{{trackingUrl}}'));
    expectError('wa', link('not a url'), 'anyOf', '/body/carousel/items/1/actions/0/link/url');
  });

  it('checks location coordinates', () => {
    const loc = (latitude: number): Json => ({
      receiver: RECEIVER,
      body: { type: 'location', location: { coordinates: { latitude, longitude: 4.9 } } },
    });
    expectValid('wa', loc(52.3));
    expectError('wa', loc(91), 'maximum', '/body/location/coordinates/latitude');
  });
});

describe('request, template, receiver', () => {
  it('rejects a request with neither body nor template', () => {
    expectError('request', { receiver: RECEIVER }, 'anyOf', '');
  });

  it('rejects a request without receiver or with unknown top-level fields', () => {
    expectError('request', { body: { type: 'text', text: { text: 'Hi' } } }, 'required', '');
    const err = expectError('request', { ...textRequest({ text: 'Hi' }), priority: 'high' }, 'additionalProperties', '');
    expect(err.params).toMatchObject({ additionalProperty: 'priority' });
  });

  it('accepts the optional Bird fields', () => {
    expectValid('request', {
      ...textRequest({ text: 'Hi' }),
      reference: 'order-42',
      meta: { extraInformation: { useCase: 'marketing' }, campaign: { name: 'spring' } },
      replyTo: { id: '1e7b70ab-3dcc-48f4-a6f6-63a493f6134c', type: 'message' },
      capFrequency: true,
      tags: ['spring sale', 'vip_2'],
      scheduledFor: '2030-01-01T10:00:00Z',
      validity: 3600,
      notification: { url: 'https://example.com/hook' },
      enableLinkTracking: false,
      ignoreQuietHours: false,
      ignoreGlobalHoldout: true,
    });
  });

  it('limits tags to 10 and checks their names', () => {
    const tags = Array.from({ length: 11 }, (_, i) => `t${i}`);
    expectError('request', { ...textRequest({ text: 'Hi' }), tags }, 'maxItems', '/tags');
    expectError('request', { ...textRequest({ text: 'Hi' }), tags: ['no!'] }, 'pattern', '/tags/0');
  });

  it('requires projectId and version on a template, and discriminates parameters', () => {
    const { projectId: _projectId, ...noProject } = TEMPLATE;
    expectError('template', noProject, 'required', '');
    expectError('template', { ...TEMPLATE, locale: 'english!' }, 'pattern', '/locale');
    expectError('template', { ...TEMPLATE, version: 'lastest' }, 'pattern', '/version');
    expectValid('template', { ...TEMPLATE, locale: 'pt-BR', parameters: [{ type: 'number', key: 'n', value: 3 }] });
    expectError('template', { ...TEMPLATE, parameters: [{ type: 'number', key: 'n', value: 'three' }] }, 'type', '/parameters/0/value');
    expectError('template', { ...TEMPLATE, parameters: [{ type: 'date', key: 'd' }] }, 'discriminator', '/parameters/0');
    expectError('template', { ...TEMPLATE, parameters: [] }, 'minItems', '/parameters');
  });

  it('requires at least one receiver contact', () => {
    expectError('receiver', { contacts: [] }, 'minItems', '/contacts');
    expectValid('receiver', { contacts: [{ identifierKey: 'phonenumber', identifierValue: '+31612345678' }] });
  });

  it('takes 1 to 100 requests in a batch', () => {
    expectError('batch-request', { messageRequests: [] }, 'minItems', '/messageRequests');
    const many = Array.from({ length: 101 }, () => textRequest({ text: 'Hi' }));
    expectError('batch-request', { messageRequests: many }, 'maxItems', '/messageRequests');
  });
});

describe('message and config files', () => {
  const message = {
    description: 'Order shipped',
    channel: 'whatsapp',
    to: '{{phone}}',
    variables: { phone: { type: 'string' }, name: { type: 'string' } },
    required: ['phone'],
    body: { type: 'text', text: { text: 'Hi {{name}}, your order shipped.' } },
    fallback: { template: TEMPLATE },
    examples: [{ phone: '+31612345678', name: 'Robert' }],
    reference: '{{orderId}}',
    tags: ['shipping'],
  };

  it("requires a template's locale in a request, and in a message unless the message has `locale` (the editor agrees with validate)", () => {
    const { locale: _locale, ...noLocale } = TEMPLATE;
    expectValid('template', noLocale);
    expectError('request', { receiver: RECEIVER, template: noLocale }, 'required', '/template');
    expectValid('request', { receiver: RECEIVER, template: TEMPLATE });
    const { to: _to, body: _body, fallback: _fallback, ...rest } = message;
    expectError('message', { ...rest, receiver: RECEIVER, template: noLocale }, 'required', '/template');
    expectValid('message', { ...rest, receiver: RECEIVER, locale: '{{lang}}', defaultLocale: 'en', template: noLocale });
    expectValid('whatsapp-message', { ...rest, receiver: RECEIVER, locale: '{{lang}}', defaultLocale: 'en', template: noLocale });
  });

  it('accepts a message with to + body, or receiver + template', () => {
    expectValid('message', message);
    const { to: _to, body: _body, fallback: _fallback, ...rest } = message;
    expectValid('message', { ...rest, receiver: RECEIVER, template: TEMPLATE });
  });

  it('whatsapp-message (for editors) is message plus WhatsApp limits', () => {
    const four = { ...message, body: { type: 'text', text: { text: 'Pick', actions: [reply('A'), reply('B'), reply('C'), reply('D')] } } };
    expectValid('message', four);
    expectError('whatsapp-message', four, 'maxItems', '/body/text/actions');
    expectValid('whatsapp-message', message);
  });

  it('rejects a message with both body and template', () => {
    const err = expectError('message', { ...message, template: TEMPLATE }, 'oneOf', '');
    expect(err.schemaPath).toBe('#/allOf/1/oneOf');
  });

  it('rejects a message with neither body nor template, both or neither of to/receiver, or no channel', () => {
    const { body: _body, ...noBody } = message;
    expectError('message', noBody, 'oneOf', '');
    expect(errorsOf('message', { ...message, receiver: RECEIVER }).map((e) => e.schemaPath)).toContain('#/allOf/0/oneOf');
    const { to: _to, ...noTo } = message;
    expect(errorsOf('message', noTo).map((e) => e.schemaPath)).toContain('#/allOf/0/oneOf');
    const { channel: _channel, ...noChannel } = message;
    expectError('message', noChannel, 'required', '');
  });

  it('rejects unknown keys in a message and a fallback without template', () => {
    expectError('message', { ...message, bodyy: {} }, 'additionalProperties', '');
    expectError('message', { ...message, fallback: {} }, 'required', '/fallback');
  });

  it('accepts a config and rejects an unknown key', () => {
    const config = {
      workspace: '2f1c3a4e-0000-4000-8000-000000000001',
      channels: { whatsapp: '5f5c8e3a-0000-4000-8000-000000000001' },
      apiUrl: 'https://api.bird.com',
    };
    expectValid('config', config);
    const err = expectError('config', { ...config, accessKey: 'secret' }, 'additionalProperties', '');
    expect(err.params).toMatchObject({ additionalProperty: 'accessKey' });
    expectError('config', { ...config, apiUrl: 'api.bird.com' }, 'format', '/apiUrl');
    expectError('config', { ...config, workspace: 'a1b2' }, 'pattern', '/workspace');
    expectError('config', { ...config, channels: { whatsapp: 'not-a-uuid' } }, 'pattern', '/channels/whatsapp');
    expectError('config', { ...config, channels: { sms: { id: 'sms', platform: 'sms' } } }, 'pattern', '/channels/sms/id');
  });
});

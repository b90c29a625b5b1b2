// The contract with Bird, both ways, on requests generated branch by branch from each side's schema
// (test/helpers/schema-samples.ts) — Bird's own OpenAPI vendored in test/fixtures/bird, chirp's in schemas/:
//  1. everything chirp accepts (its generic request schema and Bird's prose rules) is valid for Bird;
//  2. everything Bird accepts, chirp accepts, except the differences listed below (and in
//     schemas/README.md, with their reasons);
//  3. what Bird accepts and chirp refuses for a WhatsApp channel, it refuses with a named WhatsApp (or
//     Bird prose) rule, never with a shapeless schema error; and WhatsApp-shaped requests get through.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorObject } from 'ajv';
import { requestChecker } from '../../src/check/index.js';
import { validatorFor } from '../../src/schema/validators.js';
import type { JsonObject } from '../../src/types.js';
import { BIRD_DIR, birdCreateMessage, EXAMPLES_DIR, readJson } from '../helpers/bird-openapi.js';
import { REPO } from '../helpers/cli.js';
import { samples } from '../helpers/schema-samples.js';

const NOW = (): Date => new Date('2030-01-01T00:00:00Z');
const SCHEMAS = join(REPO, 'schemas');

const birdSamples = samples(
  { docs: new Map([['bird', readJson<Record<string, unknown>>(join(BIRD_DIR, 'openapi-send-message.json'))]]) },
  'bird',
  '#/components/schemas/CreateMessage',
) as JsonObject[];
const chirpDocs = new Map(
  readdirSync(SCHEMAS)
    .filter((f) => f.endsWith('.schema.json'))
    .map((f) => [f, readJson<Record<string, unknown>>(join(SCHEMAS, f))]),
);
const chirpSamples = samples({ docs: chirpDocs }, 'request.schema.json', 'request.schema.json') as JsonObject[];

const bird = birdCreateMessage();
const request = validatorFor('request');
const generic = requestChecker('sms', NOW); // any platform but WhatsApp: Bird's prose rules only
const whatsapp = requestChecker('whatsapp', NOW);

const missing = (e: ErrorObject): string => String((e.params as { missingProperty?: string }).missingProperty);

/** Where chirp's generic schema is deliberately stricter than Bird's (schemas/README.md says why). */
const DIFFERENCES: { id: string; matches: (e: ErrorObject) => boolean }[] = [
  { id: 'receiver-contacts', matches: (e) => e.instancePath === '/receiver' && e.keyword === 'required' && missing(e) === 'contacts' },
  {
    id: 'template-ids',
    matches: (e) => e.instancePath === '/template' && e.keyword === 'required' && ['projectId', 'version', 'locale'].includes(missing(e)),
  },
  {
    id: 'null-content',
    matches: (e) =>
      (e.instancePath === '/template' && e.keyword === 'type') ||
      (e.instancePath === '/body' && e.keyword === 'type') ||
      (e.instancePath === '' && e.keyword === 'required' && missing(e) === 'body'),
  },
];
const NOISE = new Set(['anyOf', 'oneOf', 'if', 'discriminator']);

const bodyType = (r: JsonObject): string =>
  ((r.body as JsonObject | null | undefined)?.type as string | undefined) ?? (r.template ? 'template' : 'none');

describe('the generators', () => {
  it('meet every body type and the template on both sides', () => {
    const types = ['text', 'html', 'image', 'file', 'gif', 'location', 'carousel', 'list', 'section', 'authentication', 'template'];
    expect(
      new Set(
        birdSamples
          .filter((s) => bird(s))
          .map(bodyType)
          .filter((t) => t !== 'none'),
      ),
    ).toEqual(new Set(types));
    expect(new Set(chirpSamples.filter((s) => request(s)).map(bodyType))).toEqual(new Set(types));
    expect(birdSamples.length).toBeGreaterThan(500);
    expect(chirpSamples.length).toBeGreaterThan(500);
  });
});

describe('chirp → Bird', () => {
  it('every request chirp accepts is valid for Bird', () => {
    const accepted = chirpSamples.filter((s) => request(s) && generic(s).length === 0);
    expect(accepted.length).toBeGreaterThan(500);
    const refused = accepted.filter((s) => !bird(s)).map((s) => ({ s, errors: (bird(s), bird.errors) }));
    expect(refused.slice(0, 3)).toEqual([]);
  });

  it('every request chirp accepts for WhatsApp is valid for Bird', () => {
    const accepted = chirpSamples.filter((s) => request(s) && whatsapp(s).length === 0);
    expect(accepted.length).toBeGreaterThan(200);
    expect(accepted.filter((s) => !bird(s)).slice(0, 3)).toEqual([]);
  });
});

describe('Bird → chirp', () => {
  const valid = birdSamples.filter((s) => bird(s));

  it('chirp accepts every request Bird accepts, but for the listed differences', () => {
    expect(valid.length).toBeGreaterThan(500);
    const hits = new Map<string, number>();
    const unexplained: unknown[] = [];
    for (const sample of valid) {
      if (request(sample)) continue;
      for (const error of request.errors ?? []) {
        if (NOISE.has(error.keyword)) continue;
        const difference = DIFFERENCES.find((d) => d.matches(error));
        if (difference) hits.set(difference.id, (hits.get(difference.id) ?? 0) + 1);
        else unexplained.push({ sample, error: `${error.instancePath} ${error.keyword} ${error.message}` });
      }
    }
    expect(unexplained.slice(0, 5)).toEqual([]);
    // Every listed difference still exists (else it must leave the list) and is documented.
    expect(DIFFERENCES.filter((d) => !hits.has(d.id)).map((d) => d.id)).toEqual([]);
    const readme = readFileSync(join(SCHEMAS, 'README.md'), 'utf8');
    expect(DIFFERENCES.filter((d) => !readme.includes(`\`${d.id}\``)).map((d) => d.id)).toEqual([]);
  });

  it('for WhatsApp, chirp refuses a Bird-valid request only with a named rule, and passes the WhatsApp-shaped ones', () => {
    const receiver = { contacts: [{ identifierValue: '+31612345678' }] };
    const template = { projectId: 'ce6a2fd6-b2fa-4f5a-a2cd-f3bd15883318', version: 'latest', locale: 'en' };
    let passed = 0;
    const shapeless: unknown[] = [];
    const passedTypes = new Set<string>();
    for (const raw of valid) {
      // The listed generic differences aside (a receiver contact, the template's ids):
      const sample = structuredClone(raw);
      if (JSON.stringify(sample.receiver) === '{}') sample.receiver = receiver;
      if (sample.template && typeof sample.template === 'object') sample.template = { ...template, ...(sample.template as JsonObject) };
      if (!request(sample)) continue; // null content: listed above
      const problems = whatsapp(sample);
      if (problems.length === 0) {
        passed++;
        passedTypes.add(bodyType(sample));
      }
      for (const p of problems)
        if (!/^E_(WA_\w+|PLATFORM_BODY_TYPE|CAP_FREQUENCY_USE_CASE|SCHEDULED_TOO_FAR)$/.test(p.code)) shapeless.push({ sample, p });
    }
    expect(shapeless.slice(0, 5)).toEqual([]);
    expect(passed).toBeGreaterThan(300);
    // One choice at a time cannot build a complete carousel or location (each needs several at once):
    // the page's own examples cover those, below.
    expect(passedTypes).toEqual(new Set(['text', 'image', 'file', 'list', 'template']));
  });

  it("Bird's WhatsApp page examples pass chirp's WhatsApp checks (lists, carousels, locations included)", () => {
    const receiver = { contacts: [{ identifierValue: '+31612345678' }] };
    const examples = readdirSync(EXAMPLES_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort();
    const requests: JsonObject[] = [];
    for (const file of examples) {
      const n = Number(file.slice(0, 2));
      const example = readJson<JsonObject>(join(EXAMPLES_DIR, file));
      if ((n >= 4 && n <= 7) || (n >= 9 && n <= 27)) requests.push({ receiver, body: example });
      else if (n === 8) requests.push({ receiver, body: { type: 'text', text: example } });
      else if (n >= 29 && n <= 31) {
        const { replyTo, ...body } = example;
        requests.push({ receiver, body, replyTo: replyTo! });
      } else if (n >= 33 && n <= 35) requests.push({ receiver, template: example });
    }
    expect(requests).toHaveLength(30);
    expect(new Set(requests.map(bodyType))).toEqual(new Set(['text', 'image', 'file', 'location', 'carousel', 'list', 'template']));
    for (const r of requests) {
      expect(bird(r)).toBe(true);
      expect(request(r) ? whatsapp(r) : request.errors).toEqual([]);
    }
  });

  it('Bird accepts an empty receiver; chirp does not (the first listed difference, shown on its own)', () => {
    const r = { receiver: {}, body: { type: 'text', text: { text: 'Hi' } } };
    expect(bird(r)).toBe(true);
    expect(request(r)).toBe(false);
  });
});

// The templates stage alone: the lock's format, Bird's answers read fail-closed, the offline checks,
// the recipient's text, paging and the preflight's comparison (stub transports, no network), and the
// fake's refusal of inactive versions.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import {
  checkRenderedTemplate,
  checkTemplates,
  parseLock,
  preflightTemplates,
  pullTemplates,
  serializeLock,
  templateChanges,
  templateText,
  type LockedTemplate,
  type TemplateLock,
} from '../../src/templates/index.js';
import { templateFromBird } from '../../src/templates/bird.js';
import type { GetResult, SendOutcome, Transport } from '../../src/transport/index.js';
import { startFakeBird } from '../../src/fake-bird/index.js';

const P = '3d5f2a10-0000-4000-8000-00000000c0de';
const T = 'a0000000-0000-4000-8000-00000000c002';

function lockedTemplate(over: Partial<LockedTemplate> = {}): LockedTemplate {
  return {
    id: T,
    status: 'active',
    defaultLocale: 'en',
    category: 'UTILITY',
    whatsappName: 'welcome',
    variables: {
      name: { key: 'name', type: 'string', format: 'none', characterLimit: 10 },
      days: { key: 'days', type: 'number', format: null, characterLimit: null },
    },
    locales: {
      en: {
        status: 'active',
        platformStatuses: ['active'],
        header: 'Welcome',
        body: 'Hi {{name}}, {{days}} days left.',
        footer: null,
        buttons: [{ type: 'link-action', text: 'Go', url: 'https://x.example/{{name}}' }],
      },
      de: { status: 'pending', platformStatuses: [], header: null, body: 'Hallo {{name}}', footer: null, buttons: [] },
      fr: { status: 'active', platformStatuses: ['active', 'inactive'], header: null, body: 'Salut {{name}}', footer: null, buttons: [] },
    },
    ...over,
  };
}

function lock(template = lockedTemplate()): TemplateLock {
  return {
    lockVersion: 1,
    pulledAt: '2026-11-30T10:00:00.000Z',
    workspace: 'ws',
    projects: { [P]: { id: P, name: 'welcome', activeTemplateId: template.id, templates: { [template.id]: template } } },
  };
}

const message = (parameters: unknown[], extra: { locale?: string; version?: string; passthrough?: Record<string, unknown> } = {}) => ({
  template: { projectId: P, version: extra.version ?? 'latest', locale: extra.locale ?? 'en', parameters } as never,
  passthrough: (extra.passthrough ?? {}) as never,
});
const good = [
  { type: 'string', key: 'name', value: '{{name}}' },
  { type: 'number', key: 'days', value: '{{days}}' },
];
const codes = (m: ReturnType<typeof message>, l: TemplateLock | undefined = lock()) => checkTemplates(m, l).map((p) => p.code);

describe('the lock file', () => {
  it('serialises to the same bytes whatever the key order, and parses back to the same lock', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(Object.keys(lockedTemplate()), { minLength: Object.keys(lockedTemplate()).length }), (order) => {
        const source = lockedTemplate();
        const shuffled = Object.fromEntries(order.map((k) => [k, source[k as keyof LockedTemplate]])) as unknown as LockedTemplate;
        const text = serializeLock(lock(shuffled));
        expect(text).toBe(serializeLock(lock()));
        expect(serializeLock(parseLock(text))).toBe(text);
      }),
    );
  });

  it('refuses a lock with a wrong version, a mistyped field or an entry under the wrong id', () => {
    const text = serializeLock(lock());
    expect(() => parseLock(text.replace('"lockVersion": 1', '"lockVersion": 2'))).toThrow(/lockVersion/);
    expect(() => parseLock(text.replace('"characterLimit": 10', '"characterLimit": "10"'))).toThrow(/characterLimit/);
    expect(() => parseLock(text.replace(`"id": "${T}"`, '"id": "other"'))).toThrow(/id/);
    expect(() => parseLock('{')).toThrow();
  });
});

describe("Bird's channel templates, read fail-closed", () => {
  const bird = { id: T, status: 'active', variables: [{ key: 'name', type: 'string' }], localeStatuses: { en: 'active' } };
  it('requires an id, a status and typed variables', () => {
    expect(templateFromBird(bird, 't').variables.name).toEqual({ key: 'name', type: 'string', format: null, characterLimit: null });
    expect(() => templateFromBird({ ...bird, status: undefined }, 't')).toThrow(/t\.status/);
    expect(() => templateFromBird({ ...bird, variables: [{ key: 'name' }] }, 't')).toThrow(/type/);
    expect(() => templateFromBird({ ...bird, variables: { name: 'string' } }, 't')).toThrow(/variables/);
    expect(() =>
      templateFromBird(
        {
          ...bird,
          variables: [
            { key: 'a', type: 'string' },
            { key: 'a', type: 'string' },
          ],
        },
        't',
      ),
    ).toThrow(/twice/);
  });
  it('never makes a locale approved without localeStatuses saying active', () => {
    const t = templateFromBird({ ...bird, localeStatuses: {}, platformInfo: { 'whatsapp:acct:en': { status: 'active' } } }, 't');
    expect(checkTemplates(message(good), lock({ ...lockedTemplate(), locales: t.locales })).map((p) => p.code)).toContain(
      'E_TEMPLATE_LOCALE',
    );
  });
});

describe('offline checks', () => {
  it('accept a correct message', () => expect(codes(message(good))).toEqual([]));
  it('refuse a pending locale, one rejected on a WhatsApp account, and an unknown one', () => {
    expect(codes(message(good, { locale: 'de' }))).toEqual(['E_TEMPLATE_LOCALE']);
    expect(codes(message(good, { locale: 'fr' }))).toEqual(['E_TEMPLATE_LOCALE']);
    expect(codes(message(good, { locale: 'nl' }))).toEqual(['E_TEMPLATE_LOCALE']);
  });
  it('need exactly one parameter of the right type per variable, and no unknown keys', () => {
    expect(codes(message([good[0]]))).toEqual(['E_TEMPLATE_PARAM_MISSING']);
    expect(codes(message([good[0], { type: 'number', key: 'days' }]))).toEqual(['E_TEMPLATE_PARAM_MISSING']);
    expect(codes(message([...good, { type: 'string', key: 'coupon', value: 'x' }]))).toEqual(['E_TEMPLATE_PARAM_UNKNOWN']);
    expect(codes(message([...good, good[0]]))).toEqual(['E_TEMPLATE_PARAM_DUPLICATE']);
    expect(codes(message([good[0], { type: 'string', key: 'days', value: '3' }]))).toEqual(['E_TEMPLATE_PARAM_TYPE']);
  });
  it('check literal values against characterLimit and WhatsApp text rules', () => {
    expect(codes(message([{ type: 'string', key: 'name', value: 'Bartholomew' }, good[1]]))).toEqual(['E_TEMPLATE_PARAM_LIMIT']);
    expect(codes(message([{ type: 'string', key: 'name', value: 'Ann\nB' }, good[1]]))).toEqual(['E_TEMPLATE_PARAM_TEXT']);
    // Counted in characters, not UTF-16 units: ten emoji fit a limit of 10.
    expect(codes(message([{ type: 'string', key: 'name', value: '😀'.repeat(10) }, good[1]]))).toEqual([]);
  });
  it('resolve versions: latest → active, a pinned inactive or unknown id is refused', () => {
    const old = lockedTemplate({ id: 'b0000000-0000-4000-8000-000000000001', status: 'inactive' });
    const l = lock();
    l.projects[P]!.templates[old.id] = old;
    expect(codes(message(good, { version: old.id }), l)).toEqual(['E_TEMPLATE_VERSION']);
    expect(codes(message(good, { version: 'c0000000-0000-4000-8000-000000000001' }), l)).toEqual(['E_TEMPLATE_VERSION']);
    expect(codes(message(good, { version: T }), l)).toEqual([]);
    l.projects[P]!.activeTemplateId = null;
    expect(codes(message(good), l)).toEqual(['E_TEMPLATE_VERSION']);
  });
  it('check the category against capFrequency and useCase', () => {
    expect(codes(message(good, { passthrough: { capFrequency: true } }))).toEqual(['E_TEMPLATE_CATEGORY']);
    expect(codes(message(good, { passthrough: { meta: { extraInformation: { useCase: 'marketing' } } } }))).toEqual([
      'E_TEMPLATE_CATEGORY',
    ]);
    const marketing = lock(lockedTemplate({ category: 'MARKETING' }));
    expect(
      codes(message(good, { passthrough: { capFrequency: true, meta: { extraInformation: { useCase: 'marketing' } } } }), marketing),
    ).toEqual([]);
  });
  it('a project missing from the lock is an error pointing at `chirp templates pull`; no lock at all is a warning', () => {
    const [p] = checkTemplates(
      { passthrough: {}, template: { projectId: 'nope', version: 'latest', locale: 'en', parameters: good } },
      lock(),
    );
    expect(p).toMatchObject({ code: 'E_TEMPLATE_NOT_LOCKED', severity: 'error', pointer: '/template/projectId' });
    expect(p!.hint).toContain('chirp templates pull');
    expect(checkTemplates(message(good), undefined).map((x) => x.severity)).toEqual(['warning']);
    expect(checkTemplates(message(good), 'refused').map((x) => x.code)).toEqual(['E_TEMPLATE_LOCK']);
  });
  it('check the fallback template too', () => {
    expect(
      checkTemplates({ passthrough: {}, fallback: { template: message([good[0]]).template } }, lock()).map((p) => [p.code, p.pointer]),
    ).toEqual([['E_TEMPLATE_PARAM_MISSING', '/fallback/template']]);
  });
});

describe('per-row checks of a rendered template', () => {
  const request = (name: unknown) => ({
    template: {
      projectId: P,
      version: 'latest',
      locale: 'en',
      parameters: [
        { type: 'string', key: 'name', value: name },
        { type: 'number', key: 'days', value: 3 },
      ],
    },
  });
  it('flag values over characterLimit and WhatsApp-illegal whitespace, whatever the data', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 10 }).filter((s) => !/[\n\r\t]| {5}/.test(s)),
        (name) => {
          expect(checkRenderedTemplate(request(name), lock())).toEqual([]);
        },
      ),
    );
    expect(checkRenderedTemplate(request('x'.repeat(11)), lock()).map((p) => p.code)).toEqual(['E_TEMPLATE_PARAM_LIMIT']);
    for (const bad of ['a\tb', 'a\r\nb', 'a     b'])
      expect(checkRenderedTemplate(request(bad), lock()).map((p) => p.code)).toEqual(['E_TEMPLATE_PARAM_TEXT']);
    // Without a lock the limit is unknown, the WhatsApp rule still holds.
    expect(checkRenderedTemplate(request('x'.repeat(11)), undefined)).toEqual([]);
    expect(checkRenderedTemplate(request('a\nb'), undefined).map((p) => p.code)).toEqual(['E_TEMPLATE_PARAM_TEXT']);
  });
});

describe('templateText', () => {
  it('fills the parameters into header, body and buttons', () => {
    const shown = templateText(lock(), {
      projectId: P,
      version: 'latest',
      locale: 'en',
      parameters: [
        { key: 'name', value: 'Ada' },
        { key: 'days', value: 14 },
      ],
    });
    expect(shown).toMatchObject({ ok: true, templateId: T, body: 'Hi Ada, 14 days left.', buttons: ['Go <https://x.example/Ada>'] });
    expect(shown.ok && shown.text).toBe('Welcome\n\nHi Ada, 14 days left.\n[Go <https://x.example/Ada>]');
    expect(shown.ok && shown.actions).toEqual([{ type: 'link-action', text: 'Go', url: 'https://x.example/Ada' }]);
  });
  it('says so instead of printing a blank when a value is missing', () => {
    const shown = templateText(lock(), { projectId: P, version: 'latest', locale: 'en', parameters: [{ key: 'name', value: 'Ada' }] });
    expect(shown).toEqual({ ok: false, reason: expect.stringContaining('{{days}}') as string });
  });
});

/** A transport answering GETs from a function (no network). */
function stub(answer: (path: string) => GetResult | SendOutcome): Transport & { paths: string[] } {
  const paths: string[] = [];
  return {
    paths,
    get: (path: string) => {
      paths.push(path);
      return Promise.resolve(answer(path));
    },
    send: () => Promise.reject(new Error('no sends')),
    query: () => Promise.reject(new Error('no queries')),
    stop: () => undefined,
    abandon: () => undefined,
    stats: () => ({ requests: 0, retries: 0, throttled: 0, currentRate: 0 }),
  };
}

describe('pulling', () => {
  const project = { id: P, name: 'welcome', activeResourceId: T };
  it('stops when Bird hands back a page token it already gave (an ignored pageToken would loop)', async () => {
    const transport = stub((path) => ({
      http: 200,
      body: path.includes('channel-templates') ? { results: [], nextPageToken: 'same' } : project,
    }));
    const { lock: l, problems } = await pullTemplates({
      transport,
      workspace: 'ws',
      projects: new Map([[P, ['m.yaml']]]),
      now: () => new Date(0),
    });
    expect(problems).toEqual([
      expect.objectContaining({ projectId: P, files: ['m.yaml'], message: expect.stringContaining('already used') as string }),
    ]);
    expect(l.projects).toEqual({});
    expect(transport.paths.filter((p) => p.includes('pageToken=same'))).toHaveLength(1);
  });
  it('refuses a project answer for another id', async () => {
    const transport = stub(() => ({ http: 200, body: { ...project, id: 'other' } }));
    const { problems } = await pullTemplates({ transport, workspace: 'ws', projects: new Map([[P, ['m.yaml']]]), now: () => new Date(0) });
    expect(problems[0]!.message).toMatch(/expected shape/);
  });
});

describe('the preflight', () => {
  const uses = [{ projectId: P, version: 'latest', locale: 'en', messages: ['welcome'] }];
  const live = (t: LockedTemplate, active = t.id) =>
    stub((path) => ({
      http: 200,
      body: path.includes('channel-templates')
        ? {
            id: t.id,
            status: t.status,
            localeStatuses: Object.fromEntries(Object.entries(t.locales).map(([k, v]) => [k, v.status])),
            variables: Object.values(t.variables),
            platformInfo: { 'whatsapp:a:en': { status: t.locales.en!.platformStatuses[0] } },
          }
        : { id: P, activeResourceId: active },
    }));
  it('reads each template once (project + template) and passes when Bird agrees', async () => {
    const transport = live(lockedTemplate());
    const result = await preflightTemplates({ lock: lock(), uses, mode: 'online', transport: () => transport });
    expect(result).toMatchObject({ ok: true, mode: 'online', templates: [{ status: 'ok', templateId: T }] });
    expect(transport.paths).toEqual([`/projects/${P}`, `/projects/${P}/channel-templates/${T}`]);
  });
  it('stops on a new active version, a variable removed, a locale no longer approved', async () => {
    const changed = lockedTemplate({ status: 'inactive', variables: { name: lockedTemplate().variables.name! } });
    changed.locales.en = { ...changed.locales.en!, status: 'pending' };
    const result = await preflightTemplates({ lock: lock(), uses, mode: 'online', transport: () => live(changed, 'new-id') });
    expect(result.ok).toBe(false);
    expect(result.templates[0]!.changes.join('\n')).toMatch(
      /now new-id[\s\S]*now inactive[\s\S]*locale en is now pending[\s\S]*"days" was removed/,
    );
  });
  it('offline trusts the lock without a request; no lock means nothing to compare', async () => {
    const transport = live(lockedTemplate());
    expect(await preflightTemplates({ lock: lock(), uses, mode: 'offline', transport: () => transport })).toMatchObject({
      ok: true,
      mode: 'offline',
    });
    expect((await preflightTemplates({ lock: undefined, uses, mode: 'online', transport: () => transport })).mode).toBe('no-lock');
    expect(transport.paths).toEqual([]);
  });
  it('a failed read stops the run too', async () => {
    const transport = stub(() => ({ kind: 'failed', http: 404, message: 'not found' }));
    const result = await preflightTemplates({ lock: lock(), uses, mode: 'online', transport: () => transport });
    expect(result).toMatchObject({ ok: false, templates: [{ status: 'failed' }] });
  });
  it('only what matters for sending counts as a change', () => {
    expect(templateChanges(lockedTemplate(), lockedTemplate({ whatsappName: 'renamed' }), 'en')).toEqual([]);
    expect(templateChanges(lockedTemplate(), lockedTemplate(), 'de')).toEqual([]);
  });
});

describe('the fake Bird as a template server', () => {
  const FIXTURES = fileURLToPath(new URL('../fixtures/templates/bird/', import.meta.url));
  it('refuses a send whose template version is inactive, and one after that version is superseded', async () => {
    const fake = await startFakeBird({ templates: FIXTURES });
    try {
      const post = (template: object) =>
        fetch(`${fake.url}/workspaces/ws/channels/ch/messages`, {
          method: 'POST',
          headers: { authorization: 'AccessKey test-key', 'content-type': 'application/json' },
          body: JSON.stringify({ receiver: { contacts: [{ identifierValue: '+31612345678' }] }, template }),
        });
      const params = [
        { type: 'string', key: 'first_name', value: 'Ada' },
        { type: 'number', key: 'trial_days', value: 3 },
      ];
      expect((await post({ projectId: P, version: 'a0000000-0000-4000-8000-00000000c001', locale: 'en', parameters: params })).status).toBe(
        422,
      );
      expect((await post({ projectId: P, version: T, locale: 'en', parameters: params })).status).toBe(202);
      fake.publishTemplate(P);
      expect((await post({ projectId: P, version: T, locale: 'en', parameters: params })).status).toBe(422);
      expect((await post({ projectId: P, version: 'latest', locale: 'en', parameters: params })).status).toBe(202);
      expect((await post({ projectId: P, version: 'latest', locale: 'en', parameters: params.slice(0, 1) })).status).toBe(422);
    } finally {
      await fake.close();
    }
  });
});

describe('pullTemplateLock (library API, any undici dispatcher)', () => {
  it('reads through a MockAgent, paging with pageToken, and sends the key only as a header', async () => {
    const { MockAgent } = await import('undici');
    const { makeCatalog } = await import('../helpers/catalog.js');
    const { openCatalog, pullTemplateLock } = await import('../../src/index.js');
    const root = makeCatalog({
      'messages/w.yaml': `channel: whatsapp\nto: "{{phone}}"\nvariables:\n  phone: { type: string }\ntemplate:\n  projectId: ${P}\n  version: latest\n  locale: en\nexamples:\n  - { phone: "+31612345678" }\n`,
    });
    const catalog = await openCatalog({ cwd: root, env: { BIRD_ACCESS_KEY: 'mock-key-1', BIRD_API_URL: 'https://api.bird.com' } });
    const agent = new MockAgent();
    agent.disableNetConnect();
    const pool = agent.get('https://api.bird.com');
    const base = `/workspaces/2f1c3a4e-0000-4000-8000-000000000001/projects/${P}`;
    const seen: string[] = [];
    pool
      .intercept({ path: base, method: 'GET', headers: { authorization: 'AccessKey mock-key-1' } })
      .reply(200, { id: P, name: 'welcome', activeResourceId: T });
    pool
      .intercept({ path: (p) => p.startsWith(`${base}/channel-templates`) && !p.includes('pageToken'), method: 'GET' })
      .reply(200, (o) => {
        seen.push(o.path);
        return { results: [{ id: 'b0000000-0000-4000-8000-000000000001', status: 'inactive' }], nextPageToken: 'p2' };
      });
    pool.intercept({ path: `${base}/channel-templates?limit=100&pageToken=p2`, method: 'GET' }).reply(200, (o) => {
      seen.push(o.path);
      return { results: [{ id: T, status: 'active', localeStatuses: { en: 'active' }, variables: [] }] };
    });
    try {
      const {
        lock: l,
        problems,
        writable,
      } = await pullTemplateLock(catalog, { dispatcher: agent, now: () => new Date('2026-12-01T00:00:00Z') });
      expect(problems).toEqual([]);
      expect(writable).toBe(true);
      expect(Object.keys(l.projects[P]!.templates).sort()).toEqual([T, 'b0000000-0000-4000-8000-000000000001']);
      expect(seen).toEqual([`${base}/channel-templates?limit=100`, `${base}/channel-templates?limit=100&pageToken=p2`]);
      expect(serializeLock(l)).not.toContain('mock-key-1');
    } finally {
      await agent.close();
    }
  });
});

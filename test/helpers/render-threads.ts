// Shared by the render-on-threads tests (test/unit/render-parallel.test.ts, test/cli/render-threads.test.ts):
// a catalog of three messages and the CSV columns and cells its random rows are made of.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type * as RenderStage from '../../src/render/index.js';
import type * as RenderModule from '../../src/usecases/render.js';
import type * as SendModule from '../../src/usecases/send.js';
import { makeCatalog, TEST_CONFIG } from './catalog.js';
import { REPO } from './cli.js';

const LOCALISED = `channel: whatsapp
to: "{{phone}}"
consent: optin
locale: "{{lang}}"
defaultLocale: en
variables:
  phone: { type: string, minLength: 8 }
  lang: { type: string }
  name: { type: string, minLength: 1, maxLength: 40 }
  count: { type: number }
  address: { type: object, properties: { city: { type: string } } }
required: [phone, name]
body:
  type: text
  text:
    text: "Hi {{name}}{{#if count}}, {{formatNumber count}} items{{/if}}{{#if address.city}} to {{address.city}}{{/if}}."
translations:
  nl:
    body:
      type: text
      text:
        text: "Hoi {{name}}{{#if count}}, {{formatNumber count}} stuks{{/if}}{{#if address.city}} naar {{address.city}}{{/if}}."
examples:
  - { phone: "+31612345678", lang: nl, name: Ada, optin: "yes" }
`;

const RECEIVER = `channel: whatsapp
receiver:
  contacts:
    - identifierValue: "{{phone}}"
variables:
  phone: { type: string }
  name: { type: string, minLength: 1 }
  count: { type: integer }
required: [phone, name]
body:
  type: text
  text:
    text: "{{name}} has {{count}}"
examples:
  - { phone: "+31612345678", name: Ada, count: 1 }
`;

export const COLUMNS = ['phone', 'lang', 'name', 'count', 'address.city', 'optin', 'first_name', 'trial_days'];
const PHONES = ['+31612345678', '+31612345679', '06 2000 0001', '+4915112345678', '+999', 'not a phone', '', '+31 6 1234 5670'];
export const CELLS: Record<string, string[]> = {
  phone: PHONES,
  lang: ['nl', 'nl_NL', 'pt-br', 'en', 'fr', 'xx!', ''],
  name: ['Ada', 'Zoë', '', '  ', 'a "quoted", name', 'x'.repeat(41), 'line\nbreak', '{{name}}', 'constructor'],
  count: ['1.50', '42', '-0', '1e400', '9007199254740993', 'abc', '', '0', '1e-400'],
  'address.city': ['Delft', 'São Paulo', '', 'a\tb'],
  optin: ['yes', 'yes', 'yes', 'no', '', '2026-03-01'],
  first_name: ['Ada', 'Lucía', '', 'tab\there', 'x'.repeat(70), 'new\nline'],
  trial_days: ['14', '30', '0', '91', 'x', '', '7.5'],
};

export const csvCell = (v: string): string => `"${v.replaceAll('"', '""')}"`;
export const rowArb = fc.record(Object.fromEntries(COLUMNS.map((c) => [c, fc.constantFrom(...CELLS[c]!)])));

/** A catalog with three messages: locales + consent + nested columns, a locked template, a `receiver`. */
export function catalog(): string {
  const root = makeCatalog({
    'chirp.config.yaml': `${TEST_CONFIG}defaultCountry: NL\nsuppress: [optouts.txt]\n`,
    'optouts.txt': '+31612345679\n+4915112345678\n',
    'messages/local.yaml': LOCALISED,
    'messages/recv.yaml': RECEIVER,
  });
  mkdirSync(join(root, 'messages', 'onboarding'), { recursive: true });
  copyFileSync(join(REPO, 'messages/onboarding/welcome-template.yaml'), join(root, 'messages/onboarding/welcome-template.yaml'));
  writeFileSync(join(root, 'templates.lock.json'), readFileSync(join(REPO, 'templates.lock.json')));
  return root;
}

/**
 * The built library's render, send and BatchPool (`npm run build`: the suite builds first). Its workers
 * load the compiled JavaScript; workers of the sources load every module through tsx first (≈ 1 s of
 * CPU each, one per render or send: the property tests start dozens). Types are the sources'.
 */
export async function built(): Promise<{
  render: typeof RenderModule.render;
  send: typeof SendModule.send;
  BatchPool: typeof RenderStage.BatchPool;
}> {
  const dist = (path: string): string => new URL(`../../dist/${path}`, import.meta.url).href;
  if (!existsSync(new URL(dist('usecases/render.js'))))
    throw new Error('dist/usecases/render.js is missing: run `npm run build` first (the threaded-render tests run the build)');
  const { render } = (await import(dist('usecases/render.js'))) as typeof RenderModule;
  const { send } = (await import(dist('usecases/send.js'))) as typeof SendModule;
  const { BatchPool } = (await import(dist('render/index.js'))) as typeof RenderStage;
  return { render, send, BatchPool };
}

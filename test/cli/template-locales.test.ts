// A template without its own locale follows the recipient's: every locale the rows use is checked
// against templates.lock.json's approvals (Bird's per-locale status and every WhatsApp account's)
// before the first request; an unapproved one falls back along the chain or stops the send. The fake
// Bird serves a template in five locales: de rejected on one WhatsApp account, fr rejected on all.
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeBird, type FakeBird } from '../../src/fake-bird/index.js';
import { makeCatalog } from '../helpers/catalog.js';
import { hasStackTrace, runCli, type CliResult } from '../helpers/cli.js';
import { CANARY_KEY } from '../helpers/send.js';
import { tempDir } from '../helpers/temp.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/templates/locales/', import.meta.url));
const RELEASE = '5e1ea5e0-0000-4000-8000-0000000010c0';

function release(extra = ''): string {
  return `channel: whatsapp
to: "{{phone}}"
locale: "{{lang}}"
defaultLocale: en
${extra}variables:
  phone: { type: string }
  lang: { type: string }
  first_name: { type: string }
template:
  projectId: ${RELEASE}
  version: latest
  parameters:
    - { type: string, key: first_name, value: "{{first_name}}" }
examples:
  - { phone: "+31612345678", lang: nl, first_name: Ada }
`;
}

const ROWS =
  'phone,lang,first_name\n+31612345678,nl_NL,Ada\n+31612345679,de,Bo\n+31612345670,pt-br,Cy\n+31612345671,fr-FR,Di\n+31612345672,en,Ed\n';

let fake: FakeBird | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(message = release()): Promise<{ root: string; run: (args: string[]) => Promise<CliResult>; journal: string }> {
  fake = await startFakeBird({ accessKey: CANARY_KEY, templates: FIXTURES });
  const root = makeCatalog({ 'messages/release.yaml': release(), 'rows.csv': ROWS });
  const url = fake.url;
  const run = (args: string[]) => runCli(args, { cwd: root, env: { BIRD_API_URL: url, BIRD_ACCESS_KEY: CANARY_KEY } });
  expect((await run(['templates', 'pull'])).code).toBe(0);
  writeFileSync(join(root, 'messages/release.yaml'), message);
  return { root, run, journal: tempDir('chirp-journal-') };
}

const templateLocales = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { template: { locale: string } }).template.locale);

describe('templates per locale', () => {
  it('gives each recipient an approved locale of the template, falling back past the rejected ones', async () => {
    const e = await setup();
    expect((await e.run(['validate'])).code).toBe(0);
    const result = await e.run(['render', 'release', '--data', 'rows.csv', '--show-locale']);
    expect(result.code, result.stderr).toBe(0);
    // nl-NL → nl; de is rejected on one WhatsApp account → en; pt-br → pt-BR; fr is rejected → en.
    expect(templateLocales(result.stdout)).toEqual(['nl', 'en', 'pt-BR', 'en', 'en']);
    for (const line of result.stdout.trim().split('\n')) expect(JSON.stringify(JSON.parse(line))).toBe(line);
    expect(result.stderr).toContain('── row 2: locale de → en (fallback)');
    expect(result.stderr).toContain('locales: en 3 (2 fell back), nl 1 (1 fell back), pt-BR 1');
  });

  it('sends every row in an approved locale; Bird never sees de or fr', async () => {
    const e = await setup();
    const result = await e.run(['send', 'release', '--data', 'rows.csv', '--journal', e.journal, '--yes', '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const sent = fake!.accepted.map((m) => (m.request as { template: { locale: string } }).template.locale).sort();
    expect(sent).toEqual(['en', 'en', 'en', 'nl', 'pt-BR']);
    const report = JSON.parse(result.stdout) as { locales: unknown; templates: { templates: { locale: string; status: string }[] } };
    expect(report.locales).toEqual([
      { locale: 'en', recipients: 3, fallback: 2 },
      { locale: 'nl', recipients: 1, fallback: 1 },
      { locale: 'pt-BR', recipients: 1, fallback: 0 },
    ]);
    // The preflight asked Bird about every approved locale the rows could get.
    expect(report.templates.templates.map((t) => [t.locale, t.status])).toEqual([
      ['en', 'ok'],
      ['nl', 'ok'],
      ['pt-BR', 'ok'],
    ]);
  });

  it('a locale paused at Bird since the pull stops only a send whose rows get it (the fallback chain included)', async () => {
    const e = await setup();
    // After the pull, pt-BR is paused at Bird: the lock still says approved.
    fake!.setTemplateLocaleStatus(RELEASE, 'pt-BR', 'paused');
    // nl_NL → nl, de → en (rejected on one WhatsApp account: the fallback chain), en → en. Nobody gets pt-BR.
    writeFileSync(join(e.root, 'nl-de.csv'), 'phone,lang,first_name\n+31612345678,nl_NL,Ada\n+31612345679,de,Bo\n+31612345672,en,Ed\n');
    const result = await e.run(['send', 'release', '--data', 'nl-de.csv', '--journal', e.journal, '--yes', '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { templates: { templates: { locale: string; status: string }[] } };
    // Bird was asked about every approved locale; pt-BR differs, and no row gets it.
    expect(report.templates.templates.map((t) => [t.locale, t.status])).toEqual([
      ['en', 'ok'],
      ['nl', 'ok'],
      ['pt-BR', 'unused'],
    ]);
    expect(result.stderr).toMatch(
      /warning: template project .* locale pt-BR: locale pt-BR is now paused .* no row of this run gets that locale/,
    );
    expect(fake!.accepted.map((m) => (m.request as { template: { locale: string } }).template.locale).sort()).toEqual(['en', 'en', 'nl']);

    // plan --window check asks the same way: the paused pt-BR matters only to data that needs it.
    const planned = await e.run(['plan', 'release', '--data', 'nl-de.csv', '--window', 'check', '--format', 'json']);
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stdout + planned.stderr).not.toContain('E_TEMPLATE_CHANGED');

    // One row that resolves to pt-BR, and the preflight stops the run before any message.
    const sent = fake!.accepted.length;
    writeFileSync(join(e.root, 'pt.csv'), 'phone,lang,first_name\n+31612345601,en,Ed\n+31612345602,pt-br,Cy\n');
    const stopped = await e.run(['send', 'release', '--data', 'pt.csv', '--journal', e.journal, '--yes']);
    expect(stopped.code).toBe(2);
    expect(stopped.stdout + stopped.stderr).toMatch(/E_TEMPLATE_CHANGED.*locale pt-BR \(used by release\): locale pt-BR is now paused/);
    expect(fake!.accepted).toHaveLength(sent);
    const planStopped = await e.run(['plan', 'release', '--data', 'pt.csv', '--window', 'check']);
    expect(planStopped.code).toBe(2);
    expect(planStopped.stdout + planStopped.stderr).toMatch(/E_TEMPLATE_CHANGED.*locale pt-BR/);
  });

  it('stops the send before any request when a row needs an unapproved locale and the message allows no fallback', async () => {
    const e = await setup(release('localeFallback: language\n'));
    const before = fake!.stats.requests;
    const result = await e.run(['send', 'release', '--data', 'rows.csv', '--journal', e.journal, '--yes']);
    expect(result.code).not.toBe(0);
    expect(result.stderr + result.stdout).toMatch(
      /E_LOCALE_UNAVAILABLE.*row 2: template .+ has no approved locale for de \(approved: en, nl, pt-BR\)/,
    );
    expect(result.stderr + result.stdout).toMatch(/row 4: template .+ has no approved locale for fr-FR/);
    expect(fake!.accepted).toEqual([]);
    // Only the preflight's reads of the template reached Bird, never a message.
    expect(fake!.requests.slice(before).every((r) => r.method === 'GET')).toBe(true);
    expect(hasStackTrace(result.stderr)).toBe(false);
  });

  it('refuses a default locale the template has not approved, at the line of defaultLocale', async () => {
    const e = await setup(release().replace('defaultLocale: en', 'defaultLocale: de'));
    const result = await e.run(['validate']);
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toMatch(/release\.yaml:4:\d+ .*E_TEMPLATE_LOCALE.*the default locale de is not approved/);
  });

  it('the fake refuses a template sent in a locale Meta rejected', async () => {
    const e = await setup(
      release().replace('locale: "{{lang}}"\ndefaultLocale: en\n', '').replace('  version: latest\n', '  version: latest\n  locale: de\n'),
    );
    // validate stops it first (the lock knows); the fake says the same when asked directly.
    expect((await e.run(['validate'])).stdout + '').toMatch(/E_TEMPLATE_LOCALE/);
    const res = await fetch(
      `${fake!.url}/workspaces/2f1c3a4e-0000-4000-8000-000000000001/channels/9b8c7d6e-0000-4000-8000-000000000002/messages`,
      {
        method: 'POST',
        headers: { authorization: `AccessKey ${CANARY_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          receiver: { contacts: [{ identifierValue: '+31612345678' }] },
          template: {
            projectId: RELEASE,
            version: 'latest',
            locale: 'de',
            parameters: [{ type: 'string', key: 'first_name', value: 'Bo' }],
          },
        }),
      },
    );
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('locale de is not approved');
  });
});

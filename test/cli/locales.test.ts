// Recipients in their own language, seen from the CLI: render and send --dry-run say which locale
// each recipient gets and count every fallback.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasStackTrace, runCli } from '../helpers/cli.js';
import { makeCatalog } from '../helpers/catalog.js';
import { tempDir } from '../helpers/temp.js';
import { GIT_ENV } from '../helpers/git.js';

export const LOCALISED = `channel: whatsapp
to: "{{phone}}"
locale: "{{lang}}"
defaultLocale: en
variables:
  phone: { type: string }
  lang: { type: string }
  name: { type: string }
body:
  type: text
  text:
    text: "Hi {{name}}, chirp is out."
translations:
  nl:
    body:
      type: text
      text:
        text: "Hoi {{name}}, chirp is uit."
  pt:
    body:
      type: text
      text:
        text: "Olá {{name}}, o chirp saiu."
examples:
  - { phone: "+31612345678", lang: nl, name: Ada }
`;

const ROWS =
  'phone,lang,name\n+31612345678,nl_NL,Ada\n+31612345679,pt-br,Bo\n+31612345670,en,Cy\n+31612345671,fr,Di\n+31612345672,xx!,Ed\n';

function catalog(): string {
  const root = makeCatalog({ 'messages/notice.yaml': LOCALISED });
  writeFileSync(join(root, 'rows.csv'), ROWS);
  return root;
}

describe('locales in render and dry runs', () => {
  it('render prints each text in its locale, the locale per recipient with --show-locale, and the tally', async () => {
    const result = await runCli(['render', 'notice', '--data', 'rows.csv', '--show-locale'], { cwd: catalog() });
    expect(result.code).toBe(1);
    const texts = result.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { body: { text: { text: string } } }).body.text.text);
    expect(texts).toEqual(['Hoi Ada, chirp is uit.', 'Olá Bo, o chirp saiu.', 'Hi Cy, chirp is out.', 'Hi Di, chirp is out.']);
    expect(result.stderr).toContain('── row 1: locale nl-NL → nl (fallback)');
    expect(result.stderr).toContain('── row 2: locale pt-BR → pt (fallback)');
    expect(result.stderr).toContain('── row 3: locale en\n');
    expect(result.stderr).toContain('── row 4: locale fr → en (fallback)');
    expect(result.stderr).toMatch(/rows\.csv:\d+:\d+ .*E_LOCALE_INVALID.*row 5: locale "xx!" is not a BCP-47 language tag/);
    expect(result.stderr).toContain('locales: en 2 (1 fell back), nl 1 (1 fell back), pt 1 (1 fell back)');
    expect(hasStackTrace(result.stderr)).toBe(false);
  });

  it('render without --show-locale keeps stderr to the tally', async () => {
    const root = catalog();
    writeFileSync(join(root, 'ok.csv'), ROWS.split('\n').slice(0, 4).join('\n') + '\n');
    const result = await runCli(['render', 'notice', '--data', 'ok.csv'], { cwd: root });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('locales: en 1, nl 1 (1 fell back), pt 1 (1 fell back)\n');
  });

  it('send --dry-run counts recipients per locale and lists the fallbacks', async () => {
    const root = catalog();
    writeFileSync(join(root, 'ok.csv'), ROWS.split('\n').slice(0, 5).join('\n') + '\n');
    const journal = tempDir('chirp-journal-');
    const env = { BIRD_ACCESS_KEY: 'k', BIRD_API_URL: 'http://127.0.0.1:9' };
    const text = await runCli(['send', 'notice', '--data', 'ok.csv', '--journal', journal, '--dry-run'], { cwd: root, env });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/locales +en 2 \(1 fell back\), nl 1 \(1 fell back\), pt 1 \(1 fell back\)/);
    expect(text.stdout).toMatch(/locale fallback: row 1 \+31 6•••• 678: nl-NL → nl/);
    expect(text.stdout).toMatch(/locale fallback: row 4 \+31 6•••• 671: fr → en/);
    const json = await runCli(['send', 'notice', '--data', 'ok.csv', '--journal', journal, '--dry-run', '--format', 'json'], {
      cwd: root,
      env,
    });
    const report = JSON.parse(json.stdout) as { locales: unknown; samples: { localeFallback: { row: number; message: string }[] } };
    expect(report.locales).toEqual([
      { locale: 'en', recipients: 2, fallback: 1 },
      { locale: 'nl', recipients: 1, fallback: 1 },
      { locale: 'pt', recipients: 1, fallback: 1 },
    ]);
    expect(report.samples.localeFallback.map((s) => [s.row, s.message])).toEqual([
      [1, 'nl-NL → nl'],
      [2, 'pt-BR → pt'],
      [4, 'fr → en'],
    ]);
  });
});

const FORMATTED = `channel: whatsapp
to: "{{phone}}"
locale: "{{lang}}"
defaultLocale: en
variables:
  phone: { type: string }
  lang: { type: string }
  amount: { type: number }
  shipped: { type: string }
body:
  type: text
  text:
    text: '{{formatDate shipped dateStyle="long"}} | {{formatNumber amount}} | {{formatCurrency amount "EUR"}} | {{formatDate shipped "en-GB" dateStyle="long"}}'
translations:
  de:
    body:
      type: text
      text:
        text: '{{formatDate shipped dateStyle="long"}} | {{formatNumber amount}} | {{formatCurrency amount "EUR"}} | {{formatNumber amount locale="en"}}'
examples:
  - { phone: "+31612345678", lang: de, amount: 1234.5, shipped: "2026-03-03T23:30:00Z" }
`;

const SETTINGS: Record<string, string>[] = [
  { TZ: 'UTC', LANG: 'C.UTF-8' },
  { TZ: 'America/Adak', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' },
  { TZ: 'Pacific/Kiritimati', LANG: 'ar_EG.UTF-8', LC_ALL: 'ar_EG.UTF-8' },
];

// Spawned: LANG, LC_ALL and TZ only reach ICU in a process of their own.
describe('formatting helpers follow the recipient locale', () => {
  it("formats dates, numbers and currency in the recipient's locale unless the template names one, byte-stable under three LANG/TZ", async () => {
    const root = makeCatalog({ 'messages/f.yaml': FORMATTED });
    writeFileSync(
      join(root, 'rows.csv'),
      'phone,lang,amount,shipped\n+31612345678,de-DE,1234.5,2026-03-03T23:30:00Z\n+31612345679,nl,1234.5,2026-03-03T23:30:00Z\n+31612345670,ar-EG,1234.5,2026-03-03T23:30:00Z\n+31612345671,en-GB,1234.5,2026-03-03T23:30:00Z\n',
    );
    const outputs = await Promise.all(
      SETTINGS.map((env) => runCli(['render', 'f', '--data', 'rows.csv'], { cwd: root, env, spawn: true })),
    );
    for (const o of outputs) expect(o.code, o.stderr).toBe(0);
    const texts = outputs[0]!.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { body: { text: { text: string } } }).body.text.text);
    // de-DE gets the German text formatted in de-DE (the recipient's own tag, not the translation's).
    expect(texts[0]).toBe('3. März 2026 | 1.234,5 | 1.234,50\u00a0€ | 1,234.5');
    // nl falls back to the English text, formatted in English like the text; a template-named locale wins.
    expect(texts[1]).toBe('March 3, 2026 | 1,234.5 | €1,234.50 | 3 March 2026');
    // en-GB gets the English text in British formatting.
    expect(texts[3]).toBe('3 March 2026 | 1,234.5 | €1,234.50 | 3 March 2026');
    // ar-EG falls back to English: formatted like the text.
    expect(texts[2]).toBe(texts[1]);
    expect(outputs[1]!.stdout).toBe(outputs[0]!.stdout);
    expect(outputs[2]!.stdout).toBe(outputs[0]!.stdout);
  });

  it('a message without locale still formats in en, UTC', async () => {
    const plain = FORMATTED.replace('locale: "{{lang}}"\ndefaultLocale: en\n', '')
      .replace(/translations:[\s\S]*examples:/, 'examples:')
      .replace('  lang: { type: string }\n', '')
      .replace('lang: de, ', '');
    const root = makeCatalog({ 'messages/f.yaml': plain });
    const result = await runCli(['render', 'f'], { cwd: root, env: SETTINGS[1], spawn: true });
    expect(result.stderr).toBe('');
    expect((JSON.parse(result.stdout) as { body: { text: { text: string } } }).body.text.text).toBe(
      'March 3, 2026 | 1,234.5 | €1,234.50 | 3 March 2026',
    );
  });
});

describe('plan --base per locale', () => {
  it('shows a change of the Dutch text as that, counted, and which locales the rows reach', async () => {
    const root = catalog();
    writeFileSync(join(root, 'ok.csv'), ROWS.split('\n').slice(0, 5).join('\n') + '\n');
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', env: GIT_ENV });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'x');
    writeFileSync(join(root, 'messages/notice.yaml'), LOCALISED.replace('Hoi {{name}}, chirp is uit.', 'Hoi {{name}}, chirp 2 is uit.'));
    const text = await runCli(['plan', '--base', 'HEAD', '--data', 'ok.csv'], { cwd: root });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('locales: en 2, nl 1 (1 changed), pt 1');
    expect(text.stdout).toMatch(/1 recipient in nl: same change/);
    const plan = JSON.parse((await runCli(['plan', '--base', 'HEAD', '--data', 'ok.csv', '--format', 'json'], { cwd: root })).stdout) as {
      messages: { recipients: number; groups: { count: number; locale: string }[]; locales: unknown }[];
    };
    expect(plan.messages[0]!.recipients).toBe(1);
    expect(plan.messages[0]!.groups.map((g) => [g.count, g.locale])).toEqual([[1, 'nl']]);
    expect(plan.messages[0]!.locales).toEqual([
      { locale: 'en', recipients: 2, changed: 0 },
      { locale: 'nl', recipients: 1, changed: 1 },
      { locale: 'pt', recipients: 1, changed: 0 },
    ]);
    // A new German text: the German recipients move from the English fallback to it, shown as such.
    writeFileSync(join(root, 'ok.csv'), 'phone,lang,name\n+31612345678,de,Ada\n+31612345679,en,Bo\n');
    writeFileSync(
      join(root, 'messages/notice.yaml'),
      LOCALISED.replace(
        'examples:',
        '  de:\n    body:\n      type: text\n      text:\n        text: "Hallo {{name}}, chirp ist da."\nexamples:',
      ),
    );
    const added = await runCli(['plan', '--base', 'HEAD', '--data', 'ok.csv'], { cwd: root });
    expect(added.stdout).toMatch(/1 recipient in de: same change/);
    expect(added.stdout).toMatch(/- locale: "en"\n\s+\+ locale: "de"/);
    expect(added.stdout).toContain('locales: de 1 (1 changed), en 1');
  });
});

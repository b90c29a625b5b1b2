// Byte-stable rendering (case 10): a plan made on a laptop and a send made in CI render the same
// bytes, whatever TZ and LANG say. The example catalog is rendered under three settings and compared.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { makeCatalog } from '../helpers/catalog.js';
import { REPO, runCli } from '../helpers/cli.js';

const SETTINGS: Record<string, string>[] = [
  { TZ: 'UTC', LANG: 'C.UTF-8' },
  { TZ: 'America/Adak', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' },
  { TZ: 'Pacific/Kiritimati', LANG: 'ar_EG.UTF-8', LC_ALL: 'ar_EG.UTF-8' },
];

// Every message of the catalog with its examples, through the built library: one process per setting.
const SCRIPT = `
const { openCatalog, prepareMessage, renderMessage: render } = await import(${JSON.stringify(pathToFileURL(join(REPO, 'dist/index.js')).href)});
const { listMessages } = await import(${JSON.stringify(pathToFileURL(join(REPO, 'dist/catalog/index.js')).href)});
const catalog = await openCatalog({ cwd: process.argv[1], env: {} });
const out = [];
for (const file of listMessages(catalog.config.root, catalog.cwd)) {
  const message = await prepareMessage(catalog, file.id);
  for await (const item of render(message)) out.push(item.kind === 'request' ? item.json : JSON.stringify(item.diagnostics));
}
process.stdout.write(out.join('\\n'));
`;

function renderCatalog(root: string, settings: Record<string, string>): string {
  return execFileSync(process.execPath, ['--input-type=module', '-e', SCRIPT, root], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...settings },
  });
}

describe('rendering does not depend on TZ or LANG', () => {
  it('the example catalog renders the same bytes under three TZ/LANG settings', () => {
    const outputs = SETTINGS.map((s) => renderCatalog(REPO, s));
    expect(outputs[0]).toContain('Shipped 3 March 2026, 05:30 UTC.');
    expect(outputs[0]!.split('\n').length).toBeGreaterThan(30);
    expect(outputs[1]).toBe(outputs[0]);
    expect(outputs[2]).toBe(outputs[0]);
  });

  it('formatDate is UTC unless the message names a time zone; dates without an offset are UTC; non-ISO text is refused', async () => {
    const root = makeCatalog({
      'messages/d.yaml': `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
  shipped: { type: string }
body:
  type: text
  text:
    text: '{{formatDate shipped "en-GB" dateStyle="long"}} | {{formatDate shipped "en-GB" dateStyle="long" timeZone="America/Adak"}} | {{formatDate shipped}} | {{formatNumber 1234.5}}'
examples:
  - { phone: "+31612345678", shipped: "2026-03-03T05:00:00Z" }
`,
    });
    const input = ['2026-03-03T05:00:00Z', '2026-03-03T05:00:00', 'March 3, 2026 05:00']
      .map((shipped, i) => JSON.stringify({ phone: `+3161234567${i}`, shipped }))
      .join('\n');
    const result = await runCli(['render', 'd', '--data', '-', '--data-format', 'ndjson'], {
      cwd: root,
      input,
      env: { TZ: 'America/Adak', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' },
    });
    const texts = result.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { body: { text: { text: string } } }).body.text.text);
    expect(texts).toEqual(['3 March 2026 | 2 March 2026 | Mar 3, 2026 | 1,234.5', '3 March 2026 | 2 March 2026 | Mar 3, 2026 | 1,234.5']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/E_RENDER.*formatDate.*not a date/);
  });
});

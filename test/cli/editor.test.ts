// The editor story, with the real yaml-language-server over stdio (what VS Code's YAML extension
// runs, and what any LSP client can run): a catalog made by `chirp init` (not a dependency here, so
// the modelines point at its schemas/ copy) gets completion of body types and diagnostics.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { startYamlLs, type YamlLs } from '../helpers/yaml-ls.js';

let cat: string;
let ls: YamlLs;

beforeAll(async () => {
  cat = join(tempDir('chirp-editor-'), 'cat');
  const init = await runCli(['init', cat]);
  expect(init.code, init.stderr).toBe(0);
  ls = await startYamlLs(cat);
});
afterAll(() => ls?.close());

/** A message file next to the ones init wrote (same folder depth, same modeline). */
function draft(name: string, edit: (text: string) => string): string {
  const file = join(cat, 'messages', 'orders', name);
  writeFileSync(file, edit(readFileSync(join(cat, 'messages', 'orders', 'shipped.yaml'), 'utf8')));
  return file;
}

describe('yaml-language-server on a catalog made by chirp init', () => {
  it('finds no problem in the files init wrote', async () => {
    for (const file of [
      'messages/releases/notice.yaml',
      'messages/orders/shipped.yaml',
      'messages/onboarding/welcome.yaml',
      'messages/support/menu.yaml',
      'chirp.config.yaml',
    ]) {
      expect(await ls.open(join(cat, file)), file).toEqual([]);
    }
  });

  it('completes the body types', async () => {
    const file = draft('typing.yaml', (t) => `${t.split('\n')[0]}\nchannel: whatsapp\nto: "+31612345678"\nbody:\n  type: \n`);
    await ls.open(file);
    const line = readFileSync(file, 'utf8').split('\n').indexOf('  type: ');
    const labels = (await ls.complete(file, line, '  type: '.length)).map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['text', 'image', 'file', 'list', 'carousel', 'location']));
  });

  it('reports mediaURL (a misspelled mediaUrl)', async () => {
    const file = draft('media-url.yaml', (t) => t.replace('- mediaUrl:', '- mediaURL:'));
    const diagnostics = await ls.open(file);
    const line = readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes('mediaURL'));
    expect(diagnostics.filter((d) => d.range.start.line === line).map((d) => d.message)).toContain('Property mediaURL is not allowed.');
  });

  it('reports a fourth reply button (WhatsApp allows three)', async () => {
    const file = draft('four-buttons.yaml', (t) =>
      t.replace(
        '      - type: link\n        link: { text: Track parcel, url: "{{tracking_url}}" }\n',
        ['one', 'two', 'three', 'four'].map((b) => `      - type: reply\n        reply: { text: ${b} }\n`).join(''),
      ),
    );
    expect(readFileSync(file, 'utf8')).toContain('text: four');
    const diagnostics = await ls.open(file);
    expect(diagnostics.map((d) => d.message)).toContainEqual(expect.stringMatching(/Array has too many items\. Expected 3 or fewer/));
  });
});

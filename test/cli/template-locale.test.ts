// Seen from the CLI: a template without parameters that follows the recipient's locale sends each
// recipient its own locale (it was sent the examples' locale, while the tally said "en, fell back").
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasStackTrace, runCli } from '../helpers/cli.js';
import { LOCALE_FOLLOWING_TEMPLATE as MESSAGE, makeCatalog } from '../helpers/catalog.js';

describe('render: a parameterless template that follows the recipient locale', () => {
  it("puts each row's locale on its request, as the tally counts it", async () => {
    const root = makeCatalog({ 'messages/m.yaml': MESSAGE });
    writeFileSync(join(root, 'rows.csv'), 'phone,lang\n+31612345678,de\n+31612345679,pt\n');
    const result = await runCli(['render', 'm', '--data', 'rows.csv'], { cwd: root });
    expect(result.code).toBe(0);
    const locales = result.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { template: { locale?: string } }).template.locale);
    expect(locales).toEqual(['de', 'pt']);
    expect(result.stderr).toContain('locales: de 1, pt 1');
    expect(hasStackTrace(result.stderr)).toBe(false);
  });
});

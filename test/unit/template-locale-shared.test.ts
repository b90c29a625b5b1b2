// Adversarial review: a template without parameters is a constant subtree of the definition, and its
// rendered `template` was the definition's own object. Giving it the recipient's locale wrote that locale
// into the definition: the examples' render at prepare time left `locale: nl` there, the data's render
// then compiled a template that no longer follows the recipient, and every recipient was sent the
// example's locale (while the row reported "en").
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCatalog, prepareMessage, renderMessage, type RenderItem } from '../../src/index.js';
import { LOCALE_FOLLOWING_TEMPLATE as MESSAGE, makeCatalog } from '../helpers/catalog.js';

const NOW = () => new Date('2026-03-01T12:00:00Z');

describe('a template without parameters that follows the recipient locale', () => {
  it("sends each recipient the locale its row reports, render after render (the definition's template is never changed)", async () => {
    const root = makeCatalog({ 'messages/m.yaml': MESSAGE });
    const rows = [
      { phone: '+31612345678', lang: 'nl' },
      { phone: '+31612345679', lang: 'de' },
      { phone: '+31612345670', lang: 'en' },
    ];
    writeFileSync(join(root, 'rows.json'), JSON.stringify(rows));
    const catalog = await openCatalog({ cwd: root, env: {}, now: NOW });
    for (let round = 0; round < 2; round++) {
      const prepared = await prepareMessage(catalog, 'm');
      const items: RenderItem[] = [];
      for await (const item of renderMessage(prepared, { data: { path: join(root, 'rows.json') } })) items.push(item);
      expect(items.map((i) => i.kind)).toEqual(['request', 'request', 'request']);
      for (const item of items) {
        if (item.kind !== 'request') continue;
        const sent = JSON.parse(item.json) as { template: { locale?: string } };
        expect(sent.template.locale).toBe(item.locale?.used);
        expect((item.request.template as { locale?: string }).locale).toBe(item.locale?.used);
      }
      expect((prepared.definition.template as { locale?: string }).locale).toBeUndefined();
    }
  });

  it("the constant parts every row shares are frozen: changing one row's request in place throws, never reaches later rows", async () => {
    const fixed = MESSAGE.replace('locale: "{{lang}}"\ndefaultLocale: en\n', '').replace(
      '  version: latest\n',
      '  version: latest\n  locale: nl\n',
    );
    const root = makeCatalog({ 'messages/m.yaml': fixed });
    const catalog = await openCatalog({ cwd: root, env: {}, now: NOW });
    const prepared = await prepareMessage(catalog, 'm');
    const items: RenderItem[] = [];
    for await (const i of renderMessage(prepared, {})) items.push(i);
    const [item] = items;
    expect(item?.kind).toBe('request');
    const template = (item as Extract<RenderItem, { kind: 'request' }>).request.template as Record<string, unknown>;
    expect(Object.isFrozen(template)).toBe(true);
    expect(() => {
      template.locale = 'de';
    }).toThrow(TypeError);
    expect((prepared.definition.template as { locale?: string }).locale).toBe('nl');
  });
});

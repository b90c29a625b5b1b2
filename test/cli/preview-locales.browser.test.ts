// The preview of a message in several languages, in Chromium: each row shows its locale (and its
// fallback), the switcher shows every row in one text, and Arabic and Hebrew are laid out right to left.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { artifact, guardNetwork, HAVE_CHROMIUM, launchChromium } from '../helpers/browser.js';
import { makeCatalog } from '../helpers/catalog.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const suite = HAVE_CHROMIUM ? describe : describe.skip;

const MESSAGE = `channel: whatsapp
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
    actions:
      - { type: reply, reply: { text: Update } }
translations:
  ar:
    body:
      type: text
      text:
        text: "مرحبا {{name}}، صدر chirp."
        actions:
          - { type: reply, reply: { text: تحديث } }
  he:
    body:
      type: text
      text:
        text: "שלום {{name}}, chirp יצא."
        actions:
          - { type: reply, reply: { text: עדכון } }
examples:
  - { phone: "+31612345678", lang: ar_EG, name: Ada }
  - { phone: "+31612345679", lang: he, name: Bo }
  - { phone: "+31612345670", lang: nl, name: Cy }
`;

suite('preview locales in Chromium', { timeout: 180_000 }, () => {
  let browser: Browser;
  let site: string;
  const url = (rel: string): string => pathToFileURL(join(site, rel)).href;

  beforeAll(async () => {
    browser = await launchChromium();
    const root = makeCatalog({ 'messages/notice.yaml': MESSAGE });
    site = join(tempDir('chirp-site-'), 'site');
    const result = await runCli(['preview', '--out', site], { cwd: root });
    expect(result.code, result.stderr).toBe(0);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("shows each recipient's locale, lays Arabic and Hebrew out right to left, and switches every row to one text", async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const outside = await guardNetwork(context);
    const page = await context.newPage();
    await page.goto(url('m/notice.html'));
    const rows = page.locator('.phone-wrap');
    expect(await rows.count()).toBe(3);
    expect(await page.locator('.phone-label .locale').allTextContents()).toEqual([
      'ar (fallback from ar-EG)',
      'he',
      'en (fallback from nl)',
    ]);
    // In the page (strings: the test code has no DOM types): the text's direction and where it sits in its box.
    const text = (n: number) => `document.querySelectorAll('.phone-wrap')[${n}].querySelector('.wa-text')`;
    const direction = (n: number) => page.evaluate(`getComputedStyle(${text(n)}).direction`);
    expect(await direction(0)).toBe('rtl');
    expect(await direction(1)).toBe('rtl');
    expect(await direction(2)).toBe('ltr');
    // Laid out right to left: the Arabic text starts at its box's right edge, the English at the left.
    const box = (n: number) =>
      page.evaluate<{ textRight: number; boxRight: number; textLeft: number; boxLeft: number }>(
        `(() => { const el = ${text(n)}; const range = document.createRange(); range.selectNodeContents(el); const r = range.getBoundingClientRect(); const b = el.getBoundingClientRect(); return { textRight: r.right, boxRight: b.right, textLeft: r.left, boxLeft: b.left }; })()`,
      );
    const ar = await box(0);
    expect(Math.abs(ar.boxRight - ar.textRight)).toBeLessThan(2);
    const en = await box(2);
    expect(Math.abs(en.textLeft - en.boxLeft)).toBeLessThan(2);
    await page.screenshot({ path: artifact('locales-own.png'), fullPage: true });
    // The switcher: every row in Hebrew.
    await page.locator('nav.locales a[data-locale="he"]').click();
    await page.waitForURL(/notice\.locale-he\.html$/);
    expect(await page.locator('nav.locales a[aria-current="page"]').textContent()).toBe('he');
    const texts = await page.locator('.wa-text').allTextContents();
    expect(texts.length).toBe(3);
    for (const t of texts) expect(t).toMatch(/^שלום/);
    expect(await page.locator('.phone[dir="rtl"]').count()).toBe(3);
    await page.screenshot({ path: artifact('locales-he.png'), fullPage: true });
    // And back to each recipient's own.
    await page.locator('nav.locales a[data-locale=""]').click();
    await page.waitForURL(/notice\.html$/);
    expect(await page.locator('.phone[dir="rtl"]').count()).toBe(2);
    expect(outside.map((r) => r.url())).toEqual([]);
    await context.close();
  });
});

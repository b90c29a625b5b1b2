// `chirp preview` in a real browser (Debian's Chromium via playwright-core): the static site of the
// example catalog, every body type's DOM, the list sheet, keyboard, dark mode and phone width, a
// hostile value staying text, no request to any host but the catalog's media, the live repaint
// after saving a file, and the visual diff of `plan --format html`. Screenshots go to test-artifacts/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { artifact, CHROMIUM, guardNetwork, HAVE_CHROMIUM, launchChromium } from '../helpers/browser.js';
import { makeCatalog } from '../helpers/catalog.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

if (!HAVE_CHROMIUM) {
  console.warn(
    `\n⚠️  preview browser tests SKIPPED: no Chromium at ${CHROMIUM}. Install it with \`apt-get install -y chromium\` (Debian/Ubuntu) or set CHIRP_CHROMIUM to a Chromium binary.\n`,
  );
}
const suite = HAVE_CHROMIUM ? describe : describe.skip;

// CI installs Chromium (.ci/run); there a missing browser is a failure, not a skip.
describe.runIf(!HAVE_CHROMIUM && process.env.CI === 'true')('chirp preview in CI', () => {
  it('has Chromium to test in', () => {
    expect.fail(`no Chromium at ${CHROMIUM}: .ci/run installs it with apt-get; see its output`);
  });
});

const PHONE = { width: 390, height: 844 };

/** What each body type must show (the example catalog has each at least once). */
const KIND_SELECTORS: Record<string, string[]> = {
  text: ['.wa-text'],
  image: ['.wa-media[data-kind="image"]'],
  file: ['.wa-files'],
  location: ['.wa-location .wa-loc-coords'],
  list: ['.wa-list-button'],
  carousel: ['.wa-carousel .wa-card'],
  template: ['.wa-template .wa-param'],
};

/** Screenshots referenced from docs/preview.md (copied to docs/preview/ by hand after a look). */
const DOC_SHOTS: Record<string, string> = {
  'releases/notice': 'text-with-buttons.png',
  'bird/list-with-sections-custom-button-label': 'list.png',
  'bird/carousel': 'carousel.png',
  'onboarding/welcome-template': 'template.png',
};

function mediaUrls(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => mediaUrls(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'mediaUrl' && typeof v === 'string') out.add(new URL(v).href);
      else mediaUrls(v, out);
    }
  }
  return out;
}

async function pageMedia(page: Page): Promise<Set<string>> {
  const texts = await page.locator('details.request pre').allTextContents();
  const out = new Set<string>();
  for (const t of texts) mediaUrls(JSON.parse(t), out);
  return out;
}

// Browser and CLI together are slow on a loaded 2-core machine: generous time, never a timing assertion.
suite('chirp preview in Chromium', { timeout: 180_000 }, () => {
  let browser: Browser;
  let site: string;
  const url = (rel: string): string => pathToFileURL(join(site, rel)).href;

  beforeAll(async () => {
    browser = await launchChromium();
    site = join(tempDir('chirp-site-'), 'site');
    const result = await runCli(['preview', '--out', site]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('index.html');
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
  });

  async function context(
    options: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number } } = {},
  ): Promise<{ ctx: BrowserContext; page: Page; outside: Awaited<ReturnType<typeof guardNetwork>>; errors: string[] }> {
    const ctx = await browser.newContext({
      viewport: options.viewport ?? { width: 1200, height: 900 },
      colorScheme: options.colorScheme ?? 'light',
    });
    const outside = await guardNetwork(ctx);
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => {
      errors.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    return { ctx, page, outside, errors };
  }

  it('shows every message of the example catalog with its body type, fetching nothing but its media', async () => {
    const { ctx, page, outside, errors } = await context();
    await page.goto(url('index.html'));
    const items: { id: string; kind: string; state: string }[] = [];
    for (const li of await page.locator('ul.messages li').all()) {
      items.push({
        id: (await li.getAttribute('data-id')) ?? '',
        kind: (await li.locator('.kind').textContent()) ?? '',
        state: (await li.locator('.badge').getAttribute('data-state')) ?? '',
      });
    }
    expect(items.length).toBeGreaterThanOrEqual(30);
    expect(new Set(items.map((i) => i.kind))).toEqual(new Set(Object.keys(KIND_SELECTORS)));
    const allowed = new Set<string>();
    for (const item of items) {
      expect(item.state, item.id).toBe('valid');
      await page.goto(url(`m/${item.id}.html`));
      expect(await page.locator('h2').first().textContent()).toBe(item.id);
      expect(await page.locator('.phone').count(), item.id).toBeGreaterThan(0);
      expect(await page.locator('.problem').count(), item.id).toBe(0);
      for (const selector of KIND_SELECTORS[item.kind]!)
        expect(await page.locator(selector).count(), `${item.id}: ${selector}`).toBeGreaterThan(0);
      for (const u of await pageMedia(page)) allowed.add(u);
      // Media that cannot load (no network here) shows its placeholder with the file's name.
      const media = page.locator('.wa-media');
      if ((await media.count()) > 0) {
        await expect.poll(() => page.locator('.wa-media.failed').count(), { timeout: 5000 }).toBe(await media.count());
        await expect.poll(() => page.locator('.wa-media.failed .wa-file-name').first().isVisible()).toBe(true);
      }
      const shot = DOC_SHOTS[item.id];
      if (shot)
        await page
          .locator('.phone-wrap')
          .first()
          .screenshot({ path: artifact(shot) });
    }
    expect(errors).toEqual([]);
    // Nothing but the catalog's own media left the page: no script, style or font from anywhere.
    for (const request of outside) {
      expect(['image', 'media'], request.url()).toContain(request.resourceType());
      expect(allowed.has(request.url()), request.url()).toBe(true);
    }
    expect(outside.length).toBeGreaterThan(0);
    await ctx.close();
  });

  it('renders a text with its CTA link and reply buttons, formatting and line breaks', async () => {
    const { ctx, page } = await context({ viewport: PHONE });
    // releases/notice: a text with a CTA link (WhatsApp sends a link button alone, without replies).
    await page.goto(url('m/releases/notice.html'));
    const first = page.locator('.phone-wrap').first();
    expect(await first.locator('.wa-text').innerText()).toBe(
      'Hi Ada, chirp v1.2.0 is out.\nNew in this release: batch sending with per-recipient status\n\n— The chirp team',
    );
    const link = first.locator('a.wa-cta[data-action="link"]');
    expect(await link.innerText()).toContain('Release notes');
    expect(await link.getAttribute('href')).toBe('https://github.com/example/chirp/releases/tag/v1.2.0');
    expect(await first.locator('.wa-reply').count()).toBe(0);
    expect(await first.locator('.wa-top small').innerText()).toBe('to +31 6•••• 678');
    // Phone width: nothing sticks out sideways.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await first.screenshot({ path: artifact('phone-text-with-buttons.png') });
    // The exact request sits in a collapsible panel.
    const panel = first.locator('details.request');
    expect(await panel.locator('pre').isVisible()).toBe(false);
    await panel.locator('summary').click();
    const request = JSON.parse(await panel.locator('pre').innerText()) as { body: { text: { actions: unknown[] } }; receiver: unknown };
    expect(request.body.text.actions).toEqual([
      { type: 'link', link: { text: 'Release notes', url: 'https://github.com/example/chirp/releases/tag/v1.2.0' } },
    ]);
    expect(JSON.stringify(request.receiver)).toContain('+31 6•••• 678');

    // bird/text-reply-buttons: quick replies under the bubble, no link inside it.
    await page.goto(url('m/bird/text-reply-buttons.html'));
    const replies = page.locator('.phone-wrap').first();
    expect(await replies.locator('.wa-text').innerText()).toBe('Single text message with reply actions');
    expect(await replies.locator('.wa-reply').allTextContents()).toEqual(['↩Reply action 1', '↩Reply action 2']);
    expect(await replies.locator('.wa-cta').count()).toBe(0);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await ctx.close();
  });

  it("draws a text that mixes a CTA link with reply buttons as written, and shows WhatsApp's refusal at its buttons", async () => {
    const root = makeCatalog({
      'messages/mixed.yaml': `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
body:
  type: text
  text:
    text: "*New* release\\nsee the notes"
    actions:
      - { type: link, link: { text: Release notes, url: "https://example.com/notes" } }
      - { type: reply, reply: { text: Upgrade now } }
      - { type: reply, reply: { text: Remind me later } }
examples:
  - { phone: "+31612345678" }
`,
    });
    const out = join(root, 'site');
    const result = await runCli(['preview', '--out', out], { cwd: root });
    expect(result.code, result.stderr).toBe(0);
    const { ctx, page, outside } = await context({ viewport: PHONE });
    await page.goto(pathToFileURL(join(out, 'index.html')).href);
    expect(await page.locator('ul.messages li[data-id="mixed"] .badge').getAttribute('data-state')).toBe('errors');
    await page.goto(pathToFileURL(join(out, 'm/mixed.html')).href);
    const phone = page.locator('.phone-wrap').first();
    expect(await phone.locator('.wa-text').innerText()).toBe('New release\nsee the notes');
    expect(await phone.locator('.wa-text strong').innerText()).toBe('New');
    const link = phone.locator('a.wa-cta[data-action="link"]');
    expect(await link.innerText()).toContain('Release notes');
    expect(await link.getAttribute('href')).toBe('https://example.com/notes');
    expect(await phone.locator('.wa-reply').allTextContents()).toEqual(['↩Upgrade now', '↩Remind me later']);
    const problem = page.locator('.problem[data-code="E_WA_LINK_WITH_REPLIES"]');
    expect(await problem.count()).toBeGreaterThan(0);
    expect(await problem.first().innerText()).toContain('2 reply buttons');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await phone.screenshot({ path: artifact('phone-link-with-replies.png') });
    expect(outside.map((r) => r.url())).toEqual([]);
    await ctx.close();
  });

  it('opens the list sheet with its sections and rows, by mouse and by keyboard', async () => {
    const { ctx, page } = await context({ viewport: PHONE });
    await page.goto(url('m/bird/list-with-sections-custom-button-label.html'));
    const button = page.locator('.wa-list-button');
    expect(await button.innerText()).toContain('Show options');
    const sheet = page.locator('.wa-sheet');
    expect(await sheet.isVisible()).toBe(false);
    await button.click();
    await expect.poll(() => sheet.isVisible()).toBe(true);
    expect(await sheet.locator('.wa-section-title').allTextContents()).toEqual(['Section 1', 'Section 2']);
    expect(await sheet.locator('.wa-row-title').allInnerTexts()).toEqual([
      'Postback action 1',
      'Postback action 2',
      'Postback action 3',
      'Postback action 4',
    ]);
    expect(await sheet.locator('.wa-row-desc').first().innerText()).toBe('Postback action description 1');
    await page.screenshot({ path: artifact('list-sheet.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => sheet.isVisible()).toBe(false);
    await button.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => sheet.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await page
      .locator('.phone-wrap')
      .first()
      .screenshot({ path: artifact('phone-list.png') });
    await ctx.close();
  });

  it('shows carousel cards side by side, files by name and type, the location card, the quoted reply and template parameters', async () => {
    const { ctx, page } = await context({ viewport: PHONE });
    await page.goto(url('m/bird/carousel.html'));
    const cards = page.locator('.wa-card');
    expect(await cards.count()).toBe(2);
    const [a, b] = [await cards.nth(0).boundingBox(), await cards.nth(1).boundingBox()];
    expect(b!.x).toBeGreaterThan(a!.x + a!.width - 1);
    expect(Math.abs(b!.y - a!.y)).toBeLessThan(2);
    expect(await page.locator('.wa-card-title').allInnerTexts()).toEqual(['Card 1', 'Card 2']);
    expect(await page.locator('.wa-card a.wa-cta').first().getAttribute('href')).toBe('https://www.bird.com/');
    await expect.poll(() => page.locator('.wa-card .wa-media.failed .wa-file-name').allInnerTexts()).toEqual(['image1.jpg', 'image2.jpg']);
    await page
      .locator('.phone-wrap')
      .first()
      .screenshot({ path: artifact('phone-carousel.png') });

    await page.goto(url('m/bird/file-multiple-two-postback-one-reply.html'));
    expect(await page.locator('.wa-doc .wa-file-name').innerText()).toBe('passport.pdf');
    expect(await page.locator('.wa-doc .wa-file-type').innerText()).toBe('application/pdf');
    await expect.poll(() => page.locator('.wa-media[data-kind="video"].failed .wa-file-name').innerText()).toBe('video.mp4');
    expect(await page.locator('.wa-media[data-kind="video"] .wa-file-type').innerText()).toBe('video/mp4');

    await page.goto(url('m/bird/location.html'));
    expect(await page.locator('.wa-loc-label').innerText()).toBe('MessageBird Amsterdam office');
    expect(await page.locator('.wa-loc-address').innerText()).toBe('Trompenburgstraat 2C, 1079 TX Amsterdam');
    expect(await page.locator('.wa-loc-coords').innerText()).toBe('52.34359, 4.90911');

    await page.goto(url('m/bird/reply-to-text.html'));
    expect(await page.locator('.wa-quote .wa-quote-id').innerText()).toMatch(/^[0-9a-f-]{36}$/);

    // The template as the recipient reads it (templates.lock.json), its URL button a link; the parameters fold out.
    await page.goto(url('m/onboarding/welcome-template.html'));
    const template = page.locator('.phone-wrap').first();
    expect(await template.locator('.wa-header').innerText()).toBe('Welcome to chirp');
    expect(await template.locator('.wa-text').innerText()).toBe('Hi Ada, your free trial of 14 days starts today.');
    expect(await template.locator('.wa-footer').innerText()).toBe('Reply STOP to opt out');
    const start = template.locator('a.wa-cta[data-action="link"]');
    expect(await start.innerText()).toContain('Get started');
    expect(await start.getAttribute('href')).toBe('https://chirp.example/start');
    expect(await template.locator('.wa-reply').count()).toBe(0);
    const params = template.locator('.wa-param');
    expect(await params.first().isVisible()).toBe(false);
    await template.locator('details.wa-template-params summary').click();
    await expect.poll(() => params.first().isVisible()).toBe(true);
    expect(await params.locator('dt code').allInnerTexts()).toEqual(['first_name', 'trial_days']);
    expect(await params.locator('dd').allInnerTexts()).toEqual(['Ada', '14']);
    await page
      .locator('.phone-wrap')
      .first()
      .screenshot({ path: artifact('phone-template.png') });
    await ctx.close();
  });

  it('is usable by keyboard, readable in dark mode', async () => {
    const { ctx, page } = await context({ colorScheme: 'dark' });
    await page.goto(url('index.html'));
    await page.keyboard.press('j');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('carousel');
    await page.keyboard.press('j');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('file-multiple');
    await page.keyboard.press('/');
    await page.keyboard.type('with-sections');
    // The filter runs on the input events: wait for it (a loaded machine may deliver them late), then count.
    await page.waitForFunction("document.querySelectorAll('ul.messages li:not([hidden])').length <= 2", undefined, { timeout: 10_000 });
    expect(await page.locator('ul.messages li:not([hidden])').count()).toBe(2);
    await page.keyboard.press('Escape');
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await page.waitForURL(/list-with-sections\.html$/);
    await page.keyboard.press('n');
    await page.waitForURL(/list-with-sections-custom-button-label\.html$/);
    const colors = await page.evaluate<{ page: string; bubble: string; ink: string }>(`(() => {
      const bubble = getComputedStyle(document.querySelector('.wa-bubble'));
      return { page: getComputedStyle(document.body).backgroundColor, bubble: bubble.backgroundColor, ink: bubble.color };
    })()`);
    expect(colors.page).toBe('rgb(13, 17, 23)');
    expect(colors.bubble).toBe('rgb(32, 44, 51)');
    expect(colors.ink).toBe('rgb(233, 237, 239)');
    await page.screenshot({ path: artifact('dark-list.png') });
    await ctx.close();
  });

  it('keeps a hostile value as text: no markup, no script, no javascript: link', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>*"bold"*';
    const root = makeCatalog({
      'messages/evil.yaml': `description: ${JSON.stringify(`<b onmouseover=alert(1)>desc</b>`)}
channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
  name: { type: string }
body:
  type: list
  list:
    title: Menu
    text: "Hi {{name}}"
    altText: "<svg onload=alert()>"
    items:
      - title: "</h4><script>1</script>"
        actions:
          - { type: reply, reply: { text: "<i>row</i>" } }
examples:
  - { phone: "+31612345678", name: ${JSON.stringify(hostile)} }
`,
      'messages/link.yaml': `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
body:
  type: text
  text:
    text: "x"
    actions:
      - { type: link, link: { text: Click, url: "javascript:window.__pwned=4" } }
examples:
  - { phone: "+31612345678" }
`,
    });
    const out = join(root, 'site');
    const result = await runCli(['preview', '--out', out], { cwd: root });
    expect(result.code, result.stderr).toBe(0);
    const { ctx, page, errors, outside } = await context();
    await page.goto(pathToFileURL(join(out, 'm/evil.html')).href);
    expect(await page.locator('.wa-text').innerText()).toBe(`Hi ${hostile.replace('*"bold"*', '"bold"')}`);
    expect(await page.locator('.wa-text strong').innerText()).toBe('"bold"');
    await page.locator('.wa-list-button').click();
    expect(await page.locator('.wa-section-title').textContent()).toBe('</h4><script>1</script>');
    expect(await page.locator('main img, main script').count()).toBe(0);
    expect(await page.locator('.wa-row-title').innerText()).toBe('<i>row</i>');
    expect(await page.locator('.wa-list-button').innerText()).toContain('<svg onload=alert()>');
    await page.goto(pathToFileURL(join(out, 'index.html')).href);
    expect(await page.locator('.desc').first().innerText()).toBe('<b onmouseover=alert(1)>desc</b>');
    await page.goto(pathToFileURL(join(out, 'm/link.html')).href);
    const cta = page.locator('[data-action="link"]');
    expect(await cta.getAttribute('href')).toBeNull();
    await cta.click();
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(errors).toEqual([]);
    expect(outside.map((r) => r.url())).toEqual([]);
    await ctx.close();
  });

  it('repaints an open page after a save (the time is logged, not asserted), without reloading it (served on 127.0.0.1)', async () => {
    const text = (s: string) => `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
body:
  type: text
  text: { text: ${JSON.stringify(s)} }
examples:
  - { phone: "+31612345678" }
`;
    const root = makeCatalog({ 'messages/news/hello.yaml': text('First version') });
    const server = spawnCli(['preview', '--port', '0'], { cwd: root, timeoutMs: 120_000 });
    try {
      const base = await new Promise<string>((resolve, reject) => {
        let out = '';
        server.child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /^(http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(out);
          if (m) resolve(m[1]!);
        });
        server.child.on('exit', (code) => reject(new Error(`preview exited ${code}`)));
      });
      const { ctx, page, outside, errors } = await context({ viewport: PHONE });
      await page.goto(`${base}m/news/hello.html`);
      // (The page's CSP forbids eval, so waits poll the DOM through locators.)
      await expect.poll(() => page.locator('#live-status').textContent(), { timeout: 10_000 }).toBe('live');
      expect(await page.locator('.wa-text').innerText()).toBe('First version');
      await page.evaluate('window.__stay = 42');
      await page.locator('details.request summary').click();

      const saved = Date.now();
      writeFileSync(join(root, 'messages/news/hello.yaml'), text('Second *version*'));
      await expect.poll(() => page.locator('.wa-text').textContent(), { timeout: 10_000, interval: 20 }).toBe('Second version');
      const elapsed = Date.now() - saved;
      console.log(`preview repaint after save: ${elapsed} ms`);
      expect(await page.locator('.wa-text strong').innerText()).toBe('version');
      expect(await page.evaluate('window.__stay')).toBe(42);
      expect(await page.locator('details.request').getAttribute('open')).not.toBeNull();

      // A broken edit shows its problem at the part it concerns, with its code; the fix repaints again.
      writeFileSync(join(root, 'messages/news/hello.yaml'), text('x'.repeat(4097)));
      await page.waitForSelector('.problem[data-code="E_WA_TEXT_LENGTH"]', { timeout: 10_000 });
      expect(await page.locator('.badge[data-state="errors"]').count()).toBeGreaterThan(0);
      await page.screenshot({ path: artifact('live-problem.png') });
      writeFileSync(join(root, 'messages/news/hello.yaml'), text('Fixed'));
      await expect.poll(() => page.locator('.wa-text').textContent(), { timeout: 10_000 }).toBe('Fixed');
      expect(await page.locator('.problem').count()).toBe(0);
      expect(await page.evaluate('window.__stay')).toBe(42);
      expect(errors).toEqual([]);
      expect(outside.map((r) => r.url())).toEqual([]);
      await ctx.close();
    } finally {
      server.child.kill('SIGTERM');
      const done = await server.done;
      expect(done.code).toBe(0);
    }
  });

  it('shows a changed message before and after, changed words marked, recipients masked (plan --format html)', async () => {
    const message = (text: string, button: string) => `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
  name: { type: string }
body:
  type: text
  text:
    text: ${JSON.stringify(text)}
    actions:
      - { type: reply, reply: { text: ${button} } }
examples:
  - { phone: "+31612345678", name: Ada }
  - { phone: "+31612345679", name: Bram }
`;
    const root = makeCatalog({ 'messages/notice.yaml': message('Hi {{name}}, version one is out.', 'Upgrade') });
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: root,
        env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' },
      });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'x');
    writeFileSync(join(root, 'messages/notice.yaml'), message('Hi {{name}}, version two is out!', 'Upgrade now'));
    const result = await runCli(['plan', '--base', 'HEAD', '--format', 'html', '--out', 'diff'], { cwd: root });
    expect(result.code, result.stderr).toBe(0);
    const file = join(root, 'diff', 'index.html');
    const doc = readFileSync(file, 'utf8');
    expect(doc).not.toContain('+31612345678');
    const { ctx, page, outside } = await context();
    await page.goto(pathToFileURL(file).href);
    const group = page.locator('.diff-group').first();
    expect(await group.locator('h3').innerText()).toContain('2 recipients: same change');
    expect(await group.locator('.before .wa-text').innerText()).toBe('Hi Ada, version one is out.');
    expect(await group.locator('.after .wa-text').innerText()).toBe('Hi Ada, version two is out!');
    expect(await group.locator('.before .wa-text mark').allInnerTexts()).toEqual(['one', 'out.']);
    expect(await group.locator('.after .wa-text mark').allInnerTexts()).toEqual(['two', 'out!']);
    expect(await group.locator('.after .wa-reply mark').allInnerTexts()).toEqual(['now']);
    expect(await group.locator('.wa-who strong').first().innerText()).toBe('+31 6•••• 678');
    await page.screenshot({ path: artifact('visual-diff.png'), fullPage: true });
    expect(outside.map((r) => r.url())).toEqual([]);
    await ctx.close();
  });
});

// Debian's Chromium through playwright-core, for the preview's end-to-end tests. No browser is
// downloaded: without /usr/bin/chromium (or CHIRP_CHROMIUM) the tests are skipped with a visible notice.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Request } from 'playwright-core';
import { REPO } from './cli.js';

export const CHROMIUM = process.env.CHIRP_CHROMIUM ?? '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A fresh profile every launch (playwright's own temporary user-data-dir). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Screenshots are artifacts to look at (never pixel-compared): test-artifacts/ (gitignored). */
export const ARTIFACTS = join(REPO, 'test-artifacts', 'preview');
export function artifact(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}

/**
 * Every request of the context is recorded; only file:// and 127.0.0.1 pass. Anything else (a
 * catalog media URL, or what must never happen: a CDN, a font) is aborted, so no traffic leaves.
 */
export async function guardNetwork(context: BrowserContext): Promise<Request[]> {
  const outside: Request[] = [];
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'file:' || url.hostname === '127.0.0.1') return route.continue();
    outside.push(route.request());
    return route.abort('internetdisconnected');
  });
  return outside;
}

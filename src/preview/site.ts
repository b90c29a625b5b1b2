// Pages by path, shared by the server and the static site: `index.html`, `m/<id>.html`,
// `m/<id>.page-N.html`. Everything is read fresh for each page, so a saved file shows at once.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UserError } from '../errors.js';
import { loadCatalog, loadPreviewMessage, maskDigits, type PreviewSource } from './model.js';
import { errorPage, indexPage, messageFile, messagePage, type PageContext } from './page.js';
import type { PreviewProblem, TemplateTextFn } from './types.js';

export interface SiteOptions extends PreviewSource {
  /** The clock for the bubbles' time. */
  now: () => Date;
  templateText?: TemplateTextFn;
}

export interface PageResult {
  status: number;
  html: string;
  /** A message page whose data rows go on. */
  hasNext?: boolean;
}

export type Route = { kind: 'index' } | { kind: 'message'; id: string; page: number; locale?: string };

/** `/m/bird/carousel.page-2.html` → message bird/carousel, page 2; `.locale-nl` before it: shown in nl. Undefined for anything else. */
export function parseRoute(pathname: string): Route | undefined {
  if (pathname === '/' || pathname === '/index.html') return { kind: 'index' };
  const m = /^\/m\/(.+?)(?:\.locale-([A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,4}))?(?:\.page-([1-9]\d{0,6}))?\.html$/.exec(pathname);
  if (!m) return undefined;
  let id: string;
  try {
    id = m[1]!.split('/').map(decodeURIComponent).join('/');
  } catch {
    return undefined;
  }
  return { kind: 'message', id, page: m[3] ? Number(m[3]) : 1, ...(m[2] ? { locale: m[2] } : {}) };
}

function clock(now: Date): string {
  return `${String(now.getHours()).padStart(2, '0')}:${String(now.getMinutes()).padStart(2, '0')}`;
}

function problemsOf(error: UserError, reveal: boolean): PreviewProblem[] {
  return error.diagnostics.map((d) => ({
    code: d.code,
    severity: d.severity,
    message: reveal ? d.message : maskDigits(d.message, [d.row, d.line, d.column]),
    pointer: d.pointer,
    where: `${d.file}:${d.line}:${d.column}`,
    ...(d.hint ? { hint: d.hint } : {}),
  }));
}

export class PreviewSite {
  constructor(private readonly options: SiteOptions) {}

  private context(live: boolean, generation: number): PageContext {
    return {
      live,
      generation,
      nonce: randomBytes(16).toString('base64'),
      time: clock(this.options.now()),
      ...(this.options.templateText ? { templateText: this.options.templateText } : {}),
    };
  }

  async render(route: Route, live: boolean, generation = 0): Promise<PageResult> {
    const ctx = this.context(live, generation);
    const root = route.kind === 'message' ? '../'.repeat(route.id.split('/').length) : './';
    try {
      if (route.kind === 'index') return { status: 200, html: indexPage(await loadCatalog(this.options), ctx) };
      const found = await loadPreviewMessage(this.options, route.id, route.page, route.locale);
      if (!found)
        return {
          status: 404,
          html: errorPage('Not found', `There is no message "${route.id}" in the catalog (renamed or deleted?).`, [], ctx, root),
        };
      const at = found.ids.indexOf(route.id);
      const nav = { ...(at > 0 ? { prev: found.ids[at - 1]! } : {}), ...(at + 1 < found.ids.length ? { next: found.ids[at + 1]! } : {}) };
      return { status: 200, html: messagePage(found.message, ctx, nav), hasNext: found.message.page.hasNext };
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      // A broken config or data file is shown, not thrown: the page repaints once it is fixed.
      const text = this.options.reveal ? error.message : maskDigits(error.message);
      return {
        status: 422,
        html: errorPage('The catalog cannot be read', text, problemsOf(error, this.options.reveal ?? false), ctx, root),
      };
    }
  }
}

export interface StaticSiteResult {
  /** Written files, relative to the folder. */
  files: string[];
  messages: number;
  /** Messages whose data rows did not all fit (more than `maxPages` pages). */
  truncated: string[];
}

/**
 * The preview as a static, self-contained site: `index.html` and one page per message (and per page
 * of data rows, at most `maxPages`). No script, style or font from anywhere; only the media URLs
 * of the catalog are fetched by a browser that opens it.
 */
export async function writeStaticSite(options: SiteOptions & { outDir: string; maxPages?: number }): Promise<StaticSiteResult> {
  const site = new PreviewSite(options);
  const files: string[] = [];
  const truncated: string[] = [];
  const put = async (rel: string, text: string): Promise<void> => {
    const full = join(options.outDir, rel);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, text);
    files.push(rel);
  };
  const catalog = await loadCatalog(options);
  const index = await site.render({ kind: 'index' }, false);
  await put('index.html', index.html);
  const maxPages = options.maxPages ?? 50;
  for (const m of catalog.messages) {
    for (let page = 1; ; page++) {
      const result = await site.render({ kind: 'message', id: m.id, page }, false);
      await put(messageFile(m.id, page), result.html);
      if (!result.hasNext) break;
      if (page >= maxPages) {
        truncated.push(m.id);
        break;
      }
    }
    // The locale switcher's pages (first page of rows each): every text of a message with translations.
    const found = await loadPreviewMessage(options, m.id, 1);
    for (const locale of found?.message.locales?.available ?? []) {
      const result = await site.render({ kind: 'message', id: m.id, page: 1, locale }, false);
      await put(messageFile(m.id, 1, locale), result.html);
    }
  }
  return { files, messages: catalog.messages.length, truncated };
}

// Whole pages: the index (catalog by folder) and one page per message (a phone per row). The same
// HTML is served live and written as a static site, so every link is relative.
import { chatView, problemList } from './chat.js';
import { CLIENT_SCRIPT } from './client.js';
import { html, Html, type HtmlValue } from './html.js';
import { STYLES } from './styles.js';
import type { MessageSummary, PreviewCatalog, PreviewMessage, PreviewProblem, PreviewRow, TemplateTextFn } from './types.js';

export interface PageContext {
  /** Served with live repaint (server-sent events), or static. */
  live: boolean;
  /** CSP nonce of the page's one style and one script. */
  nonce: string;
  /** Bubble time, "09:41". */
  time: string;
  /** Changes counted by the server; the page compares it on reconnect. */
  generation: number;
  templateText?: TemplateTextFn;
}

/** `m/bird/carousel.html`, `m/bird/carousel.page-2.html`: one file per message (and data page). */
export function messagePath(id: string, page = 1): string {
  return `m/${id.split('/').map(encodeURIComponent).join('/')}${page > 1 ? `.page-${page}` : ''}.html`;
}

/** The same path as a file name on disk (segments as they are); `locale`: the switcher's page of that text. */
export function messageFile(id: string, page = 1, locale?: string): string {
  return `m/${id}${locale !== undefined ? `.locale-${locale}` : ''}${page > 1 ? `.page-${page}` : ''}.html`;
}

function rootOf(id: string): string {
  return '../'.repeat(id.split('/').length);
}

const STATE_TEXT = { valid: 'valid', warnings: 'warnings', errors: 'errors' } as const;

function badge(m: Pick<MessageSummary, 'state' | 'errors' | 'warnings'>): Html {
  const text =
    m.state === 'valid'
      ? 'valid'
      : m.state === 'errors'
        ? `${m.errors} error${m.errors === 1 ? '' : 's'}${m.warnings ? `, ${m.warnings} warning${m.warnings === 1 ? '' : 's'}` : ''}`
        : `${m.warnings} warning${m.warnings === 1 ? '' : 's'}`;
  return html`<span class="badge ${STATE_TEXT[m.state]}" data-state="${m.state}">${text}</span>`;
}

/**
 * The origins of the media a page shows (`<img src>`, `<video src>`): the only hosts its CSP lets it
 * fetch from (docs/preview.md). Anything that is not a plain http(s) origin is left out: blocked.
 */
export function mediaOrigins(main: string): string[] {
  const origins = new Set<string>();
  for (const m of main.matchAll(/<(?:img|video|audio|source)\b[^>]*?\ssrc="(https?:[^"]*)"/g)) {
    try {
      const origin = new URL(m[1]!.replace(/&amp;/g, '&')).origin;
      if (/^https?:\/\/[a-z0-9.\-[\]:]+$/i.test(origin)) origins.add(origin);
    } catch {
      // not a URL: nothing is allowed for it
    }
  }
  return [...origins].sort();
}

export function layout(options: { title: string; root: string; ctx: PageContext; crumbs: HtmlValue; main: Html; nav?: HtmlValue }): string {
  const { ctx } = options;
  const media = mediaOrigins(options.main.value).join(' ') || "'none'";
  const csp = [
    "default-src 'none'",
    `img-src ${media}`,
    `media-src ${media}`,
    `style-src 'nonce-${ctx.nonce}'`,
    `script-src 'nonce-${ctx.nonce}'`,
    ctx.live ? "connect-src 'self'" : "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
  ].join('; ');
  return `<!doctype html>\n${html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="Content-Security-Policy" content="${csp}"><meta name="referrer" content="no-referrer"><title>${options.title}</title><style nonce="${ctx.nonce}">${new Html(STYLES)}</style></head><body data-root="${options.root}"${ctx.live ? html` data-live="1" data-generation="${ctx.generation}"` : ''}><a class="skip" href="#main">Skip to content</a><header class="top"><h1><a href="${options.root}index.html" rel="index">chirp preview</a></h1><nav class="crumbs" aria-label="Breadcrumb">${options.crumbs}</nav>${options.nav ?? ''}<span class="status" id="live-status" role="status" aria-live="polite">${ctx.live ? 'connecting…' : 'static'}</span></header>${options.main}<footer class="keys"><span><kbd>/</kbd> filter · <kbd>j</kbd>/<kbd>k</kbd> next/previous message · <kbd>n</kbd>/<kbd>p</kbd> next/previous page · <kbd>u</kbd> index · <kbd>r</kbd> request panels · <kbd>Esc</kbd> closes a list</span></footer><script nonce="${ctx.nonce}">${new Html(CLIENT_SCRIPT)}</script></body></html>`.value}\n`;
}

export function indexPage(catalog: PreviewCatalog, ctx: PageContext): string {
  const folders = new Map<string, MessageSummary[]>();
  for (const m of catalog.messages) folders.set(m.folder, [...(folders.get(m.folder) ?? []), m]);
  const counts = { valid: 0, warnings: 0, errors: 0 };
  for (const m of catalog.messages) counts[m.state]++;
  const sections = [...folders].map(
    ([folder, messages]) =>
      html`<section class="folder" aria-labelledby="folder-${folder || 'top'}"><h2 id="folder-${folder || 'top'}">${folder ? `${folder}/` : 'messages/'}</h2><ul class="messages">${messages.map((m) => html`<li data-id="${m.id}" data-search="${[m.id, m.kind, m.state, ...m.codes, m.description ?? ''].join(' ')}"><a class="msg-link" id="link-${m.id}" href="${messagePath(m.id)}">${m.name}</a> <span class="kind">${m.kind || '?'}</span> ${badge(m)}${m.codes.length ? html` <span class="codes">${m.codes.join(' ')}</span>` : ''}${m.description ? html`<span class="desc">${m.description}</span>` : ''}</li>`)}</ul></section>`,
  );
  const main = html`<main id="main"><p class="meta-line">${catalog.messages.length} message${catalog.messages.length === 1 ? '' : 's'}: ${counts.valid} valid, ${counts.warnings} with warnings, ${counts.errors} with errors${catalog.data ? html` · rows from <code>${catalog.data}</code>` : ''}</p>${catalog.problems.length ? html`<section aria-label="Catalog problems">${problemList(catalog.problems)}</section>` : ''}<div class="filter"><label for="filter">Filter</label><input id="filter" type="search" placeholder="id, folder, type, code… (press /)" autocomplete="off"></div>${catalog.messages.length ? sections : html`<p>No message files under <code>messages/</code>.</p>`}</main>`;
  return layout({ title: 'chirp preview', root: './', ctx, crumbs: html`<span>${catalog.messages.length} messages</span>`, main });
}

function pretty(json: string): string {
  return JSON.stringify(JSON.parse(json) as unknown, null, 2);
}

function rowView(m: PreviewMessage, row: PreviewRow, ctx: PageContext, nth: number): Html {
  const content = row.request ?? row.unrendered;
  const view = content
    ? chatView(content, {
        problems: row.problems,
        idPrefix: `r${nth}`,
        time: ctx.time,
        ...(ctx.templateText ? { templateText: ctx.templateText } : {}),
      })
    : { html: html`<div class="wa-chat"><p class="wa-empty">Not rendered.</p></div>`, unplaced: row.problems };
  const who = m.channel || 'channel';
  const to = row.recipient ?? (row.unrendered ? '(not rendered)' : '');
  const json = row.json
    ? html`<details class="request" data-key="json-${row.index}"><summary>Request JSON <small>(${row.json.length.toLocaleString('en-US')} bytes as sent${m.revealed ? '' : '; recipient masked'})</small></summary><pre><code>${pretty(row.json)}</code></pre></details>`
    : '';
  const locale = row.locale
    ? html`<span class="locale" data-locale="${row.locale.used}">${row.locale.used}${row.locale.fallback ? html` <small>(fallback from ${row.locale.requested})</small>` : ''}</span>`
    : '';
  const dir = row.locale ? html` lang="${row.locale.used}" dir="${row.dir ?? 'ltr'}"` : '';
  return html`<section class="phone-wrap" aria-label="${row.label}" data-row="${row.index}"><p class="phone-label"><span>${row.label}</span>${locale}${row.unrendered ? html`<span class="badge errors">not rendered</span>` : ''}</p><div class="phone"${dir}><div class="wa-top"><span class="wa-avatar" aria-hidden="true">${(who[0] ?? '?').toUpperCase()}</span><span class="wa-who"><strong>${who}</strong><small>to ${to}</small></span></div>${view.html}</div>${view.unplaced.length ? html`<div class="row-problems">${problemList(view.unplaced)}</div>` : ''}${json}</section>`;
}

function pager(m: PreviewMessage): Html {
  if (m.source.kind !== 'data') return html``;
  const last = m.page.first + m.rows.length - 1;
  const locale = m.locales?.selected;
  return html`<nav class="pager" aria-label="Rows">${m.page.number > 1 ? html`<a href="${pageLink(m.id, m.page.number - 1, locale)}" rel="prev-rows">← rows ${m.page.first - m.page.size}–${m.page.first - 1}</a>` : ''}<span>rows ${m.page.first}–${last}</span>${m.page.hasNext ? html`<a href="${pageLink(m.id, m.page.number + 1, locale)}" rel="next-rows">rows ${last + 1}– →</a>` : ''}</nav>`;
}

/** A link from one page of a message to another page (or locale) of the same message. */
function pageLink(id: string, page: number, locale?: string): string {
  const name = id.split('/').pop()!;
  return `${encodeURIComponent(name)}${locale !== undefined ? `.locale-${locale}` : ''}${page > 1 ? `.page-${page}` : ''}.html`;
}

/** The locale switcher: each recipient's own locale, or every row in one of the message's texts. */
function localeSwitcher(m: PreviewMessage): Html {
  if (!m.locales) return html``;
  const { available, selected } = m.locales;
  const link = (locale: string | undefined, text: string): Html =>
    locale === selected
      ? html`<a aria-current="page" href="${pageLink(m.id, 1, locale)}" data-locale="${locale ?? ''}">${text}</a>`
      : html`<a href="${pageLink(m.id, 1, locale)}" data-locale="${locale ?? ''}">${text}</a>`;
  return html`<nav class="locales" aria-label="Locale">${link(undefined, "each recipient's")}${available.map((l) => link(l, l))}</nav>`;
}

export function messagePage(m: PreviewMessage, ctx: PageContext, nav: { prev?: string; next?: string }): string {
  const root = rootOf(m.id);
  const rows = m.rows.map((row, i) => rowView(m, row, ctx, i));
  const source =
    m.rows.length === 1 && m.rows[0]!.index === 0
      ? html`not rendered`
      : m.source.kind === 'data'
        ? html`rows from <code>${m.source.name}</code>`
        : html`${m.rows.length} example${m.rows.length === 1 ? '' : 's'}`;
  const problems: PreviewProblem[] = m.problems;
  const links = html`<nav class="neighbours" aria-label="Messages">${nav.prev ? html`<a href="${root}${messagePath(nav.prev)}" rel="prev">← ${nav.prev}</a> ` : ''}${nav.next ? html`<a href="${root}${messagePath(nav.next)}" rel="next">${nav.next} →</a>` : ''}</nav>`;
  const main = html`<main id="main" data-message="${m.id}">${links}<div class="message-head"><h2>${m.id}</h2><p class="meta-line"><code>${m.file}</code> · <span class="kind">${m.kind || '?'}</span> ${badge(m)} · ${source}</p>${m.description ? html`<p>${m.description}</p>` : ''}</div>${problems.length ? html`<section class="message-problems" aria-label="Problems of the message">${problemList(problems)}</section>` : ''}${localeSwitcher(m)}${pager(m)}${m.rows.length ? html`<div class="phones">${rows}</div>` : html`<p class="notice">No rows to show${m.source.kind === 'examples' ? ': add `examples` to the message file' : ''}.</p>`}${pager(m)}</main>`;
  return layout({
    title: `${m.id} · chirp preview`,
    root,
    ctx,
    crumbs: html`<a href="${root}index.html">catalog</a> / <span>${m.id}</span>`,
    main,
  });
}

export function errorPage(title: string, text: string, problems: readonly PreviewProblem[], ctx: PageContext, root = './'): string {
  const main = html`<main id="main"><h2>${title}</h2><p>${text}</p>${problems.length ? problemList(problems) : ''}</main>`;
  return layout({ title: `${title} · chirp preview`, root, ctx, crumbs: html`<a href="${root}index.html">catalog</a>`, main });
}

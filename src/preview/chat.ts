// One request as the recipient sees it in WhatsApp: bubbles, buttons, media, list sheet, carousel,
// location, quoted reply, template. Every string goes through `text()` (escaped, formatted, changed
// words marked in a diff); every part leaves a spot where the problems about it are listed.
import type { JsonObject, JsonValue } from '../types.js';
import { html, Html, join, safeUrl, type HtmlValue } from './html.js';
import type { PreviewProblem, TemplateText, TemplateTextFn } from './types.js';
import { ICONS } from './icons.js';
import { formatWhatsApp, plainText } from './whatsapp-format.js';
import { markChangedWords } from './word-diff.js';

export interface ChatOptions {
  /** Problems of this row (and the definition), placed at the part their pointer names. */
  problems?: readonly PreviewProblem[];
  /** The other side of a diff: words and parts that differ from it are highlighted. */
  compare?: JsonObject;
  templateText?: TemplateTextFn;
  /** Shown in each bubble ("09:41"). */
  time?: string;
  /** Unique on the page: ids of list sheets derive from it. */
  idPrefix: string;
}

export interface ChatView {
  html: Html;
  /** Problems no part of the view matches (the row's own, `tags`, `meta`, …). */
  unplaced: PreviewProblem[];
}

type Obj = Record<string, JsonValue>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
const list = (v: unknown): JsonValue[] => (Array.isArray(v) ? (v as JsonValue[]) : []);

function ptr(base: string, ...segments: (string | number)[]): string {
  return base + segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  let node = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isObj(node) && Object.hasOwn(node, key)) node = node[key];
    else return undefined;
  }
  return node;
}

const EXTENSION_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  mp4: 'video/mp4',
  '3gp': 'video/3gpp',
  mov: 'video/quicktime',
  pdf: 'application/pdf',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
};

/** The file name a URL points at (`image2.avif` for …%2Fimage2.avif?alt=media). */
export function fileNameOf(url: string): string {
  try {
    const path = decodeURIComponent(new URL(url).pathname);
    return path.split('/').filter(Boolean).pop() ?? url;
  } catch {
    return url.split(/[?#]/)[0]!.split('/').filter(Boolean).pop() ?? url;
  }
}

function typeOf(name: string, contentType: string | undefined): string {
  if (contentType) return contentType;
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  return (ext && EXTENSION_TYPES[ext]) ?? 'unknown type';
}

class ChatRenderer {
  private readonly spots: string[] = [];
  private sheets = 0;

  constructor(private readonly options: ChatOptions) {}

  /** Where the problems about `pointer` (and below it, unless a deeper spot takes them) are listed. */
  spot(pointer: string): Html {
    this.spots.push(pointer);
    return new Html(`<!--chirp-spot:${this.spots.length - 1}-->`);
  }

  /** A string of the message: escaped; WhatsApp-formatted when `format`; changed words marked in a diff. */
  text(pointer: string, value: unknown, format = true): Html {
    const s = str(value) ?? '';
    if (!this.options.compare) return format ? formatWhatsApp(s) : plainText(s);
    const other = str(valueAt(this.options.compare, pointer));
    const marked = markChangedWords(s, other);
    return format ? formatWhatsApp(marked, { marks: true }) : plainText(marked, { marks: true });
  }

  /** ` changed` when the part differs from the other side of a diff. */
  changed(pointer: string, value: unknown): string {
    if (!this.options.compare) return '';
    return JSON.stringify(valueAt(this.options.compare, pointer)) === JSON.stringify(value) ? '' : ' changed';
  }

  time(): Html {
    return this.options.time ? html`<span class="wa-meta"><span class="wa-time">${this.options.time}</span></span>` : html``;
  }

  finish(markup: Html): ChatView {
    const placed = new Map<number, PreviewProblem[]>();
    const unplaced: PreviewProblem[] = [];
    for (const problem of this.options.problems ?? []) {
      const pointer = problem.pointer === '/to' ? '/receiver' : problem.pointer;
      let best = -1;
      this.spots.forEach((spot, i) => {
        const covers = pointer === spot || pointer.startsWith(`${spot}/`);
        if (covers && (best < 0 || spot.length > this.spots[best]!.length)) best = i;
      });
      if (best < 0 || pointer === '') unplaced.push(problem);
      else placed.set(best, [...(placed.get(best) ?? []), problem]);
    }
    const out = markup.value.replace(/<!--chirp-spot:(\d+)-->/g, (_, n: string) => {
      const here = placed.get(Number(n));
      return here ? problemList(here).value : '';
    });
    return { html: new Html(out), unplaced };
  }

  // ---- parts

  media(
    pointer: string,
    url: unknown,
    options: { kind: 'image' | 'video' | 'gif'; alt?: unknown; name?: unknown; contentType?: unknown; caption?: boolean },
  ): Html {
    const raw = str(url) ?? '';
    const src = safeUrl(raw);
    const name = str(options.name) ?? fileNameOf(raw);
    const type = typeOf(name, str(options.contentType) ?? (options.kind === 'gif' ? 'image/gif' : undefined));
    const alt = str(options.alt);
    const element = !src
      ? ''
      : options.kind === 'video'
        ? html`<video src="${src}" controls preload="metadata" aria-label="${alt ?? name}"></video>`
        : html`<img src="${src}" alt="${alt ?? ''}" loading="lazy" decoding="async" referrerpolicy="no-referrer">`;
    const icon = options.kind === 'video' ? ICONS.video(30) : ICONS.image(30);
    return html`<figure class="wa-media part${src ? '' : ' failed'}${this.changed(pointer, { url, alt, name: options.name })}" data-kind="${options.kind}">${element}<div class="wa-fallback" title="${raw}"><span class="wa-fallback-icon" aria-hidden="true">${icon}</span><span class="wa-file-name">${this.text(ptr(pointer, 'mediaUrl'), name, false)}</span><span class="wa-file-type">${type}</span></div>${options.caption !== false && alt ? html`<figcaption>${this.text(ptr(pointer, 'altText'), alt, false)}</figcaption>` : ''}${this.spot(pointer)}</figure>`;
  }

  document(pointer: string, file: Obj): Html {
    const raw = str(file.mediaUrl) ?? '';
    const href = safeUrl(raw);
    const name = str(file.filename) ?? fileNameOf(raw);
    const type = typeOf(name, str(file.contentType));
    const ext = (/\.([a-z0-9]{1,5})$/i.exec(name)?.[1] ?? type.split('/').pop() ?? 'file').toUpperCase();
    const label = this.text(ptr(pointer, file.filename !== undefined ? 'filename' : 'mediaUrl'), name, false);
    return html`<div class="wa-doc part${this.changed(pointer, file)}"><span class="wa-doc-icon" aria-hidden="true">${ext.slice(0, 4)}</span><span class="wa-doc-text">${href ? html`<a class="wa-file-name" href="${href}" target="_blank" rel="noopener noreferrer nofollow">${label}</a>` : html`<span class="wa-file-name">${label}</span>`}<span class="wa-file-type">${type}</span></span>${this.spot(pointer)}</div>`;
  }

  files(pointer: string, files: JsonValue[]): Html {
    return join(
      files.map((f, i) => {
        if (!isObj(f)) return '';
        const p = ptr(pointer, i);
        const type = str(f.contentType) ?? '';
        if (type.startsWith('video/'))
          return this.media(p, f.mediaUrl, { kind: 'video', alt: f.altText, name: f.filename, contentType: type });
        if (type.startsWith('image/'))
          return this.media(p, f.mediaUrl, { kind: 'image', alt: f.altText, name: f.filename, contentType: type });
        return this.document(p, f);
      }),
    );
  }

  /** Buttons: CTA-style ones (link, location request, buy) inside the bubble, quick replies under it. */
  buttons(pointer: string, actions: JsonValue[]): { inside: Html; below: Html } {
    const inside: Html[] = [];
    const below: Html[] = [];
    actions.forEach((action, i) => {
      if (!isObj(action)) return;
      const p = ptr(pointer, i);
      const type = str(action.type) ?? '';
      const inner = isObj(action[type]) ? action[type] : {};
      const changed = this.changed(p, action);
      if (type === 'link') {
        const href = safeUrl(inner.url);
        const label = this.text(ptr(p, 'link', 'text'), inner.text, false);
        inside.push(
          href
            ? html`<a class="wa-cta part${changed}" data-action="link" href="${href}" title="${href}" target="_blank" rel="noopener noreferrer nofollow"><span class="wa-icon" aria-hidden="true">↗</span>${label}</a>${this.spot(p)}`
            : html`<span class="wa-cta part${changed}" data-action="link" title="${str(inner.url) ?? ''}"><span class="wa-icon" aria-hidden="true">↗</span>${label}</span>${this.spot(p)}`,
        );
      } else if (type === 'locationRequest') {
        inside.push(
          html`<span class="wa-cta part${changed}" data-action="locationRequest"><span class="wa-icon" aria-hidden="true">${ICONS.pin(16)}</span>Send location</span>${this.spot(p)}`,
        );
      } else if (type === 'buy') {
        inside.push(
          html`<span class="wa-cta part${changed}" data-action="buy"><span class="wa-icon" aria-hidden="true">${ICONS.cart(16)}</span>${inner.text !== undefined ? this.text(ptr(p, 'buy', 'text'), inner.text, false) : 'Buy'}</span>${this.spot(p)}`,
        );
      } else {
        below.push(
          html`<span class="wa-reply part${changed}" data-action="${type}"${type === 'postback' && str(inner.payload) ? html` title="payload: ${str(inner.payload)}"` : ''}><span class="wa-icon" aria-hidden="true">↩</span>${this.text(ptr(p, type, 'text'), inner.text, false)}</span>${this.spot(p)}`,
        );
      }
    });
    return {
      inside: inside.length ? html`<div class="wa-ctas">${inside}</div>` : html``,
      below: below.length
        ? html`<div class="wa-replies part">${below}</div>${this.spot(pointer)}`
        : inside.length
          ? this.spot(pointer)
          : html``,
    };
  }

  /** A bubble: optional quote, media, header, text, time, CTA buttons; quick replies under it. */
  bubble(
    pointer: string,
    parts: {
      quote?: Html;
      media?: Html;
      header?: HtmlValue;
      text?: HtmlValue;
      footer?: HtmlValue;
      ctas?: Html;
      below?: Html;
      extra?: HtmlValue;
      className?: string;
    },
  ): Html {
    return html`<div class="wa-msg part" data-part="${pointer}"><div class="wa-bubble${parts.className ? ` ${parts.className}` : ''}">${parts.quote ?? ''}${parts.media ?? ''}${parts.header ? html`<div class="wa-header">${parts.header}</div>` : ''}${parts.text ? html`<div class="wa-text">${parts.text}</div>` : ''}${parts.extra ?? ''}${parts.footer ? html`<div class="wa-footer">${parts.footer}</div>` : ''}${this.time()}${parts.ctas ?? ''}${this.spot(pointer)}</div>${parts.below ?? ''}</div>`;
  }

  /** A media body's bubble (image, file, gif): its media, its text, and its buttons. */
  mediaBubble(pointer: string, c: string, content: Obj, media: Html, text: Html | undefined, quote: Html | undefined): Html {
    const b = this.buttons(ptr(c, 'actions'), list(content.actions));
    return this.bubble(pointer, { ...(quote ? { quote } : {}), media, text, ctas: b.inside, below: b.below, className: 'wa-has-media' });
  }

  textPart(pointer: string, value: unknown): Html {
    return html`<div class="part${this.changed(pointer, value)}" data-part="${pointer}">${this.text(pointer, value)}</div>${this.spot(pointer)}`;
  }

  // ---- body types

  body(pointer: string, body: Obj, quote?: Html): Html {
    const type = str(body.type) ?? '';
    const content = isObj(body[type]) ? body[type] : {};
    const c = ptr(pointer, type);
    const text = content.text !== undefined ? this.textPart(ptr(c, 'text'), content.text) : undefined;
    switch (type) {
      case 'text': {
        const b = this.buttons(ptr(c, 'actions'), list(content.actions));
        return this.bubble(pointer, { ...(quote ? { quote } : {}), text, ctas: b.inside, below: b.below });
      }
      case 'image': {
        const images = list(content.images);
        const media = html`<div class="wa-gallery" data-count="${images.length}">${images.map((img, i) => (isObj(img) ? this.media(ptr(c, 'images', i), img.mediaUrl, { kind: 'image', alt: img.altText }) : ''))}</div>`;
        return this.mediaBubble(pointer, c, content, media, text, quote);
      }
      case 'file': {
        const media = html`<div class="wa-files">${this.files(ptr(c, 'files'), list(content.files))}</div>`;
        return this.mediaBubble(pointer, c, content, media, text, quote);
      }
      case 'gif': {
        const media = this.media(c, content.mediaUrl, { kind: 'gif', alt: content.altText });
        return this.mediaBubble(pointer, c, content, media, text, quote);
      }
      case 'location':
        return this.bubble(pointer, { ...(quote ? { quote } : {}), media: this.location(c, content), className: 'wa-has-media' });
      case 'carousel':
        return this.carousel(pointer, c, content, quote);
      case 'list':
        return this.listMessage(pointer, c, content, quote);
      case 'section':
        return join(
          list(content.items).map((item, i) => (isObj(item) ? this.body(ptr(c, 'items', i), item, i === 0 ? quote : undefined) : '')),
        );
      case 'html':
        return this.bubble(pointer, {
          ...(quote ? { quote } : {}),
          header: 'E-mail (HTML body; not a WhatsApp type)',
          text: content.text !== undefined ? text : undefined,
          extra:
            content.html !== undefined
              ? html`<pre class="wa-source part">${this.text(ptr(c, 'html'), content.html, false)}${this.spot(ptr(c, 'html'))}</pre>`
              : '',
        });
      case 'authentication': {
        const otp = isObj(content.otp) ? content.otp : {};
        const b = this.buttons(ptr(c, 'otp', 'actions'), list(otp.actions));
        return this.bubble(pointer, {
          ...(quote ? { quote } : {}),
          text: html`<strong>123456</strong> is your verification code.${otp.disclaimer === true ? ' For your security, do not share this code.' : ''}`,
          footer: typeof otp.expirationTime === 'number' ? `This code expires in ${otp.expirationTime} minutes.` : '',
          ctas: b.inside,
          below: b.below,
        });
      }
      case 'action':
        return this.bubble(pointer, {
          ...(quote ? { quote } : {}),
          header: 'Permission request',
          text: `May we call you? (${str(isObj(content.permission_request) ? content.permission_request.resource : undefined) ?? str(content.type) ?? 'permission'})`,
          below: html`<div class="wa-replies"><span class="wa-reply">Allow</span><span class="wa-reply">Don't allow</span></div>`,
        });
      default:
        return this.bubble(pointer, {
          ...(quote ? { quote } : {}),
          header: `${type || 'unknown'} body`,
          extra: html`<pre class="wa-source">${JSON.stringify(body, null, 2)}</pre>`,
        });
    }
  }

  location(pointer: string, content: Obj): Html {
    const coords = isObj(content.coordinates) ? content.coordinates : {};
    const place = isObj(content.location) ? content.location : {};
    const lat = coords.latitude;
    const lng = coords.longitude;
    const shown = (v: unknown): string => (typeof v === 'number' ? v.toFixed(5) : (str(v) ?? '?'));
    return html`<div class="wa-location part${this.changed(pointer, content)}"><div class="wa-map" aria-hidden="true"><span class="wa-pin">${ICONS.pin(34)}</span></div><div class="wa-loc-body">${place.label !== undefined ? html`<div class="wa-loc-label">${this.text(ptr(pointer, 'location', 'label'), place.label, false)}</div>` : ''}${place.address !== undefined ? html`<div class="wa-loc-address">${this.text(ptr(pointer, 'location', 'address'), place.address, false)}</div>` : ''}<div class="wa-loc-coords">${shown(lat)}, ${shown(lng)}</div></div>${this.spot(ptr(pointer, 'coordinates'))}${this.spot(pointer)}</div>`;
  }

  carousel(pointer: string, c: string, content: Obj, quote?: Html): Html {
    const items = list(content.items);
    const cards = items.map((item, i) => {
      if (!isObj(item)) return '';
      const p = ptr(c, 'items', i);
      const b = this.buttons(ptr(p, 'actions'), list(item.actions));
      return html`<article class="wa-card part${this.changed(p, item)}" role="listitem" aria-label="Card ${i + 1}">${this.media(p, item.mediaUrl, { kind: /\.(mp4|3gp|mov)(\?|$)/i.test(str(item.mediaUrl) ?? '') ? 'video' : 'image', alt: item.altText, caption: false })}<div class="wa-card-title">${this.text(ptr(p, 'title'), item.title)}</div>${item.description !== undefined ? html`<div class="wa-card-desc">${this.text(ptr(p, 'description'), item.description)}</div>` : ''}${b.inside}${b.below}</article>`;
    });
    const lead =
      content.text !== undefined
        ? this.bubble(pointer, { ...(quote ? { quote } : {}), text: this.textPart(ptr(c, 'text'), content.text) })
        : quote
          ? this.bubble(pointer, { quote })
          : this.spot(pointer);
    return html`${lead}<div class="wa-carousel" role="list" tabindex="0" aria-label="Carousel of ${items.length} cards (scroll sideways)">${cards}${this.spot(ptr(c, 'items'))}</div>`;
  }

  listMessage(pointer: string, c: string, content: Obj, quote?: Html): Html {
    const id = `${this.options.idPrefix}-sheet-${this.sheets++}`;
    const meta = isObj(content.metadata) ? content.metadata : {};
    const button = isObj(meta.button) ? meta.button : {};
    const labelPointer = button.label !== undefined ? ptr(c, 'metadata', 'button', 'label') : ptr(c, 'altText');
    const labelValue = button.label ?? content.altText ?? 'Menu';
    const label = this.text(labelPointer, labelValue, false);
    const sections = list(content.items).map((section, i) => {
      if (!isObj(section)) return '';
      const p = ptr(c, 'items', i);
      const rows = list(section.actions).map((row, j) => {
        if (!isObj(row)) return '';
        const rp = ptr(p, 'actions', j);
        const type = str(row.type) ?? '';
        const inner = isObj(row[type]) ? row[type] : {};
        const desc = isObj(inner.metadata) && isObj(inner.metadata.description) ? inner.metadata.description.label : undefined;
        return html`<li class="wa-row part${this.changed(rp, row)}" data-action="${type}"><span class="wa-row-text"><span class="wa-row-title">${this.text(ptr(rp, type, 'text'), inner.text, false)}</span>${desc !== undefined ? html`<span class="wa-row-desc">${this.text(ptr(rp, type, 'metadata', 'description', 'label'), desc, false)}</span>` : ''}</span><span class="wa-radio" aria-hidden="true"></span>${this.spot(rp)}</li>`;
      });
      return html`<section class="wa-section part${this.changed(p, { title: section.title })}">${section.title !== undefined ? html`<h4 class="wa-section-title">${this.text(ptr(p, 'title'), section.title, false)}</h4>` : ''}<ul class="wa-rows">${rows}</ul>${this.spot(p)}</section>`;
    });
    const sheet = html`<div popover id="${id}" class="wa-sheet" role="dialog" aria-label="${str(labelValue) ?? 'List'}"><div class="wa-sheet-head"><button type="button" class="wa-sheet-close" popovertarget="${id}" popovertargetaction="hide" aria-label="Close">✕</button><span class="wa-sheet-title">${label}</span></div>${sections}${this.spot(ptr(c, 'items'))}</div>`;
    const ctas = html`<div class="wa-ctas"><button type="button" class="wa-cta wa-list-button part${this.changed(labelPointer, labelValue)}" popovertarget="${id}" aria-haspopup="dialog"><span class="wa-icon" aria-hidden="true">☰</span>${label}</button>${this.spot(labelPointer)}</div>`;
    return html`${this.bubble(pointer, {
      ...(quote ? { quote } : {}),
      header: content.title !== undefined ? this.textPart(ptr(c, 'title'), content.title) : undefined,
      text: content.text !== undefined ? this.textPart(ptr(c, 'text'), content.text) : undefined,
      ctas,
      className: 'wa-list',
    })}${sheet}`;
  }

  template(pointer: string, template: Obj, quote?: Html): Html {
    const answer = this.options.templateText?.(template);
    const known: TemplateText | undefined = answer && 'body' in answer ? answer : undefined;
    const reason = answer && 'reason' in answer ? answer.reason : undefined;
    const params = list(template.parameters).map((param, i) => {
      if (!isObj(param)) return '';
      const p = ptr(pointer, 'parameters', i);
      const value = param.value;
      const shown =
        str(value) !== undefined
          ? this.text(ptr(p, 'value'), value, false)
          : html`<code>${JSON.stringify(value ?? Object.fromEntries(Object.entries(param).filter(([k]) => k !== 'key' && k !== 'type')))}</code>`;
      return html`<div class="wa-param part${this.changed(p, param)}"><dt><code>${str(param.key) ?? '?'}</code> <small>${str(param.type) ?? ''}</small></dt><dd>${shown}</dd>${this.spot(p)}</div>`;
    });
    const tag = html`<div class="wa-template-tag">WhatsApp template · ${str(template.locale) ?? '?'} · ${str(template.version) ?? '?'}<span class="wa-template-project" title="projectId">${str(template.projectId) ?? str(template.name) ?? ''}</span></div>`;
    const paramList = params.length
      ? html`<dl class="wa-params" aria-label="Template parameters">${params}${this.spot(ptr(pointer, 'parameters'))}</dl>`
      : html`<p class="wa-template-note">No parameters.</p>`;
    if (known) {
      const b = this.buttons(
        ptr(pointer, 'buttons'),
        (known.buttons ?? []).map((t): JsonValue =>
          typeof t === 'string'
            ? { type: 'reply', reply: { text: t } }
            : t.url !== undefined
              ? { type: 'link', link: { text: t.text, url: t.url } }
              : { type: 'reply', reply: { text: t.text } },
        ),
      );
      return this.bubble(pointer, {
        ...(quote ? { quote } : {}),
        header: known.header !== undefined ? formatWhatsApp(known.header) : undefined,
        text: formatWhatsApp(known.body),
        footer: known.footer,
        extra: html`${tag}<details class="wa-template-params"><summary>Parameters</summary>${paramList}</details>`,
        ctas: b.inside,
        below: b.below,
        className: 'wa-template',
      });
    }
    return this.bubble(pointer, {
      ...(quote ? { quote } : {}),
      extra: html`${tag}<p class="wa-template-note">${reason ? html`The template's text is not known: ${reason}. Its parameters:` : "The template's text is not known here (it lives in Bird); its parameters:"}</p>${paramList}`,
      className: 'wa-template',
    });
  }

  quote(pointer: string, replyTo: JsonValue | undefined): Html | undefined {
    if (!isObj(replyTo)) return undefined;
    return html`<div class="wa-quote part${this.changed(pointer, replyTo)}"><span class="wa-quote-who">Replying to the customer's ${str(replyTo.type) ?? 'message'}</span><span class="wa-quote-id">${this.text(ptr(pointer, 'id'), replyTo.id, false)}</span>${this.spot(pointer)}</div>`;
  }
}

export function problemList(problems: readonly PreviewProblem[]): Html {
  return html`<ul class="problems">${problems.map((p) => html`<li class="problem ${p.severity}" data-code="${p.code}"><code class="code">${p.code}</code> <span class="problem-message">${p.message}</span>${p.where ? html` <span class="where">${p.where}</span>` : ''}${p.hint ? html` <span class="hint">${p.hint}</span>` : ''}</li>`)}</ul>`;
}

/** A request (or an unrendered definition) as WhatsApp shows it; `content` has `body` or `template`, maybe `replyTo`. */
export function chatView(content: Readonly<JsonObject>, options: ChatOptions): ChatView {
  const r = new ChatRenderer(options);
  const quote = r.quote('/replyTo', content.replyTo);
  let inner: Html;
  if (isObj(content.body)) inner = r.body('/body', content.body, quote);
  else if (isObj(content.template)) inner = r.template('/template', content.template, quote);
  else inner = html`<p class="wa-empty">No body or template.</p>`;
  return r.finish(html`<div class="wa-chat">${r.spot('/receiver')}${inner}</div>`);
}

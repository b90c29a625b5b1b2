// WhatsApp's text formatting as HTML: *bold*, _italic_, ~strike~, ```monospace``` and `inline code`,
// links made clickable, line breaks kept (the bubble is `white-space: pre-wrap`). Every character of
// the text is escaped; the only markup is the tags this file writes.
import { escapeHtml, Html, safeUrl } from './html.js';

/** Private-use characters that mark a changed stretch of text (visual diff); never shown. */
export const MARK_START = '\uE000';
export const MARK_END = '\uE001';
const SENTINELS = /[\uE000\uE001]/g;

const TAGS: Record<string, [string, string]> = {
  '*': ['<strong>', '</strong>'],
  _: ['<em>', '</em>'],
  '~': ['<s>', '</s>'],
  '`': ['<code class="wa-code">', '</code>'],
};

// A marker opens after a non-word character and before a non-space, and closes before a non-word
// character, on one line (WhatsApp's rule; `2*3*4` and snake_case_names stay as they are).
const INLINE = /(?<![\p{L}\p{N}_])([*_~`])(?![\s\uE001])([^\n]*?[^\s\uE000])\1(?![\p{L}\p{N}_])/u;
const FENCE = /```([\s\S]+?)```/g;
const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"'\uE000\uE001]+/gi;
const TRAILING_PUNCTUATION = /[.,!?;:)\]}'"]+$/;

/** Text runs keep the "inside a changed stretch" state across the tags that split them. */
class Writer {
  private marked = false;
  out = '';

  /** Plain text: escaped, links made clickable, change sentinels turned into <mark>. */
  text(value: string, links: boolean): void {
    if (!links) return this.marks(value);
    let last = 0;
    for (const m of value.matchAll(URL_IN_TEXT)) {
      const url = m[0].replace(TRAILING_PUNCTUATION, '');
      if (url.length === 0) continue;
      this.marks(value.slice(last, m.index));
      const href = safeUrl(url);
      if (href) {
        this.out += `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer nofollow">`;
        this.marks(url);
        this.out += '</a>';
      } else this.marks(url);
      last = m.index + url.length;
    }
    this.marks(value.slice(last));
  }

  raw(markup: string): void {
    this.out += markup;
  }

  private marks(value: string): void {
    let piece = '';
    const flush = (): void => {
      if (piece === '') return;
      this.out += this.marked ? `<mark>${escapeHtml(piece)}</mark>` : escapeHtml(piece);
      piece = '';
    };
    for (const ch of value) {
      if (ch === MARK_START || ch === MARK_END) {
        flush();
        this.marked = ch === MARK_START;
      } else piece += ch;
    }
    flush();
  }
}

function inline(w: Writer, text: string): void {
  let rest = text;
  for (;;) {
    const m = INLINE.exec(rest);
    if (!m) break;
    w.text(rest.slice(0, m.index), true);
    const [open, close] = TAGS[m[1]!]!;
    w.raw(open);
    if (m[1] === '`') w.text(m[2]!, false);
    else inline(w, m[2]!);
    w.raw(close);
    rest = rest.slice(m.index + m[0].length);
  }
  w.text(rest, true);
}

/** WhatsApp-formatted text as HTML. Sentinels (MARK_START/MARK_END) become <mark>; pass `marks: false` to drop any. */
export function formatWhatsApp(text: string, options: { marks?: boolean } = {}): Html {
  const source = options.marks ? text : text.replace(SENTINELS, '');
  const w = new Writer();
  let last = 0;
  for (const m of source.matchAll(FENCE)) {
    inline(w, source.slice(last, m.index));
    w.raw('<code class="wa-mono">');
    w.text(m[1]!, false);
    w.raw('</code>');
    last = m.index + m[0].length;
  }
  inline(w, source.slice(last));
  return new Html(w.out);
}

/** Plain text with sentinels turned into <mark> (for labels that WhatsApp does not format). */
export function plainText(text: string, options: { marks?: boolean } = {}): Html {
  const w = new Writer();
  w.text(options.marks ? text : text.replace(SENTINELS, ''), false);
  return new Html(w.out);
}

// Output hygiene in one place: every value that comes from data, a message file or Bird goes through
// one of these before a reporter puts it into text for a terminal, markdown or HTML. Reporters'
// own markup (colours, tables, <details>) is added around the escaped values, never inside them.

/** C0 controls but tab and newline, DEL, and C1 controls (ESC [2J clears a screen; CSI is U+009B). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function visible(c: string): string {
  const code = c.charCodeAt(0);
  if (c === '\r') return '\\r';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** For a terminal: control characters (and bidi overrides) shown as `\x1b`, never interpreted. */
export function terminalText(text: string): string {
  return text.replace(CONTROLS, visible);
}

/** For one line of a terminal: newlines and tabs shown too. */
export function terminalLine(text: string): string {
  return terminalText(text).replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** For HTML text and attribute values. */
export function htmlText(text: string): string {
  return terminalText(text).replace(/[&<>"']/g, (c) => HTML[c]!);
}

/**
 * For markdown outside code: HTML escaped (no `</details>`, no `<img onerror>`), markdown punctuation
 * backslash-escaped (no links, emphasis, tables broken by `|`), and one line.
 */
export function markdownText(text: string): string {
  return htmlText(text)
    .replace(/[\\`*_[\]{}()#+!|~]/g, (c) => `\\${c}`)
    .replace(/\r?\n/g, ' ');
}

/** A markdown inline code span that no backtick inside the value can close. */
export function markdownCode(text: string): string {
  const value = terminalText(text).replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...[...value.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  const pad = value.startsWith('`') || value.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${value}${pad}${ticks}`;
}

/** A fenced block that no line inside can close (GitHub treats a longer backtick run as the end). */
export function markdownFence(lines: readonly string[], info = ''): string {
  const body = lines.map(terminalText);
  const longest = Math.max(2, ...body.flatMap((l) => [...l.matchAll(/`+/g)].map((m) => m[0].length)));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${info}`, ...body, fence].join('\n');
}

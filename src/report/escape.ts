// Output hygiene in one place: every value that comes from data, a message file or Bird goes through
// one of these before a reporter puts it into text for a terminal, markdown or HTML. Reporters'
// own markup (colours, tables, <details>) is added around the escaped values, never inside them.

import { oneLine, showControls } from '../util/index.js';

/** For a terminal: control characters (and bidi overrides) shown as `\x1b`, never interpreted. */
export function terminalText(text: string): string {
  return showControls(text);
}

/** For one line of a terminal: newlines and tabs shown too. */
export function terminalLine(text: string): string {
  return oneLine(text);
}

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** For HTML text and attribute values. */
export function htmlText(text: string): string {
  return terminalText(text).replace(/[&<>"']/g, (c) => HTML[c]!);
}

/** A line whose start is data: a leading `::` (after spaces: GitHub trims them) would be read as a workflow command in a log. */
export function safeLineStart(text: string): string {
  return /^\s*::/.test(text) ? `./${text.trimStart()}` : text;
}

/** Inside a markdown table cell: `|` would end the cell even inside a code span. */
export function tableCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** For HTML on one line (a `<summary>` of the plan comment): newlines shown as `\n`, so data never starts a line. */
export function htmlLine(text: string): string {
  return htmlText(terminalLine(text));
}

/**
 * For HTML inside markdown (the plan's `<summary>`): one line, HTML escaped, and markdown punctuation as
 * character references, which read the same whether GitHub treats the line as HTML or as markdown.
 */
export function markdownHtml(text: string): string {
  return htmlLine(text).replace(/[\\`*_[\]{}()#+!|~-]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * For markdown outside code: HTML escaped (no `</details>`, no `<img onerror>`), markdown punctuation
 * backslash-escaped (no links, emphasis, tables broken by `|`), and one line.
 */
export function markdownText(text: string): string {
  return htmlText(terminalLine(text))
    .replace(/[\\`*_[\]{}()#+!|~]/g, (c) => `\\${c}`)
    .replace(/\r?\n/g, ' ');
}

/** A markdown inline code span that no backtick inside the value can close. */
export function markdownCode(text: string): string {
  const value = terminalLine(text);
  const longest = Math.max(0, ...[...value.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  const pad = value.startsWith('`') || value.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${value}${pad}${ticks}`;
}

/** A fenced block that no line inside can close (GitHub treats a longer backtick run as the end). */
export function markdownFence(lines: readonly string[], info = ''): string {
  // Each line stays one line: a newline in a value would start a line of data (`::error` in a log).
  const body = lines.map(terminalLine);
  const longest = Math.max(2, ...body.flatMap((l) => [...l.matchAll(/`+/g)].map((m) => m[0].length)));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${info}`, ...body, fence].join('\n');
}

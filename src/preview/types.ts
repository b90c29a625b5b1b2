// What the preview shows, as data: the catalog by folder, each message with its state and its rows.
import type { JsonObject } from '../types.js';

export interface PreviewProblem {
  code: string;
  severity: 'error' | 'warning';
  message: string;
  /** JSON pointer of the part it concerns (`/body/text/actions/0`), '' for the message or row as a whole. */
  pointer: string;
  /** file:line:col, or the data row. */
  where: string;
  hint?: string;
}

export type MessageState = 'valid' | 'warnings' | 'errors';

export interface PreviewRow {
  /** 1-based row (example or data row). */
  index: number;
  /** "example 2", "row 14 (line 15)". */
  label: string;
  /** Masked unless revealed; undefined when the row did not render. */
  recipient?: string;
  /** The request as rendered (recipient masked unless revealed), undefined when the row failed. */
  request?: JsonObject;
  /** The exact request JSON as chirp would POST it (recipient masked unless revealed). */
  json?: string;
  /** The definition's content, shown with its `{{…}}` when the row did not render. */
  unrendered?: JsonObject;
  problems: PreviewProblem[];
  /** A message with `locale`: the recipient's locale, the one they get, and whether that is a fallback. */
  locale?: { requested: string; used: string; fallback: boolean };
  /** The writing direction of the text the row shows (`rtl` for Arabic, Hebrew, …). */
  dir?: 'ltr' | 'rtl';
}

export interface MessageSummary {
  id: string;
  /** `bird` for bird/carousel; '' at the top of messages/. */
  folder: string;
  name: string;
  file: string;
  description?: string;
  /** Body type (`text`, `list`, …) or `template`; '' when unknown. */
  kind: string;
  state: MessageState;
  errors: number;
  warnings: number;
  /** Codes of the problems, for the index. */
  codes: string[];
}

export interface PreviewMessage extends MessageSummary {
  /** Channel alias or id, for the phone's header. */
  channel: string;
  /** Problems of the definition not tied to one row. */
  problems: PreviewProblem[];
  rows: PreviewRow[];
  /** Where the rows come from. */
  source: { kind: 'examples' } | { kind: 'data'; name: string };
  /** Data rows are paged. */
  page: { number: number; size: number; hasNext: boolean; first: number };
  /** Whether recipients are shown in full. */
  revealed: boolean;
  /** A message with `locale`: its texts' locales (default first) and the one every row is shown in, if chosen. */
  locales?: { available: string[]; selected?: string };
}

export interface PreviewCatalog {
  root: string;
  messages: MessageSummary[];
  /** Problems of the catalog itself (partials, config). */
  problems: PreviewProblem[];
  /** Data file shown for each message, when given. */
  data?: string;
}

/** What a template looks like to the recipient (header, body, footer, buttons), parameters filled in. */
export interface TemplateText {
  header?: string;
  body: string;
  footer?: string;
  /** Button labels; a URL button as `{ text, url }` (shown as a call-to-action link, not a quick reply). */
  buttons?: (string | TemplateButton)[];
}

/** A template's URL button, its parameters filled in. */
export interface TemplateButton {
  text: string;
  url?: string;
}

/**
 * The seam for the template lock (issue 13's `templateText()`): the text a recipient reads for a
 * rendered `template` object; `{ reason }` when the lock cannot tell (shown beside the parameters),
 * undefined when there is no lock. Without it, the preview shows the template's parameters.
 */
export type TemplateTextFn = (template: Readonly<JsonObject>) => TemplateText | { reason: string } | undefined;

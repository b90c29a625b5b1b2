// The documented Handlebars helper set for message authors (docs/templates.md).
// Helpers receive already-checked values: a missing variable is caught before a helper sees it,
// except for `default`'s first argument, whose whole point is to be optional.
import type { HelperOptions } from 'handlebars';
import { shownText } from './unseen.js';

/** White space and what shows nothing: zero-width and bidi format characters, fillers, the blank braille cell. */
const INVISIBLE_ONLY = /^[\s\p{Default_Ignorable_Code_Point}\u2800]*$/u;

/**
 * A value that would render as a blank: absent, null, or a string that shows nothing — empty, white
 * space, or invisible characters only (`\u200b`, a bidi mark, a Hangul filler: `Hi \u200b,` reads `Hi ,`).
 */
export function isBlank(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value !== 'string') return false;
  const text = value.trim();
  if (text === '') return true;
  // A visible ASCII character first is a value: the common case needs no regular expression.
  const c = text.charCodeAt(0);
  return (c <= 0x20 || c >= 0x7f) && INVISIBLE_ONLY.test(text);
}

/** Thrown while rendering; the renderer turns it into a row diagnostic. */
export class RenderFailure extends Error {
  constructor(
    readonly code:
      | 'E_VAR_MISSING'
      | 'E_RENDER'
      | 'E_VALUE_NOT_TEXT'
      | 'E_EACH_NOT_LIST'
      | 'E_CONTROL_CHAR'
      | 'E_RENDER_TOO_LARGE'
      | 'E_RENDERED_BLANK'
      | 'E_CONDITION_TEXT'
      | 'E_CONDITION_VALUE',
    readonly variable: string | undefined,
    message: string,
    /** The field of the request it happened in (JSON pointer), when known. */
    readonly pointer?: string,
  ) {
    super(message);
  }
}

/**
 * A field a template renders is never blank, whichever branch it took: a template parameter
 * `{{#if nick}}{{nick}}{{/if}}` that prints nothing would reach the recipient as "Hi ,".
 */
export function neverBlank(render: (data: object, locale?: string) => string, where: string): (data: object, locale?: string) => string {
  return (data, locale) => {
    const out = render(data, locale);
    if (isBlank(out))
      throw new RenderFailure(
        'E_RENDERED_BLANK',
        undefined,
        `${where} renders ${out === '' ? 'empty' : 'as nothing but invisible characters or spaces'} for this row (a {{#if}} or {{#each}} that printed nothing?); give the branch an {{else}} or use {{default x "…"}}`,
        where,
      );
    return out;
  };
}

/** C0 controls (and DEL) but tab and newline; a CR only as part of CRLF. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|\r(?!\n)/;

/**
 * Whether `value` holds a character CONTROL matches, by one scan of its code units: the answer of
 * CONTROL.test(value) (test/unit/control-scan.test.ts) at a fraction of a regular expression's cost
 * on the short values of a row.
 */
export function hasControl(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20) {
      if (c === 0x09 || c === 0x0a) continue;
      if (c === 0x0d && value.charCodeAt(i + 1) === 0x0a) continue;
      return true;
    }
    if (c === 0x7f) return true;
  }
  return false;
}

/**
 * The position of the first bidi embedding, override or isolate (U+202A/B/D/E, U+2066–U+2068) that
 * `value` opens and does not close (U+202C, U+2069), or -1. Unclosed, it reorders the text printed
 * after the value: `Hi {{name}}, your code is 1234` with the name U+202E "evE" reads backwards.
 */
export function unclosedBidi(value: string): number {
  let open: number[] | undefined;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x202a || (c > 0x202e && c < 0x2066) || c > 0x2069) continue;
    if (c === 0x202c || c === 0x2069) open?.pop();
    else (open ??= []).push(i);
  }
  return open !== undefined && open.length > 0 ? open[0]! : -1;
}

/** A control character in a printed value is a row error: it is never what the author meant. */
export function controlProblem(value: string, label: string | undefined): void {
  const what = label ? `variable "${label}"` : 'a printed value';
  const bidi = unclosedBidi(value);
  if (bidi >= 0) {
    const code = `U+${value.charCodeAt(bidi).toString(16).toUpperCase()}`;
    throw new RenderFailure(
      'E_CONTROL_CHAR',
      label,
      `${what} opens a bidi control (${code} at position ${bidi + 1}) it does not close: it would reorder the text printed after it; remove it from the data, or close it (U+202C, U+2069)`,
    );
  }
  if (!hasControl(value)) return;
  const m = CONTROL.exec(value);
  if (!m) return;
  const code = `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  throw new RenderFailure(
    'E_CONTROL_CHAR',
    label,
    `${what} contains the control character ${code}${code === 'U+0000' ? ' (NUL)' : ''} at position ${m.index + 1}; only tab and line breaks are allowed in text`,
  );
}

/** What a value prints as, or a RenderFailure: only strings, numbers and booleans are text. */
export function printable(value: unknown, label: string | undefined): string {
  if (typeof value === 'string') {
    controlProblem(value, label);
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const kind = Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value === 'object' ? 'an object' : typeof value;
  const what = label ? `variable "${label}"` : 'a helper result';
  throw new RenderFailure(
    'E_VALUE_NOT_TEXT',
    label,
    `${what} is ${kind}, which cannot be printed as text; print one of its fields ({{${label ?? 'x'}.field}}), loop over a list with {{#each}}, or use {{json ${label ?? 'x'}}}`,
  );
}

/** The hash keys the renderer gives `eq` (src/render/template.ts): the call as written, the field it compares, as the row and the template name it. */
export const EQ_CALL = '__chirpEqCall';
export const EQ_FIELD = '__chirpEqField';
export const EQ_NAME = '__chirpEqName';

/** Invisible characters anywhere in a value: format characters, fillers, the blank braille cell (isBlank's set). */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\u2800]/gu;
/** Printable ASCII and plain spaces only: nothing invisible to remove, and no normalisation to apply. */
const PLAIN = /^[\x20-\x7e]*$/;

/** Printable ASCII, not empty, no space at either edge: a text that reads as itself. */
function plainWord(text: string): boolean {
  const n = text.length;
  if (n === 0 || text.charCodeAt(0) === 0x20 || text.charCodeAt(n - 1) === 0x20) return false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** What a text reads as: edge white space and invisible characters gone, composed (NFC: `é` is one `é`). */
function readsAs(value: string): string {
  const text = value.trim();
  return PLAIN.test(text) ? text : text.replace(INVISIBLE, '').trim().normalize('NFC');
}

/** How two values that are not equal still read the same: why `eq` refuses them. */
export type EqProblem = 'spaces' | 'case' | 'type';

/**
 * Why `a` and `b`, which are not equal, must not be taken as different, or undefined when they
 * really differ. Only text, numbers and booleans compare: they are what a row's cells and a
 * template's literals are. Case counts (`Pro` is `pro` to a reader): an author who compares a
 * category wants the branch, and the way out (`(lower plan)`) is one word; a value that differs in
 * case on purpose is rarer than a spreadsheet that capitalised a cell.
 */
export function eqRefusal(a: unknown, b: unknown): EqProblem | undefined {
  const ta = typeof a;
  const tb = typeof b;
  if (ta === 'string' && tb === 'string') {
    // The common case, two plain words (`basic` against `pro`): one scan each, nothing built.
    if (plainWord(a as string) && plainWord(b as string))
      return (a as string).length === (b as string).length && (a as string).toLowerCase() === (b as string).toLowerCase()
        ? 'case'
        : undefined;
    const x = readsAs(a as string);
    const y = readsAs(b as string);
    if (x === y) return 'spaces';
    // Most not-equal pairs differ in length already: no lower-casing for them (toLowerCase keeps ASCII lengths).
    if (x.length === y.length || !PLAIN.test(x) || !PLAIN.test(y)) return x.toLowerCase() === y.toLowerCase() ? 'case' : undefined;
    return undefined;
  }
  const scalar = (t: string): boolean => t === 'string' || t === 'number' || t === 'boolean';
  if (!scalar(ta) || !scalar(tb)) return undefined;
  // Another type (a JSON number 1 and the literal "1", true and the cell "true"): the same when printed.
  const x = typeof a === 'string' ? readsAs(a) : String(a);
  const y = typeof b === 'string' ? readsAs(b) : String(b);
  if (x.toLowerCase() === y.toLowerCase()) return 'type';
  // A number and a text that is that number in another spelling (1 and "1.0", "1e0").
  const [n, t] = typeof a === 'number' ? [a, y] : typeof b === 'number' ? [b, x] : [undefined, ''];
  return n !== undefined && t !== '' && /^[-+.\d]/.test(t) && Number(t) === n ? 'type' : undefined;
}

/** A value as the refusal shows it: text as `shownText` shows it, anything else with its type. */
function shownValue(value: unknown): string {
  return typeof value === 'string' ? shownText(value) : `the ${typeof value} ${String(value)}`;
}

function eqFailure(a: unknown, b: unknown, problem: EqProblem, hash: Record<string, unknown>): RenderFailure {
  const call = typeof hash[EQ_CALL] === 'string' ? hash[EQ_CALL] : '(eq …)';
  const field = typeof hash[EQ_FIELD] === 'string' ? hash[EQ_FIELD] : undefined;
  const name = typeof hash[EQ_NAME] === 'string' ? hash[EQ_NAME] : 'the value';
  const [what, wayOut] =
    problem === 'spaces'
      ? ['spaces or invisible characters', `clean the data, or compare (trim ${name}) when the spaces are at its edges`]
      : problem === 'case'
        ? ['upper and lower case', `clean the data, or compare (lower ${name}) with a lower-case text`]
        : [
            'type (a number or true/false against text)',
            `write the other side as the same type (1, not "1"), or declare ${field ? `"${field}"` : 'the variable'} in variables with its type`,
          ];
  return new RenderFailure(
    'E_CONDITION_VALUE',
    field,
    `${call} compares ${shownValue(a)} with ${shownValue(b)}: they differ only in ${what}, so the row would silently take the other branch; ${wayOut}`,
  );
}

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The `@data` key holding the recipient's locale (set by the renderer for a message with `locale`). */
export const LOCALE_DATA = 'chirpLocale';

/** The locale a formatting helper uses: the template's, else the recipient's, else `en` (never the machine's LANG). */
function localeOf(args: unknown[], positional: unknown, hash: unknown): string {
  if (typeof positional === 'string') return positional;
  if (typeof hash === 'string') return hash;
  const data = (args[args.length - 1] as HelperOptions | undefined)?.data as Record<string, unknown> | undefined;
  const recipient = data?.[LOCALE_DATA];
  return typeof recipient === 'string' ? recipient : 'en';
}

function hashOf(args: unknown[]): Record<string, unknown> {
  const last = args[args.length - 1] as HelperOptions | undefined;
  return (last?.hash as Record<string, unknown> | undefined) ?? {};
}

/** Positional arguments without Handlebars' trailing options object. */
function positional(args: unknown[]): unknown[] {
  return args.slice(0, -1);
}

function cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

function toNumber(value: unknown, helper: string): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw new RenderFailure('E_RENDER', undefined, `${helper}: ${JSON.stringify(value)} is not a number`);
  return n;
}

/** ISO 8601 dates and date-times; a date-time without an offset is UTC (never the machine's zone). */
const ISO_DATE = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i;

function toDate(value: unknown): Date {
  let date = new Date(NaN);
  if (value instanceof Date) date = value;
  else if (typeof value === 'number') date = new Date(value);
  else if (typeof value === 'string') {
    // Anything but ISO 8601 is parsed by the engine in the machine's time zone: refused.
    const m = ISO_DATE.exec(value.trim());
    if (m) date = new Date(m[2] ? `${m[1]}T${m[2]}${m[3] ?? 'Z'}` : `${m[1]}T00:00:00Z`);
  }
  if (Number.isNaN(date.getTime())) throw new RenderFailure('E_RENDER', undefined, `formatDate: ${JSON.stringify(value)} is not a date`);
  return date;
}

export const HELPERS = {
  /** `{{default nickname "friend"}}`: the value, or the fallback when it is blank. */
  default: (...args: unknown[]) => {
    const [value, fallback] = positional(args);
    return isBlank(value) ? fallback : value;
  },
  upper: (...args: unknown[]) => String(positional(args)[0]).toUpperCase(),
  lower: (...args: unknown[]) => String(positional(args)[0]).toLowerCase(),
  trim: (...args: unknown[]) => String(positional(args)[0]).trim(),
  /** `{{truncate text 20 "…"}}`: at most N code points, suffix included. */
  truncate: (...args: unknown[]) => {
    const [value, max, suffix = '…'] = positional(args);
    const chars = [...String(value)];
    const limit = toNumber(max, 'truncate');
    if (chars.length <= limit) return String(value);
    const tail = [...String(suffix)];
    return chars.slice(0, Math.max(0, limit - tail.length)).join('') + tail.join('');
  },
  /** `{{formatNumber price "nl-NL" style="currency" currency="EUR"}}` via Intl.NumberFormat. */
  formatNumber: (...args: unknown[]) => {
    const [value, locale] = positional(args);
    const { locale: hashLocale, ...options } = hashOf(args) as Intl.NumberFormatOptions & { locale?: unknown };
    const loc = localeOf(args, locale, hashLocale);
    const format = cached(numberFormats, `${loc}|${JSON.stringify(options)}`, () => new Intl.NumberFormat(loc, options));
    return format.format(toNumber(value, 'formatNumber'));
  },
  /** `{{formatDate shipped "en-GB" dateStyle="long" timeZone="Europe/Amsterdam"}}` via Intl.DateTimeFormat. */
  formatDate: (...args: unknown[]) => {
    const [value, locale] = positional(args);
    const { locale: hashLocale, ...hash } = hashOf(args) as Intl.DateTimeFormatOptions & { locale?: unknown };
    // Deterministic whatever TZ and LANG say: UTC unless the message names a time zone, the locale the
    // template names, else the recipient's, else `en`; `dateStyle: medium` unless it asks for other fields.
    const fields = Object.keys(hash).filter(
      (k) => k !== 'timeZone' && k !== 'hour12' && k !== 'hourCycle' && k !== 'calendar' && k !== 'numberingSystem',
    );
    const options: Intl.DateTimeFormatOptions = {
      ...(fields.length === 0 ? { dateStyle: 'medium' } : {}),
      ...hash,
      timeZone: typeof hash.timeZone === 'string' ? hash.timeZone : 'UTC',
    };
    const loc = localeOf(args, locale, hashLocale);
    const format = cached(dateFormats, `${loc}|${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(loc, options));
    return format.format(toDate(value));
  },
  /** `{{formatCurrency price "EUR"}}`: an amount in a currency (ISO 4217), in the recipient's locale unless one is named. */
  formatCurrency: (...args: unknown[]) => {
    const [value, currency, locale] = positional(args);
    const { locale: hashLocale, ...hash } = hashOf(args) as Intl.NumberFormatOptions & { locale?: unknown };
    const code = typeof currency === 'string' ? currency : typeof hash.currency === 'string' ? hash.currency : undefined;
    if (code === undefined || !/^[A-Za-z]{3}$/.test(code))
      throw new RenderFailure(
        'E_RENDER',
        undefined,
        `formatCurrency: ${JSON.stringify(code ?? null)} is not an ISO 4217 currency code (such as EUR)`,
      );
    const options: Intl.NumberFormatOptions = { ...hash, style: 'currency', currency: code.toUpperCase() };
    const loc = localeOf(args, locale, hashLocale);
    const format = cached(numberFormats, `${loc}|${JSON.stringify(options)}`, () => new Intl.NumberFormat(loc, options));
    return format.format(toNumber(value, 'formatCurrency'));
  },
  /**
   * `{{#if (eq plan "pro")}}`: strict equality, which fails closed: values that differ but read the
   * same (`pro ` and `pro`, `Pro` and `pro`, the number 1 and the text "1") refuse the row (eqRefusal).
   */
  eq: (...args: unknown[]) => {
    const [a, b] = positional(args);
    if (a === b) return true;
    const problem = eqRefusal(a, b);
    if (problem !== undefined) throw eqFailure(a, b, problem, hashOf(args));
    return false;
  },
  /** `{{json order}}`: the value as JSON text. */
  json: (...args: unknown[]) => JSON.stringify(positional(args)[0]),
} as const;

export type HelperName = keyof typeof HELPERS;
export const HELPER_NAMES: ReadonlySet<string> = new Set(Object.keys(HELPERS));
/** Block helpers built into Handlebars that chirp allows; they guard optional values. */
export const BUILTIN_BLOCKS: ReadonlySet<string> = new Set(['if', 'unless', 'each', 'with']);

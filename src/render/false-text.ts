// Text that reads as false, which a condition (`{{#if vip}}`) would take as true: Handlebars takes any
// non-empty text as true. Compared as a person reads it: without spaces or invisible characters
// anywhere (`false\u200b`), compatibility forms composed (fullwidth `ｆａｌｓｅ`, `０`), accents dropped,
// in any case; and any text that is the number zero (`0.0`, `00`, `-0`, `0e3`, `0,0`).
import { UNSEEN } from './unseen.js';

/** The words (after the folding above) that read as false or as nothing. Documented in docs/templates.md. */
export const FALSE_WORDS: readonly string[] = [
  'false',
  'f',
  'no',
  'n',
  'off',
  'null',
  'nil',
  'none',
  'undefined',
  'nan',
  'nein',
  'non',
  'nee',
];
const WORDS: ReadonlySet<string> = new Set(FALSE_WORDS);

/** Marks left by decomposition (accents). */
const MARKS = /\p{M}/gu;
/** A decimal number (sign, digits, one `.` or `,`, exponent). */
const NUMBER = /^[+-]?(\d+[.,]?\d*|[.,]\d+)(e[+-]?\d+)?$/;

/** Text that reads as false (see above); a blank text (spaces, invisible characters only) too: it reads as nothing. */
export function readsFalse(value: string): boolean {
  if (value === '') return false; // Handlebars takes the empty text as false already.
  const text = value.normalize('NFKD').replace(MARKS, '').replace(UNSEEN, '').toLowerCase();
  if (text === '' || WORDS.has(text)) return true;
  return NUMBER.test(text) && Number(text.replace(',', '.')) === 0;
}

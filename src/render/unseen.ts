// What a reader does not see in a text: spaces of any kind, zero-width and format characters, fillers,
// the blank braille cell (isBlank's set, src/render/helpers.ts). One definition for the checks that
// compare text as it reads (conditions, column names) and for how a refusal shows a value.

/** Every unseen character (global: for `replace`). */
export const UNSEEN = /[\p{White_Space}\p{Default_Ignorable_Code_Point}\u2800]/gu;

/** The text as a refusal shows it: quoted, with invisible characters and odd spaces written out (`"false\u200b"`). */
export function shownText(value: string): string {
  return JSON.stringify(value).replace(UNSEEN, (c) => (c === ' ' ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

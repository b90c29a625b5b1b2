// Control characters: what a terminal, GitHub's log (a newline starts a workflow command) or a
// bidi-aware viewer (U+202E reverses what follows) would act on instead of showing. One set, used by
// the reporters' escaping (src/report/escape.ts) and by the catalog, which refuses such file names.

/** C0 controls but tab and newline, DEL, C1 controls (CSI is U+009B), line/paragraph separators, bidi embeddings, overrides and isolates. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same and tab and newline: nothing of it belongs in a name. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NAME_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function visible(c: string): string {
  const code = c.charCodeAt(0);
  if (c === '\r') return '\\r';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Control characters (and bidi overrides) shown as `\x1b` / `\u202e`; tab and newline kept. */
export function showControls(text: string): string {
  return text.replace(CONTROLS, visible);
}

/** Control characters, tab and newline shown: always one line. */
export function oneLine(text: string): string {
  return showControls(text).replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}

/** Whether a name (a file name, an id) holds any control character, tab and newline included. */
export function hasControlChar(text: string): boolean {
  return NAME_CONTROLS.test(text);
}

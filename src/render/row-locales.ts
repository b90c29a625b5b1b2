// Which locales a run's rows ask for, decided as the render decides them (the same validation,
// coercion and defaults, then the same locale template): the template preflight then asks Bird about
// exactly the locales the rows resolve to, not every locale the lock approves.
import type { Row } from '../types.js';
import type { CompiledMessage } from './compile.js';
import { rowValues } from './stream.js';

/**
 * The canonical locales the rows ask for; undefined when the message has no `locale`, or when a row
 * is refused before its locale is known (the send refuses invalid rows and sends nothing; the
 * preflight then checks every approved locale, as without this pass).
 */
export async function requestedLocales(
  message: CompiledMessage,
  rows: AsyncIterable<Row>,
  fromText: boolean,
): Promise<Set<string> | undefined> {
  const requested = new Set<string>();
  for await (const row of rows) {
    // As renderStream hands CSV rows to renderRow: an empty cell is absent (so a default applies).
    const locale = message.rowLocale(rowValues(row, fromText), fromText);
    if (!locale) return undefined;
    requested.add(locale.requested);
  }
  return requested;
}

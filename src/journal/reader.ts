// Read a journal back. Tolerant of what crashes leave (a torn last line), strict about everything
// else: a line that does not verify is damage, listed with its line number, never silently skipped.
import { UserError } from '../errors.js';
import { headerFromLine, missingHeader } from './file-ends.js';
import { readLines } from './lines.js';
import { checkLine } from './records.js';
import { StateFold, type JournalDamage, type JournalState } from './state.js';
import type { HeaderRecord, JournalRecord } from './records.js';

/** What reads a journal's verified records, in file order, once its header is known. */
export interface RecordFold<T> {
  apply(record: JournalRecord, line: number): void;
  finish(path: string, tornLines: number, lineDamage: JournalDamage[]): T;
}

/**
 * The journal's state per recipient; `also` sees every verified record too (in the same single pass:
 * `chirp status` reads what it needs beside the state without reading the file twice).
 */
export function readJournal(path: string, also?: (record: JournalRecord) => void): Promise<JournalState> {
  return foldJournal(path, (header) => {
    const fold = new StateFold(header);
    if (!also) return fold;
    return {
      apply: (record, line) => {
        fold.apply(record, line);
        also(record);
      },
      finish: (p, torn, damage) => fold.finish(p, torn, damage),
    };
  });
}

/** One streaming pass over a journal: every line verified, torn lines told from damage, records folded. */
export async function foldJournal<T>(path: string, start: (header: HeaderRecord) => RecordFold<T>): Promise<T> {
  let fold: RecordFold<T> | undefined;
  let tornLines = 0;
  let lineNo = 0;
  const damage: JournalDamage[] = [];
  // A bad line is torn (cut by a crash) if it is the last one and unterminated, or a `resume` follows
  // it (reopenJournal terminates a cut line and writes `resume` right after); otherwise it is damage.
  let pending: JournalDamage | undefined;
  let required = false;
  try {
    for await (const { text, terminated } of readLines(path)) {
      lineNo++;
      if (text === '' || text === '\r') continue;
      if (fold === undefined) {
        const header = headerFromLine(path, text);
        required = header.v >= 2;
        fold = start(header);
        continue;
      }
      const checked = checkLine(text, required);
      if (pending !== undefined) {
        if (checked.ok && checked.record.t === 'resume') tornLines++;
        else damage.push(pending);
        pending = undefined;
      }
      if (!checked.ok) {
        pending = { line: lineNo, reason: checked.reason, ...(checked.keys ? { keys: checked.keys } : {}) };
        if (!terminated) {
          tornLines++;
          pending = undefined;
        }
        continue;
      }
      fold.apply(checked.record, lineNo);
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError('E_JOURNAL', `cannot read journal ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (fold === undefined) throw missingHeader(path);
  // A terminated last line that does not verify was not cut by a crash (a crash leaves no newline).
  if (pending !== undefined) damage.push(pending);
  return fold.finish(path, tornLines, damage);
}

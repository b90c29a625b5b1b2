// Read a journal back. Tolerant of what crashes leave (a torn last line), strict about everything
// else: a line that does not verify is damage, listed with its line number, never silently skipped.
import { UserError } from '../errors.js';
import { headerFromLine, missingHeader } from './file-ends.js';
import { readLines } from './lines.js';
import { checkLine } from './records.js';
import { StateFold, type JournalDamage, type JournalState } from './state.js';

export async function readJournal(path: string): Promise<JournalState> {
  let fold: StateFold | undefined;
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
        fold = new StateFold(header);
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

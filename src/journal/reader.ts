// Read a journal back for resume. Tolerant of what crashes leave: it throws only when the file
// cannot be read or has no header, and counts every line it had to skip.
import { UserError } from '../errors.js';
import { headerFromLine, missingHeader } from './file-ends.js';
import { readLines } from './lines.js';
import { parseRecord } from './records.js';
import { StateFold, type JournalState } from './state.js';

export async function readJournal(path: string): Promise<JournalState> {
  let fold: StateFold | undefined;
  let tornLines = 0;
  // An unparsable line is torn (cut by a crash) if it is the last or a `resume` follows it,
  // since reopenJournal terminates a cut line and writes `resume` right after; otherwise corrupt.
  let unparsed = false;
  try {
    for await (const { text } of readLines(path)) {
      if (text === '') continue;
      if (fold === undefined) {
        fold = new StateFold(headerFromLine(path, text));
        continue;
      }
      const record = parseRecord(text);
      if (unparsed) {
        if (record?.t === 'resume') tornLines++;
        else fold.corruptLines++;
      }
      unparsed = record === undefined;
      if (record !== undefined) fold.apply(record);
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError('E_JOURNAL', `cannot read journal ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (fold === undefined) throw missingHeader(path);
  if (unparsed) tornLines++;
  return fold.finish(path, tornLines);
}

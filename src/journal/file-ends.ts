// The first and last lines of a journal without streaming the whole file:
// the header for resume and listings, the tail for a run's quick state.
import { open } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { checkLine, JOURNAL_FORMAT, parseRecord, type HeaderRecord, type JournalRecord } from './records.js';

const CHUNK = 64 * 1024;
const MAX_HEADER = 1024 * 1024;

/** Said of an empty file, or one whose header was cut: the run died while being created, before anything was sent. */
export const missingHeader = (path: string): UserError => new UserError('E_JOURNAL', `journal ${path} has no valid header line`);

const BOM = '\uFEFF';

/**
 * The header from a journal's first line, or a UserError saying why there is none. A UTF-8 byte order
 * mark and a CRLF line end (an editor's) are tolerated; a format newer than this chirp's is refused,
 * never skipped: its runs may hold recipients already sent.
 */
export function headerFromLine(path: string, raw: string): HeaderRecord {
  const line = raw.startsWith(BOM) ? raw.slice(1) : raw;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line.endsWith('\r') ? line.slice(0, -1) : line);
  } catch {
    throw missingHeader(path);
  }
  const { t, v } = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as { t?: unknown; v?: unknown };
  if (t === 'header' && typeof v === 'number' && v > JOURNAL_FORMAT) {
    throw new UserError(
      'E_JOURNAL_VERSION',
      `journal ${path} was written by a newer chirp (journal format ${v}; this chirp reads formats 1 to ${JOURNAL_FORMAT}): upgrade chirp to send with this journal folder, or move the file out of it`,
    );
  }
  const checked = checkLine(line, v === 2);
  if (checked.ok && checked.record.t === 'header') return checked.record;
  if (t === 'header' && v !== 1 && v !== 2) {
    throw new UserError(
      'E_JOURNAL_VERSION',
      `journal ${path} has version ${JSON.stringify(v)}; this chirp reads formats 1 to ${JOURNAL_FORMAT}`,
    );
  }
  if (t === 'header' && !checked.ok)
    throw new UserError('E_JOURNAL_DAMAGED', `journal ${path}:1: the header line is damaged (${checked.reason})`);
  throw missingHeader(path);
}

async function withFile<T>(path: string, use: (file: Awaited<ReturnType<typeof open>>) => Promise<T>): Promise<T> {
  let file;
  try {
    file = await open(path, 'r');
  } catch (error) {
    throw new UserError('E_JOURNAL', `cannot read journal ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return await use(file);
  } finally {
    await file.close();
  }
}

export function readHeader(path: string): Promise<HeaderRecord> {
  return withFile(path, async (file) => {
    const pieces: Buffer[] = [];
    for (let position = 0; position < MAX_HEADER; position += CHUNK) {
      const { buffer, bytesRead } = await file.read(Buffer.alloc(CHUNK), 0, CHUNK, position);
      const bytes = buffer.subarray(0, bytesRead);
      const nl = bytes.indexOf(10);
      pieces.push(nl === -1 ? bytes : bytes.subarray(0, nl));
      if (nl !== -1 || bytesRead < CHUNK) break;
    }
    const line = Buffer.concat(pieces).toString('utf8');
    return headerFromLine(path, line);
  });
}

/** The records that parse among the last `size` bytes; the cut first line is dropped. */
export function readTail(path: string, size = CHUNK): Promise<JournalRecord[]> {
  return withFile(path, async (file) => {
    const { size: fileSize } = await file.stat();
    const start = Math.max(0, fileSize - size);
    const { buffer, bytesRead } = await file.read(Buffer.alloc(fileSize - start), 0, fileSize - start, start);
    const lines = buffer.subarray(0, bytesRead).toString('utf8').split('\n');
    if (start > 0) lines.shift();
    return lines.flatMap((line) => parseRecord(line) ?? []);
  });
}

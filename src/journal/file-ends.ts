// The first and last lines of a journal without streaming the whole file:
// the header for resume and listings, the tail for a run's quick state.
import { open } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { parseRecord, type HeaderRecord, type JournalRecord } from './records.js';

const CHUNK = 64 * 1024;
const MAX_HEADER = 1024 * 1024;

/** Said of an empty file, or one whose header was cut: the run died while being created, before anything was sent. */
export const missingHeader = (path: string): UserError => new UserError('E_JOURNAL', `journal ${path} has no valid header line`);

/** The header from a journal's first line, or a UserError saying why there is none. */
export function headerFromLine(path: string, line: string): HeaderRecord {
  const record = parseRecord(line);
  if (record?.t === 'header') return record;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw missingHeader(path);
  }
  const { t, v } = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as { t?: unknown; v?: unknown };
  if (t === 'header' && v !== 1) {
    throw new UserError('E_JOURNAL_VERSION', `journal ${path} has version ${JSON.stringify(v)}; this chirp reads version 1`);
  }
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

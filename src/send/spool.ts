// The planning pass keeps every request it decided to send, exactly as rendered and validated: in
// memory while small, else in a private temporary file; the sending pass reads them back. So what goes out is byte for byte what was
// checked, rendering happens once, and memory stays flat for any number of recipients.
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Entry {
  key: string;
  /** 1-based data row. */
  row: number;
  recipient: string;
  /** The request's `reference` (what status reconciliation matches on). */
  reference: string;
  /** The request body, as rendered. */
  json: string;
  /** Hash of the message's own rendered request for this row (not a fallback's): what idempotency compares. */
  hash: string;
}

const FLUSH_AT = 1 << 20;
const NL = 0x0a;
const TAB = 0x09;
/** Below this many characters the requests stay in memory; above it they go to a private temp file. */
const MEMORY_LIMIT = 4 << 20;

export class SpoolWriter {
  private chunks: string[] = [];
  private size = 0;
  /** Entries kept in memory while the spool is small (no encoding, no file). */
  private memory: Entry[] | undefined = [];
  private memorySize = 0;
  private fd: number | undefined;
  private dir: string | undefined;
  count = 0;

  private constructor(private readonly memoryLimit: number) {}

  static create(memoryLimit = MEMORY_LIMIT): Promise<SpoolWriter> {
    return Promise.resolve(new SpoolWriter(memoryLimit));
  }

  add(entry: Entry): void {
    this.count++;
    if (this.memory) {
      this.memory.push(entry);
      this.memorySize += entry.json.length + entry.key.length + entry.recipient.length + entry.reference.length + entry.hash.length + 16;
      if (this.memorySize > this.memoryLimit) this.spill();
      return;
    }
    // Tabs and newlines cannot occur unescaped in a JSON text, a key, a chirp reference or an E.164
    // number / e-mail; a reference the definition sets is rendered text: the caller replaces them.
    const line = `${entry.key}\t${entry.hash}\t${entry.row}\t${entry.recipient}\t${entry.reference}\t${entry.json}\n`;
    this.chunks.push(line);
    this.size += line.length;
    if (this.size >= FLUSH_AT) this.flush();
  }

  /** Too big for memory: move everything to a file created with mode 0600 (it holds recipients and content). */
  private spill(): void {
    const entries = this.memory ?? [];
    this.memory = undefined;
    this.dir = mkdtempSync(join(tmpdir(), 'chirp-spool-'));
    this.fd = openSync(join(this.dir, 'requests.tsv'), 'w', 0o600);
    this.count -= entries.length;
    for (const entry of entries) this.add(entry);
  }

  private flush(): void {
    if (this.size === 0 || this.fd === undefined) return;
    writeSync(this.fd, this.chunks.join(''));
    this.chunks = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  entries(): AsyncIterable<Entry> {
    return this.memory ? fromMemory(this.memory) : readSpool(join(this.dir!, 'requests.tsv'));
  }

  remove(): void {
    this.close();
    this.memory = undefined;
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

async function* fromMemory(entries: Entry[]): AsyncGenerator<Entry> {
  await Promise.resolve();
  yield* entries;
}

/**
 * Each field is decoded from the file's bytes into a string of its own. Slices of one big decoded
 * chunk would be V8 sliced strings that keep the whole chunk (1–2 MB) alive for as long as any entry
 * of it is (a batch in flight, a key in a set): a dozen chunks pinned doubled the live heap of a send.
 * Tab and newline bytes never occur inside a multi-byte UTF-8 sequence, so splitting bytes is safe.
 */
export async function* readSpool(path: string): AsyncGenerator<Entry> {
  // One buffer, reused: fresh 1 MB chunks per read would be external memory that V8 frees only when
  // it next collects (60 MB of them waited at a time in a send of 1,000,000).
  const file = await open(path, 'r');
  try {
    let bytes = Buffer.allocUnsafe(1 << 20);
    let filled = 0;
    for (;;) {
      if (filled === bytes.length) {
        // A line longer than the buffer: grow it.
        const bigger = Buffer.allocUnsafe(bytes.length * 2);
        bytes.copy(bigger, 0, 0, filled);
        bytes = bigger;
      }
      const { bytesRead } = await file.read(bytes, filled, bytes.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
      const start = yield* entriesOf(bytes.subarray(0, filled), 0);
      // The unfinished line moves to the front; every entry before it is already decoded (copied).
      bytes.copyWithin(0, start, filled);
      filled -= start;
    }
  } finally {
    await file.close();
  }
}

/** The entries of the whole lines in bytes from start on; returns where the unfinished line begins. */
function* entriesOf(bytes: Buffer, start: number): Generator<Entry, number> {
  for (let end = bytes.indexOf(NL, start); end !== -1; end = bytes.indexOf(NL, start)) {
    const h = bytes.indexOf(TAB, start);
    const a = bytes.indexOf(TAB, h + 1);
    const b = bytes.indexOf(TAB, a + 1);
    const c = bytes.indexOf(TAB, b + 1);
    const d = bytes.indexOf(TAB, c + 1);
    yield {
      key: bytes.toString('utf8', start, h),
      hash: bytes.toString('utf8', h + 1, a),
      row: Number(bytes.toString('latin1', a + 1, b)),
      recipient: bytes.toString('utf8', b + 1, c),
      reference: bytes.toString('utf8', c + 1, d),
      json: bytes.toString('utf8', d + 1, end),
    };
    start = end + 1;
  }
  return start;
}

// The planning pass keeps every request it decided to send, exactly as rendered and validated: in
// memory while small, else in a private temporary file; the sending pass reads them back. So what goes out is byte for byte what was
// checked, rendering happens once, and memory stays flat for any number of recipients.
import { closeSync, mkdtempSync, openSync, rmSync, write } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
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

/** Buffer's own encoders, without `write`'s argument juggling (they exist on every Node Buffer). */
type Encoding = { utf8Write(text: string, offset: number): number; latin1Write(text: string, offset: number): number };

/** Writes waiting for the disk at most: past this, the planning pass waits (memory stays bounded). */
const WRITES_AHEAD = 4;

export class SpoolWriter {
  /** Lines are encoded straight into this buffer (no line string, no join), written out when it fills. */
  private buf: Buffer = Buffer.allocUnsafe(0);
  private size = 0;
  /** Full buffers go to the disk on libuv's thread pool (the copy runs beside rendering); free ones are reused. */
  private free: Buffer[] = [];
  private writes = new Set<Promise<void>>();
  private position = 0;
  private failure: Error | undefined;
  private done: Promise<void> | undefined;
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
    if (this.failure) throw this.failure;
    this.count++;
    if (this.memory) {
      this.memory.push(entry);
      this.memorySize += entry.json.length + entry.key.length + entry.recipient.length + entry.reference.length + entry.hash.length + 16;
      if (this.memorySize > this.memoryLimit) this.spill();
      return;
    }
    // Tabs and newlines cannot occur unescaped in a JSON text, a key, a chirp reference or an E.164
    // number / e-mail; a reference the definition sets is rendered text: the caller replaces them.
    // At most 3 bytes per UTF-16 code unit, a row number of at most 16 digits, six separators.
    const most = 3 * (entry.key.length + entry.hash.length + entry.recipient.length + entry.reference.length + entry.json.length) + 22;
    if (this.size + most > this.buf.length) {
      this.flush();
      if (most > this.buf.length) this.buf = Buffer.allocUnsafe(Math.max(FLUSH_AT, most));
    }
    const buf = this.buf as Buffer & Encoding;
    let at = this.size;
    at += buf.utf8Write(entry.key, at);
    buf[at++] = TAB;
    at += buf.utf8Write(entry.hash, at);
    buf[at++] = TAB;
    at += buf.latin1Write(String(entry.row), at);
    buf[at++] = TAB;
    at += buf.utf8Write(entry.recipient, at);
    buf[at++] = TAB;
    at += buf.utf8Write(entry.reference, at);
    buf[at++] = TAB;
    at += buf.utf8Write(entry.json, at);
    buf[at++] = NL;
    this.size = at;
  }

  /** More writes are waiting for the disk than the spool keeps: await `drained()` before adding more. */
  get behind(): boolean {
    return this.writes.size >= WRITES_AHEAD;
  }

  /** Resolves when at most one write is still waiting for the disk. */
  async drained(): Promise<void> {
    while (this.writes.size > 1) await Promise.race(this.writes);
    if (this.failure) throw this.failure;
  }

  /** Too big for memory: move everything to a file created with mode 0600 (it holds recipients and content). */
  private spill(): void {
    const entries = this.memory ?? [];
    this.memory = undefined;
    this.dir = mkdtempSync(join(tmpdir(), 'chirp-spool-'));
    this.fd = openSync(join(this.dir, 'requests.tsv'), 'w', 0o600);
    this.buf = Buffer.allocUnsafe(FLUSH_AT);
    this.count -= entries.length;
    for (const entry of entries) this.add(entry);
  }

  private flush(): void {
    if (this.size === 0 || this.fd === undefined) return;
    const buf = this.buf;
    const write = writeAll(this.fd, buf, this.size, this.position).then(
      () => {
        if (buf.length === FLUSH_AT) this.free.push(buf);
      },
      (error: unknown) => {
        this.failure ??= error instanceof Error ? error : new Error(String(error));
      },
    );
    this.position += this.size;
    const tracked = write.finally(() => this.writes.delete(tracked));
    this.writes.add(tracked);
    this.buf = this.free.pop() ?? Buffer.allocUnsafe(FLUSH_AT);
    this.size = 0;
  }

  /** Writes what is left; the file is complete when `written()` resolves. */
  close(): void {
    void this.written().catch(() => undefined);
  }

  /** Closes the spool if it is not yet; resolves when every write is on file, rejects if one failed. */
  written(): Promise<void> {
    if (this.done) return this.done;
    this.flush();
    const fd = this.fd;
    this.fd = undefined;
    this.buf = Buffer.allocUnsafe(0);
    this.free = [];
    this.done = Promise.all(this.writes).then(() => {
      if (fd !== undefined) closeSync(fd);
      if (this.failure) throw this.failure;
    });
    // Read by entries() and by the caller; an unobserved failure must not end the process.
    this.done.catch(() => undefined);
    return this.done;
  }

  entries(): AsyncIterable<Entry> {
    return this.memory ? fromMemory(this.memory) : readSpool(join(this.dir!, 'requests.tsv'), this.written());
  }

  remove(): void {
    this.close();
    this.memory = undefined;
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Positional writes: the file's order does not depend on which write finishes first. */
async function writeAll(fd: number, buf: Buffer, size: number, position: number): Promise<void> {
  let done = 0;
  while (done < size) {
    const { bytesWritten } = await new Promise<{ bytesWritten: number }>((resolve, reject) =>
      write(fd, buf, done, size - done, position + done, (error, bytesWritten) => (error ? reject(error) : resolve({ bytesWritten }))),
    );
    done += bytesWritten;
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
 *
 * Not an async generator: the entries of one read are decoded together and handed out from an array,
 * so an entry costs one resolved promise, not a generator's resumption and a microtask queue round.
 */
export function readSpool(path: string, ready: Promise<void> = Promise.resolve()): AsyncIterable<Entry> {
  return {
    [Symbol.asyncIterator]: () => {
      let file: FileHandle | undefined;
      let ended = false;
      // Two buffers, reused: while the entries of one are handed out, the next read fills the other
      // (the read runs on libuv's thread pool). Fresh 1 MB chunks per read would be external memory
      // that V8 frees only when it next collects (60 MB of them waited at a time in a send of 1,000,000).
      let bytes = Buffer.allocUnsafe(1 << 20);
      let other = Buffer.allocUnsafe(1 << 20);
      let filled = 0;
      let reading: Promise<number> | undefined;
      let entries: Entry[] = [];
      let next = 0;
      const close = async (): Promise<void> => {
        ended = true;
        await reading?.catch(() => 0);
        reading = undefined;
        const f = file;
        file = undefined;
        await f?.close();
      };
      const start = (): void => {
        const f = file!;
        if (filled === bytes.length) {
          // A line longer than the buffer: grow it.
          const bigger = Buffer.allocUnsafe(bytes.length * 2);
          bytes.copy(bigger, 0, 0, filled);
          bytes = bigger;
        }
        reading = f.read(bytes, filled, bytes.length - filled, null).then((r) => r.bytesRead);
      };
      const refill = async (): Promise<void> => {
        if (file === undefined) {
          await ready;
          file = await open(path, 'r');
          start();
        }
        entries = [];
        next = 0;
        while (entries.length === 0 && reading !== undefined) {
          const bytesRead = await reading;
          reading = undefined;
          if (bytesRead === 0) {
            await close();
            break;
          }
          filled += bytesRead;
          const from = entriesOf(bytes, filled, entries);
          // The unfinished line moves to the front of the other buffer, and the next read fills the
          // rest of it while these entries are sent; every entry before it is already decoded (copied).
          if (other.length < bytes.length) other = Buffer.allocUnsafe(bytes.length);
          bytes.copy(other, 0, from, filled);
          filled -= from;
          [bytes, other] = [other, bytes];
          start();
        }
      };
      return {
        next: async (): Promise<IteratorResult<Entry>> => {
          if (next === entries.length) {
            if (ended) return { value: undefined, done: true };
            try {
              await refill();
            } catch (error) {
              await close();
              throw error;
            }
            if (next === entries.length) return { value: undefined, done: true };
          }
          return { value: entries[next++]!, done: false };
        },
        return: async (): Promise<IteratorResult<Entry>> => {
          entries = [];
          next = 0;
          await close();
          return { value: undefined, done: true };
        },
      };
    },
  };
}

/** Decodes the whole lines in bytes[0, end) into out; returns where the unfinished line begins. */
function entriesOf(all: Buffer, end: number, out: Entry[]): number {
  const bytes = all.subarray(0, end);
  let start = 0;
  for (let nl = bytes.indexOf(NL, start); nl !== -1; nl = bytes.indexOf(NL, start)) {
    const h = bytes.indexOf(TAB, start);
    const a = bytes.indexOf(TAB, h + 1);
    const b = bytes.indexOf(TAB, a + 1);
    const c = bytes.indexOf(TAB, b + 1);
    const d = bytes.indexOf(TAB, c + 1);
    let row = 0;
    for (let i = a + 1; i < b; i++) row = row * 10 + bytes[i]! - 0x30;
    out.push({
      key: bytes.toString('utf8', start, h),
      hash: bytes.toString('utf8', h + 1, a),
      row,
      recipient: bytes.toString('utf8', b + 1, c),
      reference: bytes.toString('utf8', c + 1, d),
      json: bytes.toString('utf8', d + 1, nl),
    });
    start = nl + 1;
  }
  return start;
}

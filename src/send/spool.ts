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
  /**
   * The request body, as rendered: the renderer's text, or its UTF-8 bytes when read back from the
   * spool file (they go into the batch body as they are: decoding and encoding them again was a
   * tenth of the dispatch phase).
   */
  json: string | Uint8Array;
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
    if (typeof entry.json === 'string') at += buf.utf8Write(entry.json, at);
    else {
      buf.set(entry.json, at);
      at += entry.json.length;
    }
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

  entries(): EntrySource {
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

/**
 * Entries in the order they were planned. `batches(size)` hands out the same entries in arrays of
 * `size` (the last one shorter): one promise per batch instead of one per entry, for the dispatch loop
 * (a promise, an iterator result and an async resumption per entry were a quarter of a send's garbage).
 */
export interface EntrySource extends AsyncIterable<Entry> {
  batches?(size: number): AsyncIterable<Entry[]>;
}

function fromMemory(entries: Entry[]): EntrySource {
  return {
    async *[Symbol.asyncIterator]() {
      await Promise.resolve();
      yield* entries;
    },
    async *batches(size: number) {
      await Promise.resolve();
      for (let i = 0; i < entries.length; i += size) yield entries.slice(i, i + size);
    },
  };
}

/**
 * Each field is decoded from the file's bytes into a string of its own. Slices of one big decoded
 * chunk would be V8 sliced strings that keep the whole chunk (1–2 MB) alive for as long as any entry
 * of it is (a batch in flight, a key in a set): a dozen chunks pinned doubled the live heap of a send.
 * Tab and newline bytes never occur inside a multi-byte UTF-8 sequence, so splitting bytes is safe.
 *
 * The lines of one read are found together; each entry is decoded only when it is handed out, so the
 * entries of a whole read (≈ 2,000 a MB) do not wait in memory for the send to reach them.
 */
export function readSpool(path: string, ready: Promise<void> = Promise.resolve()): EntrySource {
  return {
    [Symbol.asyncIterator]: () => {
      const reader = new SpoolReader(path, ready);
      return {
        next: async (): Promise<IteratorResult<Entry>> => {
          const entry = reader.take() ?? ((await reader.more()) ? reader.take() : undefined);
          return entry === undefined ? { value: undefined, done: true } : { value: entry, done: false };
        },
        return: async (): Promise<IteratorResult<Entry>> => {
          await reader.close();
          return { value: undefined, done: true };
        },
      };
    },
    async *batches(size: number) {
      const reader = new SpoolReader(path, ready);
      try {
        let batch: Entry[] = [];
        for (;;) {
          for (let entry = reader.take(); entry !== undefined; entry = batch.length < size ? reader.take() : undefined) batch.push(entry);
          if (batch.length === size) {
            yield batch;
            batch = [];
          } else if (!(await reader.more())) break;
        }
        if (batch.length > 0) yield batch;
      } finally {
        await reader.close();
      }
    },
  };
}

class SpoolReader {
  #file: FileHandle | undefined;
  #ended = false;
  // Two buffers, reused: while the entries of one are handed out, the next read fills the other
  // (the read runs on libuv's thread pool). Fresh 1 MB chunks per read would be external memory
  // that V8 frees only when it next collects (60 MB of them waited at a time in a send of 1,000,000).
  #bytes = Buffer.allocUnsafe(1 << 20);
  #other = Buffer.allocUnsafe(1 << 20);
  #filled = 0;
  #reading: Promise<number> | undefined;
  /** The buffer the lines waiting to be handed out are in, where each begins, and its newline. */
  #lines = this.#other;
  #starts: number[] = [];
  #ends: number[] = [];
  #next = 0;

  constructor(
    private readonly path: string,
    private readonly ready: Promise<void>,
  ) {}

  /** The next entry already read, decoded now; undefined when `more()` must be awaited first. */
  take(): Entry | undefined {
    if (this.#next === this.#starts.length) return undefined;
    const at = this.#next++;
    return entryOf(this.#lines, this.#starts[at]!, this.#ends[at]!);
  }

  /** Reads the next lines once every line read before was handed out; false at the end of the file. */
  async more(): Promise<boolean> {
    if (this.#ended) return false;
    try {
      await this.#refill();
    } catch (error) {
      await this.close();
      throw error;
    }
    return this.#next < this.#starts.length;
  }

  async close(): Promise<void> {
    this.#ended = true;
    this.#starts = [];
    this.#ends = [];
    this.#next = 0;
    await this.#reading?.catch(() => 0);
    this.#reading = undefined;
    const f = this.#file;
    this.#file = undefined;
    await f?.close();
  }

  #start(): void {
    const f = this.#file!;
    if (this.#filled === this.#bytes.length) {
      // A line longer than the buffer: grow it.
      const bigger = Buffer.allocUnsafe(this.#bytes.length * 2);
      this.#bytes.copy(bigger, 0, 0, this.#filled);
      this.#bytes = bigger;
    }
    this.#reading = f.read(this.#bytes, this.#filled, this.#bytes.length - this.#filled, null).then((r) => r.bytesRead);
  }

  async #refill(): Promise<void> {
    if (this.#file === undefined) {
      await this.ready;
      this.#file = await open(this.path, 'r');
      this.#start();
    }
    this.#starts = [];
    this.#ends = [];
    this.#next = 0;
    while (this.#starts.length === 0 && this.#reading !== undefined) {
      const bytesRead = await this.#reading;
      this.#reading = undefined;
      if (bytesRead === 0) {
        await this.close();
        break;
      }
      this.#filled += bytesRead;
      const bytes = this.#bytes;
      const from = linesOf(bytes, this.#filled, this.#starts, this.#ends);
      // The unfinished line moves to the front of the other buffer, and the next read fills the rest
      // of it while these lines are handed out from this one. Every line in the other buffer was
      // handed out (decoded, copied) before this refill began: refills wait for that.
      if (this.#other.length < bytes.length) this.#other = Buffer.allocUnsafe(bytes.length);
      bytes.copy(this.#other, 0, from, this.#filled);
      this.#filled -= from;
      this.#lines = bytes;
      this.#bytes = this.#other;
      this.#other = bytes;
      this.#start();
    }
  }
}

/** Finds the whole lines in bytes[0, end) (their starts and newline offsets); returns where the unfinished line begins. */
function linesOf(bytes: Buffer, end: number, starts: number[], ends: number[]): number {
  let start = 0;
  for (let nl = bytes.indexOf(NL, start); nl !== -1 && nl < end; nl = bytes.indexOf(NL, start)) {
    starts.push(start);
    ends.push(nl);
    start = nl + 1;
  }
  return start;
}

/** Decodes the line bytes[start, nl); the request stays bytes, copied out of the reused read buffer. */
function entryOf(bytes: Buffer, start: number, nl: number): Entry {
  const h = bytes.indexOf(TAB, start);
  const a = bytes.indexOf(TAB, h + 1);
  const b = bytes.indexOf(TAB, a + 1);
  const c = bytes.indexOf(TAB, b + 1);
  const d = bytes.indexOf(TAB, c + 1);
  let row = 0;
  for (let i = a + 1; i < b; i++) row = row * 10 + bytes[i]! - 0x30;
  return {
    key: bytes.toString('utf8', start, h),
    hash: bytes.toString('utf8', h + 1, a),
    row,
    recipient: bytes.toString('utf8', b + 1, c),
    reference: bytes.toString('utf8', c + 1, d),
    json: copyOut(bytes, d + 1, nl),
  };
}

/** bytes[start, end) in a buffer of their own (small ones share Node's pool, as `Buffer.from` does). */
function copyOut(bytes: Buffer, start: number, end: number): Buffer {
  const out = Buffer.allocUnsafe(end - start);
  bytes.copy(out, 0, start, end);
  return out;
}

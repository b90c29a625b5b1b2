// The planning pass keeps every request it decided to send, exactly as rendered and validated: in
// memory while small, else in a private temporary file; the sending pass reads them back. So what goes out is byte for byte what was
// checked, rendering happens once, and memory stays flat for any number of recipients.
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
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

export async function* readSpool(path: string): AsyncGenerator<Entry> {
  let rest = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = rest + (chunk as string);
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      const h = text.indexOf('\t', start);
      const a = text.indexOf('\t', h + 1);
      const b = text.indexOf('\t', a + 1);
      const c = text.indexOf('\t', b + 1);
      const d = text.indexOf('\t', c + 1);
      yield {
        key: text.slice(start, h),
        hash: text.slice(h + 1, a),
        row: Number(text.slice(a + 1, b)),
        recipient: text.slice(b + 1, c),
        reference: text.slice(c + 1, d),
        json: text.slice(d + 1, end),
      };
      start = end + 1;
    }
    rest = text.slice(start);
  }
}

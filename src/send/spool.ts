// The planning pass writes every request it decided to send, exactly as rendered and validated, to a
// private temporary file; the sending pass reads it back. So what goes out is byte for byte what was
// checked, rendering happens once, and memory stays flat for any number of recipients.
import { closeSync, createReadStream, openSync, rmSync, writeSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
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
}

const FLUSH_AT = 1 << 20;

export class SpoolWriter {
  private chunks: string[] = [];
  private size = 0;
  count = 0;

  private constructor(readonly path: string, private readonly fd: number) {}

  /** Created with mode 0600: it holds recipients and message content. */
  static async create(): Promise<SpoolWriter> {
    const dir = await mkdtemp(join(tmpdir(), 'chirp-spool-'));
    const path = join(dir, 'requests.tsv');
    return new SpoolWriter(path, openSync(path, 'w', 0o600));
  }

  // Tabs and newlines cannot occur unescaped in a JSON text, a key, a chirp reference or an E.164
  // number / e-mail; a reference the definition sets is rendered text, so it is escaped like JSON.
  add(entry: Entry): void {
    const line = `${entry.key}\t${entry.row}\t${entry.recipient}\t${entry.reference}\t${entry.json}\n`;
    this.chunks.push(line);
    this.size += line.length;
    this.count++;
    if (this.size >= FLUSH_AT) this.flush();
  }

  flush(): void {
    if (this.size === 0) return;
    writeSync(this.fd, this.chunks.join(''));
    this.chunks = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

export async function* readSpool(path: string): AsyncGenerator<Entry> {
  let rest = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = rest + (chunk as string);
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      const a = text.indexOf('\t', start);
      const b = text.indexOf('\t', a + 1);
      const c = text.indexOf('\t', b + 1);
      const d = text.indexOf('\t', c + 1);
      yield { key: text.slice(start, a), row: Number(text.slice(a + 1, b)), recipient: text.slice(b + 1, c), reference: text.slice(c + 1, d), json: text.slice(d + 1, end) };
      start = end + 1;
    }
    rest = text.slice(start);
  }
}

export function removeSpool(path: string): void {
  rmSync(join(path, '..'), { recursive: true, force: true });
}

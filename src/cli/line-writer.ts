// Buffered line output with backpressure: rendering a million rows must not await every line.
const FLUSH_AT = 64 * 1024;

export class LineWriter {
  private buffer: string[] = [];
  private size = 0;

  constructor(private readonly stream: NodeJS.WritableStream) {}

  /** Buffer a line; a promise only when the buffer was written out (await it), so most lines cost no await. */
  line(text: string): Promise<void> | undefined {
    this.buffer.push(text, '\n');
    this.size += text.length + 1;
    return this.size >= FLUSH_AT ? this.flush() : undefined;
  }

  async flush(): Promise<void> {
    if (this.size === 0) return;
    const chunk = this.buffer.join('');
    this.buffer = [];
    this.size = 0;
    if (!this.stream.write(chunk)) {
      await new Promise<void>((resolve) => this.stream.once('drain', resolve));
    }
  }
}

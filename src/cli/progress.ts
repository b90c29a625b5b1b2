// One rewritten status line on a terminal's stderr: sent / failed / unknown, rate, elapsed.
import type { DispatchCounts } from '../send/index.js';

export class Progress {
  private last = 0;
  private shown = false;

  constructor(private readonly stream: NodeJS.WritableStream) {}

  update(counts: DispatchCounts, startedMs: number): void {
    const now = Date.now();
    if (now - this.last < 200) return;
    this.last = now;
    const seconds = Math.max(0.001, (now - startedMs) / 1000);
    const done = counts.accepted + counts.failed + counts.unknown;
    const rate = Math.round(done / seconds);
    this.stream.write(
      `\r\u001b[2Ksent ${counts.accepted.toLocaleString('en-US')} · failed ${counts.failed} · unknown ${counts.unknown} · ${rate.toLocaleString('en-US')} msg/s · ${Math.round(seconds)} s`,
    );
    this.shown = true;
  }

  done(): void {
    if (this.shown) this.stream.write('\r\u001b[2K');
    this.shown = false;
  }
}

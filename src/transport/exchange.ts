// One HTTP attempt on undici's dispatch API. Cheaper than `request()` (no stream per response) and
// the only way to see *when* the request went onto a socket, which decides retry vs. unknown.
import type { Dispatcher } from 'undici';

/** Bird answers with small JSON. A larger body is still read to the end, so the socket is reused. */
const MAX_BODY_BYTES = 1 << 20;

/**
 * Uses undici's classic handler hooks: they are what Client, Pool, Agent and MockAgent all call in
 * the end (newer-style handlers are adapted to them), including `onConnect` just before the write.
 */
export class Exchange implements Dispatcher.DispatchHandler {
  /** undici has put the request on a socket: Bird may have read it from here on. */
  connected = false;
  /** 0 until a final (non-1xx) status line arrives. */
  status = 0;
  retryAfter: string | undefined = undefined;
  /** The answer's `Date` header: Bird's clock, for placing a run on it (status --reconcile). */
  date: string | undefined = undefined;
  /** Set when the attempt ended in an error (possibly after the status line). */
  error: unknown = undefined;
  resolve: (exchange: Exchange) => void = noop;
  #first: Buffer | undefined = undefined;
  #more: Buffer[] | undefined = undefined;
  #size = 0;

  onConnect(): void {
    this.connected = true;
  }

  onHeaders(status: number, rawHeaders: Buffer[] | string[] | null): boolean {
    if (status < 200) return true;
    this.status = status;
    if (rawHeaders !== null) this.date = findHeader(rawHeaders, 'date');
    // Only these statuses are retried, so only they need the header.
    if ((status === 429 || status >= 500) && rawHeaders !== null)
      this.retryAfter = findHeader(rawHeaders, 'retry-after');
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.#size + chunk.length <= MAX_BODY_BYTES) {
      if (this.#first === undefined) this.#first = chunk;
      else (this.#more ??= [this.#first]).push(chunk);
    }
    this.#size += chunk.length;
    return true;
  }

  onComplete(): void {
    this.resolve(this);
  }

  onError(error: Error): void {
    this.error = error;
    this.resolve(this);
  }

  /** The body as text ('' when there was none or it was over the size limit). */
  text(): string {
    if (this.#size > MAX_BODY_BYTES) return '';
    if (this.#more !== undefined) return Buffer.concat(this.#more).toString('utf8');
    return this.#first === undefined ? '' : this.#first.toString('utf8');
  }

  /** The body parsed as JSON; the text itself when it is not JSON; undefined when empty. */
  json(): unknown {
    const text = this.text();
    if (text === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
}

export function exchange(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions): Promise<Exchange> {
  const attempt = new Exchange();
  return new Promise<Exchange>((resolve) => {
    attempt.resolve = resolve;
    try {
      dispatcher.dispatch(options, attempt);
    } catch (error) {
      // Dispatchers report through onError; a throw means the request never left.
      attempt.onError(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

function findHeader(raw: Buffer[] | string[], name: string): string | undefined {
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const key = raw[i]!;
    if (key.length === name.length && key.toString().toLowerCase() === name) return raw[i + 1]!.toString();
  }
  return undefined;
}

function noop(): void {}

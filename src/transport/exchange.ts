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
  /** The Location header of a 3xx answer (chirp follows no redirect, but says where it pointed). */
  location: string | undefined = undefined;
  /** The answer's `Date` header: Bird's clock, for placing a run on it (status --reconcile). */
  date: string | undefined = undefined;
  /** Set when the attempt ended in an error (possibly after the status line). */
  error: unknown = undefined;
  resolve: (exchange: Exchange) => void = noop;
  #first: Buffer | undefined = undefined;
  #more: Buffer[] | undefined = undefined;
  #size = 0;
  #abort: ((error?: Error) => void) | undefined = undefined;
  #done = false;

  onConnect(abort: (error?: Error) => void): void {
    this.connected = true;
    this.#abort = abort;
  }

  /** Ends the attempt with `error` (an answer that trickles past its deadline). */
  abort(error: Error): void {
    if (this.#done) return;
    if (this.#abort !== undefined) this.#abort(error);
    else this.onError(error);
  }

  onHeaders(status: number, rawHeaders: Buffer[] | string[] | null): boolean {
    if (status < 200) return true;
    this.status = status;
    if (rawHeaders !== null) this.date = findHeader(rawHeaders, 'date');
    // Only these statuses are retried, so only they need the header.
    if ((status === 429 || status >= 500) && rawHeaders !== null) this.retryAfter = findHeader(rawHeaders, 'retry-after');
    if (status >= 300 && status < 400 && rawHeaders !== null) this.location = findHeader(rawHeaders, 'location');
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
    if (this.#done) return;
    this.#done = true;
    this.resolve(this);
  }

  onError(error: Error): void {
    if (this.#done) return;
    this.#done = true;
    this.error = error;
    this.resolve(this);
  }

  /** More than MAX_BODY_BYTES arrived: text() is '' then. */
  get bodyTooLarge(): boolean {
    return this.#size > MAX_BODY_BYTES;
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

/** Raised when a whole answer (headers and body) takes longer than its deadline: a trickling body. */
export class AnswerDeadlineError extends Error {
  readonly code = 'CHIRP_ANSWER_DEADLINE';
  constructor(ms: number) {
    super(`the answer took longer than ${ms} ms to arrive in full`);
  }
}

/**
 * undici's body timeout is per chunk: a body trickling one byte a second never trips it. `deadlineMs`
 * bounds the whole attempt, from dispatch to the last byte.
 */
export function exchange(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  deadlineMs?: number,
  started?: (attempt: Exchange) => void,
): Promise<Exchange> {
  const attempt = new Exchange();
  started?.(attempt);
  return new Promise<Exchange>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    attempt.resolve = (done) => {
      clearTimeout(timer);
      resolve(done);
    };
    if (deadlineMs !== undefined) {
      timer = setTimeout(() => attempt.abort(new AnswerDeadlineError(deadlineMs)), deadlineMs);
      timer.unref?.();
    }
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

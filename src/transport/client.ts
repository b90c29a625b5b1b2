// The Bird HTTP client behind `chirp send` and `chirp status`: one global rate limiter per method,
// bounded concurrency, retries only where Bird cannot have acted, and every answer classified.
// Nothing here prints, reads the environment or owns the dispatcher: the CLI passes them in.
import { setMaxListeners } from 'node:events';
import type { Dispatcher } from 'undici';
import { InternalError } from '../errors.js';
import { fullJitter, parseRetryAfter } from './backoff.js';
import { authMessage, classifyError, classifyStatus, errorCode, errorText } from './classify.js';
import { exchange, type Exchange } from './exchange.js';
import { scrubText, scrubValue } from '../util/index.js';

/** The run is shutting down and stopped waiting for this answer. */
class AbandonedError extends Error {
  readonly code = 'CHIRP_ABANDONED';
  constructor() {
    super('the run was interrupted while this answer was awaited');
  }
}
import { acceptedOutcome, failedOutcome, gaveUp, notSent, Retry } from './outcomes.js';
import { RateLimiter } from './rate-limiter.js';
import { resolveSettings, type Settings } from './settings.js';
import { Slots } from './slots.js';
import type {
  Endpoint,
  FatalOutcome,
  GetResult,
  SendOutcome,
  SendUnit,
  Transport,
  TransportEvent,
  TransportOptions,
  TransportStats,
} from './types.js';

export type * from './types.js';
export { createDispatcher, type DispatcherOptions } from './dispatcher.js';

interface Call {
  method: 'POST' | 'GET';
  endpoint: Endpoint | 'get';
  path: string;
  body: string | Uint8Array | undefined;
  limiter: RateLimiter;
  /** Reads nothing into Bird (GET, contact search): safe to repeat after a timeout. */
  readOnly: boolean;
}

export function createTransport(options: TransportOptions): Transport {
  return new BirdTransport(options);
}

class BirdTransport implements Transport {
  readonly #dispatcher: Dispatcher;
  readonly #s: Settings;
  readonly #workspace: string;
  readonly #key: string;
  readonly #onEvent: ((event: TransportEvent) => void) | undefined;
  readonly #post: RateLimiter;
  readonly #get: RateLimiter;
  readonly #slots: Slots;
  readonly #halting = new AbortController();
  /** Set once the run cannot go on (fatal or stop); every later call gets a copy without the network. */
  #halt: FatalOutcome | undefined;
  /** channelId → paths of its single and batch endpoints. */
  readonly #paths = new Map<string, [string, string]>();
  /** Attempts on the wire, for abandon(). */
  readonly #live = new Set<Exchange>();
  #requests = 0;
  #retries = 0;
  #throttled = 0;

  constructor(options: TransportOptions) {
    this.#s = resolveSettings(options);
    this.#dispatcher = options.dispatcher;
    this.#workspace = options.workspace;
    this.#key = options.accessKey;
    this.#onEvent = options.onEvent;
    this.#post = new RateLimiter({
      rate: options.rate,
      onRate: (rate) => this.#emit({ type: 'throttle', rate, method: 'POST' }),
    });
    this.#get = new RateLimiter({
      rate: this.#s.getRate,
      onRate: (rate) => this.#emit({ type: 'throttle', rate, method: 'GET' }),
    });
    this.#slots = new Slots(options.concurrency);
    // Every waiting sender listens on it; Node would warn past 10 listeners.
    setMaxListeners(Infinity, this.#halting.signal);
  }

  send(unit: SendUnit, endpoint: Endpoint): Promise<SendOutcome> {
    const { bodies } = unit;
    if (bodies.length === 0 || (endpoint === 'single' && bodies.length !== 1)) {
      return Promise.reject(
        new InternalError(`transport: a ${endpoint} send needs ${endpoint === 'single' ? 'one body' : 'bodies'}, got ${bodies.length}`),
      );
    }
    let paths = this.#paths.get(unit.channelId);
    if (paths === undefined) {
      const channel = `${this.#s.prefix}/channels/${encodeURIComponent(unit.channelId)}`;
      paths = [`${channel}/messages`, `${channel}/batch/messages`];
      this.#paths.set(unit.channelId, paths);
    }
    // Concatenated, not re-serialised: Bird gets the bytes the renderer produced and the plan recorded.
    const body = endpoint === 'single' ? bodies[0]! : batchBody(bodies);
    const path = endpoint === 'single' ? paths[0] : paths[1];
    return this.#perform({ method: 'POST', endpoint, path, body, limiter: this.#post, readOnly: false }) as Promise<SendOutcome>;
  }

  get(path: string): Promise<GetResult | SendOutcome> {
    const full = `${this.#s.prefix}${path.startsWith('/') ? '' : '/'}${path}`;
    return this.#perform({ method: 'GET', endpoint: 'get', path: full, body: undefined, limiter: this.#get, readOnly: true });
  }

  query(path: string, body: unknown): Promise<GetResult | SendOutcome> {
    const full = `${this.#s.prefix}${path.startsWith('/') ? '' : '/'}${path}`;
    return this.#perform({ method: 'POST', endpoint: 'get', path: full, body: JSON.stringify(body), limiter: this.#post, readOnly: true });
  }

  stop(): void {
    this.#fatal({ kind: 'fatal', reason: 'stopped', message: 'the transport was stopped' });
  }

  abandon(): void {
    this.stop();
    for (const attempt of this.#live) attempt.abort(new AbandonedError());
    this.#live.clear();
  }

  stats(): TransportStats {
    return {
      requests: this.#requests,
      retries: this.#retries,
      throttled: this.#throttled,
      currentRate: this.#post.currentRate,
    };
  }

  async #perform(call: Call): Promise<GetResult | SendOutcome> {
    if (this.#halt !== undefined) return notSent(this.#halt);
    let slot = this.#slots.acquire();
    if (slot !== true) slot = await slot;
    if (!slot) return notSent(this.#halt ?? { kind: 'fatal', reason: 'stopped', message: 'the transport was stopped' });
    try {
      return await this.#attempts(call);
    } finally {
      this.#slots.release();
    }
  }

  /** Holds its slot through the backoff: a struggling Bird sees fewer requests, not more. */
  async #attempts(call: Call): Promise<GetResult | SendOutcome> {
    const { limiter } = call;
    let onlyConnectFailures = true;
    for (let attempt = 1; ; attempt++) {
      let sentAt = this.#s.now();
      const slot = limiter.reserve(sentAt);
      if (slot > sentAt || limiter.admit(sentAt) !== 0) {
        sentAt = await this.#waitForToken(limiter, slot, sentAt);
        if (sentAt < 0) return notSent(this.#halt!);
      }
      this.#requests++;
      const pending = exchange(
        this.#dispatcher,
        {
          origin: this.#s.origin,
          path: call.path,
          method: call.method,
          headers: call.body === undefined ? this.#s.getHeaders : this.#s.postHeaders,
          body: call.body,
          headersTimeout: this.#s.timeoutMs,
          bodyTimeout: this.#s.timeoutMs,
        },
        this.#s.answerDeadlineMs,
        (attempt) => this.#live.add(attempt),
      );
      const result = await pending;
      this.#live.delete(result);
      if (this.#onEvent !== undefined) {
        const { method, endpoint } = call;
        const ms = this.#s.now() - sentAt;
        this.#emit({ type: 'request', method, endpoint, http: result.status, attempt, ms });
      }
      const verdict = this.#judge(call, result, sentAt, attempt);
      if (!(verdict instanceof Retry)) return verdict;
      if (!verdict.connectFailure) onlyConnectFailures = false;
      const end = this.#endBeforeRetry(verdict, attempt, onlyConnectFailures, call);
      if (end !== undefined) return end;
      this.#retries++;
      if (this.#onEvent !== undefined) {
        const { status, code, delayMs } = verdict;
        this.#emit(status !== 0 ? { type: 'retry', status, attempt, delayMs } : { type: 'retry', code, attempt, delayMs });
      }
      if (!(await this.#wait(verdict.delayMs))) return notSent(this.#halt!);
    }
  }

  /** The outcome of one attempt, or a Retry saying how long to wait first. */
  #judge(call: Call, result: Exchange, sentAt: number, attempt: number): GetResult | SendOutcome | Retry {
    const status = result.status;
    // A status line means Bird answered, even if the body broke off afterwards.
    if (status !== 0) {
      const verdict = classifyStatus(status);
      if (verdict === 'auth') {
        const message = authMessage(status, this.#workspace);
        return this.#fatal({ kind: 'fatal', reason: 'auth', http: status, message });
      }
      if (verdict === 'redirect') {
        const where = result.location === undefined ? 'without a Location header' : `pointing to ${this.#redact(result.location)}`;
        const message = `${this.#s.origin} answered HTTP ${status} ${where}: that is not Bird's API (a proxy or a moved address?). chirp follows no redirect, so the access key never goes elsewhere; check BIRD_API_URL or apiUrl in the config`;
        return this.#fatal({ kind: 'fatal', reason: 'redirect', http: status, message });
      }
      this.#slots.open();
      if (call.method === 'POST' && call.endpoint !== 'get') call.limiter.observe(verdict === 'throttled');
      if (verdict === 'ok' && result.error !== undefined && call.endpoint !== 'get') {
        // The status line came, the body broke off (or trickled past its deadline): Bird may have it.
        const code = this.#redact(errorCode(result.error));
        return {
          kind: 'unknown',
          code,
          reason: `HTTP ${status} but the answer broke off (${code}: ${this.#redact(errorText(result.error))}); Bird may have created it`,
        };
      }
      if (verdict === 'ok') {
        if (call.endpoint !== 'get') return acceptedOutcome(result, call.endpoint, this.#key);
        const answer: GetResult = { http: status, body: scrubValue(result.json(), this.#key) };
        // Bird's clock, for placing a run on it (status --reconcile).
        if (result.date !== undefined) answer.date = result.date;
        return answer;
      }
      if (verdict === 'failed') return failedOutcome(result, this.#key);
      const now = this.#s.now();
      const retryAfter = parseRetryAfter(result.retryAfter, now, this.#s.maxRetryAfterMs);
      // A sporadic 429 (a workspace shared with another sender) holds back only the request that got
      // it; a congestion event (many 429s among the recent answers) pauses every sender once and
      // halves the rate once. 429s of requests sent before that reaction belong to the same event.
      const congested = verdict !== 'throttled' || call.limiter.congested();
      if (verdict === 'throttled') {
        this.#throttled++;
        if (congested) call.limiter.slowDown(now, sentAt);
      }
      if (retryAfter === undefined) return new Retry(this.#backoff(attempt), status, undefined, `HTTP ${status}`);
      // A 503 may carry Retry-After too (RFC 9110): either way it is about the server, not this request.
      if (congested) call.limiter.pause(now + retryAfter, sentAt, now);
      return new Retry(retryAfter, status, undefined, `HTTP ${status}`);
    }
    const code = this.#redact(errorCode(result.error));
    const last = this.#redact(`${code}: ${errorText(result.error)}`);
    const where = classifyError(result.error, result.connected);
    if (where === 'closed') {
      return this.#fatal({
        kind: 'fatal',
        reason: 'stopped',
        code,
        message: `the HTTP dispatcher is closed (${last})`,
      });
    }
    if (where === 'connect') return new Retry(this.#backoff(attempt), 0, code, last, true);
    this.#slots.open();
    // Only a read is safe to repeat once it may have reached Bird.
    if (call.readOnly) return new Retry(this.#backoff(attempt), 0, code, last);
    const reason = `no answer after the request was sent (${last}); Bird may have created it`;
    return { kind: 'unknown', reason, code };
  }

  /** Why this retry must not happen (halted, attempts or budget used up), if it must not. */
  #endBeforeRetry(retry: Retry, attempt: number, onlyConnectFailures: boolean, call: Call): FatalOutcome | undefined {
    const { status, code, last } = retry;
    const halt = this.#halt;
    if (halt !== undefined) return { ...halt, message: `${halt.message} (before a retry; last ${last})` };
    if (attempt >= this.#s.maxAttempts) {
      if (onlyConnectFailures) {
        const message = `cannot reach ${this.#s.origin} after ${attempt} attempts (${last})`;
        return this.#fatal({ kind: 'fatal', reason: 'unreachable', code, message });
      }
      const exhausted = gaveUp('retries-exhausted', status, code, `gave up after ${attempt} attempts (last ${last})`);
      // A read that keeps failing is about that one resource (one message Bird cannot show): the
      // caller records it and goes on. A send that does must stop the run.
      return call.readOnly && call.endpoint === 'get' ? { ...exhausted, message: this.#redact(exhausted.message) } : this.#fatal(exhausted);
    }
    if (this.#retries >= this.#s.retryBudget) {
      const message = `the run's retry budget (${this.#s.retryBudget}) is spent (last ${last})`;
      return this.#fatal(gaveUp('retry-budget', status, code, message));
    }
    return undefined;
  }

  /** The slow path of taking a token: returns the send time, or -1 once the run is halted. */
  async #waitForToken(limiter: RateLimiter, slot: number, now: number): Promise<number> {
    for (;;) {
      if (slot > now) {
        if (!(await this.#wait(slot - now))) return -1;
        now = this.#s.now();
      }
      const wait = limiter.admit(now);
      if (wait === 0) return now;
      // A pause began while this sender waited: book a fresh slot behind it, so senders leave
      // the pause one by one instead of all at once.
      slot = wait < 0 ? limiter.reserve(now) : now + wait;
    }
  }

  async #wait(ms: number): Promise<boolean> {
    if (this.#halt !== undefined) return false;
    try {
      await this.#s.sleep(ms, this.#halting.signal);
    } catch {
      // An aborted sleep rejects; the halt check below is what counts.
    }
    return this.#halt === undefined;
  }

  #backoff(attempt: number): number {
    return fullJitter(attempt, this.#s.backoffBaseMs, this.#s.backoffCapMs, this.#s.random);
  }

  /** The first fatal wins: it halts everything waiting and is what later calls are told. */
  #fatal(outcome: FatalOutcome): FatalOutcome {
    if (this.#halt === undefined) {
      this.#halt = { ...outcome, message: this.#redact(outcome.message) };
      this.#slots.halt();
      this.#halting.abort();
    }
    return { ...outcome, message: this.#redact(outcome.message) };
  }

  #emit(event: TransportEvent): void {
    try {
      this.#onEvent?.(event);
    } catch {
      // Progress display must never change what gets sent.
    }
  }

  /** undici's errors do not carry headers, but a message built from text we did not write might. */
  #redact(text: string): string {
    return scrubText(text, this.#key);
  }
}

const BATCH_OPEN = '{"messageRequests":[';
const BATCH_CLOSE = ']}';

/**
 * `{"messageRequests":[b1,b2,…]}` encoded straight into one Buffer: the same bytes as the joined
 * string, without the two batch-sized strings (the join and its flattened copy) that undici would
 * otherwise encode again. The buffer is never written to after this, so retries resend it as is.
 */
export function batchBody(bodies: readonly (string | Uint8Array)[]): Buffer {
  let length = BATCH_OPEN.length + BATCH_CLOSE.length + bodies.length - 1;
  for (const body of bodies) length += typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length;
  const buffer = Buffer.allocUnsafeSlow(length);
  let at = buffer.write(BATCH_OPEN, 0, 'latin1');
  for (let i = 0; i < bodies.length; i++) {
    if (i > 0) buffer[at++] = 0x2c; // ','
    const body = bodies[i]!;
    if (typeof body === 'string') at += buffer.write(body, at, 'utf8');
    else {
      buffer.set(body, at);
      at += body.length;
    }
  }
  at += buffer.write(BATCH_CLOSE, at, 'latin1');
  if (at !== length) throw new InternalError(`transport: batch body is ${at} bytes, expected ${length}`);
  return buffer;
}

// Public types of the Bird HTTP client (see ../transport.ts for createTransport).
import type { Dispatcher } from 'undici';

export interface TransportOptions {
  /** An undici Agent/Pool (see createDispatcher for the recommended options), or a MockAgent in tests. */
  dispatcher: Dispatcher;
  /** e.g. https://api.bird.com; a trailing slash or a path prefix is fine. */
  baseUrl: string;
  /** Sent as `Authorization: AccessKey <key>`; never appears in an outcome, event or error. */
  accessKey: string;
  workspace: string;
  /** Max POSTs per second: no 1-second window holds more, and requests are paced, not burst. */
  rate: number;
  /** Max requests in flight (a send waiting out its backoff keeps its slot). */
  concurrency: number;
  /** Max GETs per second, on a limiter of their own (Bird counts GETs separately). Default 20. */
  getRate?: number;
  /** Full User-Agent value, e.g. `chirp/0.1.0`; a bare version gets `chirp/` in front. Default `chirp`. */
  userAgent?: string;
  /** Attempts per request, the first included. Default 6. */
  maxAttempts?: number;
  /** Retries allowed over the whole run. Default 1000. */
  retryBudget?: number;
  /** Per attempt, for the response headers and again between body chunks. Default 30 000. */
  timeoutMs?: number;
  /** Per attempt, for the whole answer (headers and every byte of the body): a trickling body ends here. Default 2 × timeoutMs + 1 s (undici’s own timers are coarse). */
  answerDeadlineMs?: number;
  /** Retry-After is clamped to [0, this]. Default 60 000. */
  maxRetryAfterMs?: number;
  /** Exponential backoff with full jitter: random() * min(cap, base * 2^(attempt-1)). Defaults 500 and 30 000. */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Epoch milliseconds (an HTTP-date Retry-After is compared with it). */
  now?: () => number;
  /** Resolves after ms; may reject or resolve early once `signal` aborts (stop or fatal). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Uniform in [0, 1), for the backoff jitter. */
  random?: () => number;
  /** Progress only: called synchronously; a throwing listener is ignored. */
  onEvent?: (event: TransportEvent) => void;
}

export type Endpoint = 'single' | 'batch';

export type TransportEvent =
  /** A retry is scheduled: `status` for an HTTP answer, `code` for a connection failure. */
  | { type: 'retry'; status?: number; code?: string; attempt: number; delayMs: number }
  /** The effective POST (or GET) rate changed: halved after a 429, or back at the configured rate. */
  | { type: 'throttle'; rate: number; method: 'POST' | 'GET' }
  /** One HTTP attempt ended; `http` is 0 when no answer came. */
  | { type: 'request'; method: 'POST' | 'GET'; endpoint: Endpoint | 'get'; http: number; attempt: number; ms: number };

export interface SendUnit {
  channelId: string;
  /**
   * Request bodies exactly as rendered, as text or as its UTF-8 bytes (read back from the spool);
   * sent byte for byte, never re-serialised.
   */
  bodies: (string | Uint8Array)[];
}

/** `redirect`: the API URL answered 3xx (not Bird: a proxy or a moved host); `disk`: the journal cannot be written. */
export type FatalReason = 'auth' | 'retries-exhausted' | 'retry-budget' | 'unreachable' | 'stopped' | 'redirect' | 'disk';

export type SendOutcome =
  | { kind: 'accepted'; http: number; ids?: string[]; batchId?: string; body?: unknown }
  /** Bird refused the request for good (400/404/409/422, other 4xx): never retried. */
  | { kind: 'failed'; http: number; code?: string; message?: string; details?: unknown }
  /** The request left but no answer came back: Bird may or may not have created it. Never retried. */
  | { kind: 'unknown'; reason: string; code?: string }
  /** The run cannot go on; every later send gets a fatal outcome without touching the network. */
  | { kind: 'fatal'; reason: FatalReason; http?: number; code?: string; message: string };

export type FatalOutcome = Extract<SendOutcome, { kind: 'fatal' }>;

export interface GetResult {
  http: number;
  body: unknown;
  /** The answer's `Date` header, when it had one (Bird's clock, 1-second resolution). */
  date?: string;
}

export interface TransportStats {
  /** HTTP attempts handed to the dispatcher. */
  requests: number;
  retries: number;
  /** 429 answers. */
  throttled: number;
  /** Effective POST rate now (below `rate` while recovering from a 429). */
  currentRate: number;
}

export interface Transport {
  /** 'single': POST .../channels/{ch}/messages with bodies[0]; 'batch': POST .../channels/{ch}/batch/messages. */
  send(unit: SendUnit, endpoint: Endpoint): Promise<SendOutcome>;
  /** GET a path under /workspaces/{ws} (e.g. `/channels/{ch}/messages/{id}`); retried even after a timeout. */
  get(path: string): Promise<GetResult | SendOutcome>;
  /** A read-only POST under /workspaces/{ws} (contact search): POST rate, retried like a GET. */
  query(path: string, body: unknown): Promise<GetResult | SendOutcome>;
  /** Stop taking work: waiting sends resolve fatal 'stopped' without the network; in-flight ones finish. */
  stop(): void;
  /** Like stop(), and end the requests in flight now (their answers are lost: unknown). For a bounded shutdown. */
  abandon(): void;
  stats(): TransportStats;
}

// What the fake Bird server breaks, on which requests, and how often. Faults are the reason the
// fake exists: chirp's retry and resume logic is only as good as the failures it has been shown.

/** Statuses a `status` fault can answer with. */
export type FaultStatus = 400 | 401 | 403 | 404 | 409 | 422 | 429 | 500 | 502 | 503 | 504;

export type Fault =
  /** Answer with this status and a Bird-shaped error body (or `body`: a string is sent raw as text/html,
   *  like a gateway's error page). The request is not processed. */
  | { kind: 'status'; status: FaultStatus; retryAfter?: string | number; body?: unknown }
  /** Read the request, then destroy the socket without processing it: nothing is created. */
  | { kind: 'reset-before' }
  /** Process the request (messages ARE created), then destroy the socket instead of answering:
   *  the case where a client cannot know whether its send went through. */
  | { kind: 'reset-after' }
  /** Answer normally after `ms` milliseconds. */
  | { kind: 'latency'; ms: number }
  /** Never answer; the socket stays open until the client gives up or close() is called. */
  | { kind: 'hang' }
  /** Answer `status` with this exact text (an HTML page from a proxy, '' for an empty body, `[]`, a
   *  cut `{"id":`) instead of Bird's answer. `process` (default false): create the messages first. */
  | { kind: 'raw'; status: number; body: string; contentType?: string; process?: boolean }
  /** Process the request, then send only the first `bytes` bytes of Bird's answer (chunked, ended cleanly). */
  | { kind: 'truncate'; bytes: number }
  /** Process the request, then send Bird's answer one byte every `intervalMs`. */
  | { kind: 'trickle'; intervalMs: number }
  /** Answer `status` (default 422) with an error body that echoes the request's Authorization header
   *  in every field (code, message, details, keys) and in response headers: a leaky proxy. Not processed. */
  | {
      kind: 'echo';
      status?: number;
      /** How the header is echoed (default as sent): URL-encoded, base64 of the whole header, upper-cased, or cut to its first 24 characters. */
      spelling?: 'url' | 'base64' | 'upper' | 'prefix';
    }
  /** Answer with a redirect to `location` without processing the request (a misconfigured proxy). */
  | { kind: 'redirect'; status: 301 | 302 | 303 | 307 | 308; location: string };

/** Which Bird operation a request is: `search` is the contact search, `other` an unknown route. */
export type Endpoint = 'single' | 'batch' | 'get' | 'search' | 'other';

export interface FaultRequest {
  method: string;
  path: string;
  endpoint: Endpoint;
}

export type FaultTarget = Endpoint | 'any' | ((request: FaultRequest) => boolean);

/** A fault plus where it applies (`on`, default 'any') and how many requests it hits (`times`). */
export type FaultSpec = Fault & { on?: FaultTarget; times?: number };

export interface RandomFaults {
  /** Share of matching requests that get a fault, 0..1. */
  rate: number;
  /** Same seed + same request order = same faults. */
  seed: number;
  /** Picked uniformly; default DEFAULT_RANDOM_KINDS. */
  kinds?: readonly Fault[];
  on?: FaultTarget;
}

export interface InjectedFault {
  /** 0-based position of the request among all requests the server has read. */
  request: number;
  endpoint: Endpoint;
  fault: Fault;
  source: 'queue' | 'rule' | 'random';
}

/** No `hang` (it would stall clients without timeouts) and no Retry-After (keeps soak tests fast). */
export const DEFAULT_RANDOM_KINDS: readonly Fault[] = [
  { kind: 'status', status: 500 },
  { kind: 'status', status: 503 },
  { kind: 'status', status: 429 },
  { kind: 'reset-before' },
  { kind: 'reset-after' },
  { kind: 'latency', ms: 20 },
];

interface Armed {
  fault: Fault;
  on: FaultTarget;
  left: number;
}

interface RandomSource {
  rate: number;
  kinds: readonly Fault[];
  on: FaultTarget;
  next: () => number;
}

/**
 * Precedence per request: the first matching pushed fault (FIFO), then standing rules in the order
 * they were set, then the random source. Only one fault applies to a request.
 */
export class FaultQueue {
  /** Every fault handed out, in request order, so tests can reconcile what the client saw. */
  readonly injected: InjectedFault[] = [];
  #queue: Armed[] = [];
  #rules = new Map<FaultTarget, Armed>();
  #random: RandomSource | undefined;
  #seen = 0;

  /** One-shot faults: each hits `times` (default 1) matching requests, then is gone. */
  push(...specs: FaultSpec[]): this {
    for (const spec of specs) this.#queue.push(arm(spec, spec.times ?? 1));
    return this;
  }

  /** A standing fault for `on` (replacing any set for the same target); unlimited unless `times`. null removes it. */
  set(on: FaultTarget, fault: (Fault & { times?: number }) | null): this {
    if (fault === null) this.#rules.delete(on);
    else this.#rules.set(on, { ...arm(fault, fault.times ?? Infinity), on });
    return this;
  }

  /** Seeded random faults on a share of requests; null turns them off. */
  random(options: RandomFaults | null): this {
    if (options === null) {
      this.#random = undefined;
      return this;
    }
    const kinds = options.kinds ?? DEFAULT_RANDOM_KINDS;
    if (!(options.rate >= 0 && options.rate <= 1)) {
      throw new RangeError(`fault rate must be within 0..1, got ${options.rate}`);
    }
    if (kinds.length === 0) throw new RangeError('random faults need at least one kind');
    this.#random = { rate: options.rate, kinds, on: options.on ?? 'any', next: mulberry32(options.seed) };
    return this;
  }

  clear(): this {
    this.#queue = [];
    this.#rules.clear();
    this.#random = undefined;
    return this;
  }

  /** Pushed faults not yet used up (counting `times`). */
  get pending(): number {
    return this.#queue.reduce((sum, armed) => sum + armed.left, 0);
  }

  /** Called by the server once per request, after its body is read. */
  take(request: FaultRequest): Fault | undefined {
    const index = this.#seen++;
    for (let i = 0; i < this.#queue.length; i++) {
      const armed = this.#queue[i]!;
      if (!matches(armed.on, request)) continue;
      if (--armed.left <= 0) this.#queue.splice(i, 1);
      return this.#log(index, request, armed.fault, 'queue');
    }
    for (const [key, armed] of this.#rules) {
      if (!matches(armed.on, request)) continue;
      if (--armed.left <= 0) this.#rules.delete(key);
      return this.#log(index, request, armed.fault, 'rule');
    }
    const random = this.#random;
    if (random === undefined || !matches(random.on, request)) return undefined;
    // Two draws per matching request whatever the outcome, so the sequence depends only on order.
    const hit = random.next() < random.rate;
    const pick = random.kinds[Math.floor(random.next() * random.kinds.length)];
    return hit && pick !== undefined ? this.#log(index, request, pick, 'random') : undefined;
  }

  #log(index: number, request: FaultRequest, fault: Fault, source: InjectedFault['source']): Fault {
    this.injected.push({ request: index, endpoint: request.endpoint, fault, source });
    return fault;
  }
}

function arm(spec: FaultSpec, times: number): Armed {
  if (!(times >= 1)) throw new RangeError(`fault times must be at least 1, got ${times}`);
  return { fault: spec, on: spec.on ?? 'any', left: times };
}

function matches(on: FaultTarget, request: FaultRequest): boolean {
  if (typeof on === 'function') return on(request);
  return on === 'any' || on === request.endpoint;
}

/** Tiny seeded PRNG (public-domain mulberry32): uniform floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

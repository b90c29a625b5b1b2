// One global limiter per HTTP method: paces requests (GCRA, i.e. a token bucket seen as a schedule),
// enforces a hard sliding 1-second window, slows down on 429 (AIMD) and pauses for Retry-After.

/**
 * Bird counts arrivals, and arrivals jitter relative to sends: requests spaced exactly 1000/rate ms
 * apart can land rate+1 in one of Bird's windows. Budgeting for a slightly longer window absorbs it.
 */
const WINDOW_MS = 1010;
/** Burst tolerance in ms of traffic: lets a late timer catch up a little at high rates, where one
 *  request per timer tick (~1 ms) would cap throughput. Below 200/s it is a single token. */
const BURST_MS = 10;
/** The hard window keeps one timestamp per allowed request; above this the pacing alone suffices. */
const MAX_RING = 100_000;

/** How many recent POST answers tell sporadic 429s from congestion, and the share that is congestion. */
const ANSWERS = 100;
const CONGESTED = 0.1;

export interface RateLimiterOptions {
  rate: number;
  /** Called when the effective rate is halved or has fully recovered. */
  onRate?: (rate: number) => void;
}

export class RateLimiter {
  readonly #rate: number;
  readonly #minRate: number;
  readonly #onRate: ((rate: number) => void) | undefined;
  #current: number;
  /** Emission interval and burst tolerance (ms) for #current. */
  #interval = 0;
  #tolerance = 0;
  /** Theoretical arrival time: when the next request would be due at a steady pace. */
  #tat = -Infinity;
  #pausedUntil = -Infinity;
  #pauseStarted = -Infinity;
  /** The last ANSWERS POST answers: 1 throttled, 0 not, 255 none yet. */
  readonly #answers = new Uint8Array(ANSWERS).fill(255);
  #answerAt = 0;
  #seenAnswers = 0;
  #throttledAnswers = 0;
  #lastDecrease = -Infinity;
  #lastRecover = 0;
  /** Send times of the last `ring.length` requests, oldest at #head. */
  readonly #ring: Float64Array | undefined;
  /** The ring's window: WINDOW_MS, or for a rate below 1/s the time one request takes (1 per 1/rate s). */
  readonly #span: number;
  #head = 0;

  constructor(options: RateLimiterOptions) {
    if (!(options.rate > 0)) throw new RangeError(`rate must be a positive number, got ${options.rate}`);
    this.#rate = options.rate;
    this.#minRate = Math.min(1, options.rate);
    this.#onRate = options.onRate;
    this.#current = options.rate;
    // Below 1/s the window is one request long: a late timer must not shorten the next gap either.
    const size = Math.max(1, Math.floor(options.rate));
    this.#span = options.rate >= 1 ? WINDOW_MS : WINDOW_MS / options.rate;
    if (size <= MAX_RING) this.#ring = new Float64Array(size).fill(-Infinity);
    this.#retune();
  }

  get currentRate(): number {
    return this.#current;
  }

  /** Books the next slot at the current pace and returns its time (≤ now: go at once). */
  reserve(now: number): number {
    if (this.#current < this.#rate) this.#recover(now);
    let start = this.#tat - this.#tolerance;
    if (start < now) start = now;
    if (start < this.#pausedUntil) start = this.#pausedUntil;
    this.#tat = (this.#tat > start ? this.#tat : start) + this.#interval;
    return start;
  }

  /**
   * Called at send time, after waiting for the reserved slot: 0 records the send and lets it go;
   * > 0 is how long the hard window still needs; < 0 means a pause began meanwhile: reserve again.
   */
  admit(now: number): number {
    if (now < this.#pausedUntil) return -1;
    const ring = this.#ring;
    if (ring !== undefined) {
      const free = ring[this.#head]! + this.#span;
      if (now < free) return free - now;
      ring[this.#head] = now;
      if (++this.#head === ring.length) this.#head = 0;
    }
    return 0;
  }

  /**
   * Every sender waits until `until` (a Retry-After), not only the one that was told; once per
   * congestion event: a request sent before the last pause began was sent into the same congestion,
   * and its 429 does not pause everyone again.
   */
  pause(until: number, sentAt = Infinity, now = -Infinity): void {
    if (sentAt < this.#pauseStarted) return;
    if (until > this.#pausedUntil) {
      this.#pausedUntil = until;
      this.#pauseStarted = now;
    }
  }

  /** Records one POST answer: throttled (429) or not. */
  observe(throttled: boolean): void {
    const old = this.#answers[this.#answerAt]!;
    this.#answers[this.#answerAt] = throttled ? 1 : 0;
    this.#answerAt = (this.#answerAt + 1) % ANSWERS;
    this.#throttledAnswers += (throttled ? 1 : 0) - (old === 1 ? 1 : 0);
    if (old === 255) this.#seenAnswers++;
  }

  /**
   * Whether the recent 429s are congestion (the rate is too high) rather than sporadic refusals (another
   * sender in the workspace took a moment's budget): at least CONGESTED of the last ANSWERS answers,
   * or too few answers yet to tell.
   */
  congested(): boolean {
    return this.#seenAnswers < ANSWERS / 4 || this.#throttledAnswers / Math.min(this.#seenAnswers, ANSWERS) >= CONGESTED;
  }

  /**
   * Multiplicative decrease on a 429. A request sent before the last decrease was sent at the old
   * pace, so its 429 says nothing new: one burst of 429s halves the rate once, not once per request.
   */
  slowDown(now: number, sentAt: number): void {
    if (sentAt < this.#lastDecrease) return;
    this.#lastDecrease = now;
    this.#lastRecover = now;
    this.#current = Math.max(this.#minRate, this.#current / 2);
    this.#retune();
    this.#onRate?.(this.#current);
  }

  /** Additive increase: a tenth of the configured rate per second without a 429. */
  #recover(now: number): void {
    const elapsed = now - this.#lastRecover;
    if (elapsed <= 0) return;
    this.#lastRecover = now;
    this.#current = Math.min(this.#rate, this.#current + (this.#rate / 10) * (elapsed / 1000));
    this.#retune();
    if (this.#current === this.#rate) this.#onRate?.(this.#current);
  }

  /**
   * With a burst of B tokens and one more every `interval`, any window of WINDOW_MS holds at most
   * B + (current - B) = current requests; B = 1 is the plain "capacity one token" pacing.
   */
  #retune(): void {
    const current = this.#current;
    if (current === Infinity) {
      this.#interval = 0;
      this.#tolerance = 0;
      return;
    }
    const burst = Math.max(1, Math.floor((current * BURST_MS) / 1000));
    this.#interval = WINDOW_MS / (current - burst + 1);
    this.#tolerance = (burst - 1) * this.#interval;
  }
}

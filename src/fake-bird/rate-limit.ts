// Bird limits per workspace, all channels together (500 POST/s and 50 GET/s by default).
// Fixed 1-second windows: cruder than Bird's limiter, but enough to make a client back off.

export interface RateLimits {
  postPerSecond?: number;
  getPerSecond?: number;
}

interface Window {
  start: number;
  post: number;
  get: number;
}

export class RateLimiter {
  #windows = new Map<string, Window>();
  readonly #limits: RateLimits;
  readonly #now: () => number;

  constructor(limits: RateLimits, now: () => number = () => performance.now()) {
    this.#limits = limits;
    this.#now = now;
  }

  /** Counts the request if it is allowed; a refused request does not use up the window. */
  allow(workspaceId: string, method: string): boolean {
    const now = this.#now();
    let window = this.#windows.get(workspaceId);
    if (window === undefined || now - window.start >= 1000) {
      window = { start: now, post: 0, get: 0 };
      this.#windows.set(workspaceId, window);
    }
    const isGet = method === 'GET';
    const limit = isGet ? this.#limits.getPerSecond : this.#limits.postPerSecond;
    const used = isGet ? window.get : window.post;
    if (limit !== undefined && used >= limit) return false;
    if (isGet) window.get++;
    else window.post++;
    return true;
  }
}

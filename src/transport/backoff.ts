// How long to wait before a retry.

/**
 * "Full jitter" (AWS architecture blog, "Exponential Backoff And Jitter"): spreading retries over
 * the whole interval keeps many senders that failed together from retrying together.
 * `attempt` is the 1-based number of the attempt that just failed.
 */
export function fullJitter(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt - 1, 30));
  return Math.floor(random() * ceiling);
}

/**
 * Retry-After is delta-seconds or an HTTP-date (RFC 9110 §10.2.3); undefined when absent or
 * unreadable, so the caller falls back to backoff. A date in the past means "now".
 */
export function parseRetryAfter(value: string | undefined, now: number, maxMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  let ms: number;
  // Decimals are not in the RFC but some proxies send them; reading them beats ignoring the header.
  if (/^\d+(?:\.\d+)?$/.test(text)) ms = Number(text) * 1000;
  else {
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  return Math.min(Math.max(0, Math.ceil(ms)), maxMs);
}

/** Resolves after ms, or early (never rejecting) once `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

// The send-side rate limit as a property, on a clock the test controls (no sleeps): whatever the rate
// (fractional, small, large, beyond the ring's size), the number of senders, how late their timers
// fire, Retry-After pauses and 429 slow-downs arriving at random moments, no sliding 1-second window
// ever holds more sends than --rate; below 1/s, sends are at least 1/rate seconds apart.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mulberry32 } from '../../src/fake-bird/index.js';
import { RateLimiter } from '../../src/transport/rate-limiter.js';

interface Run {
  rate: number;
  senders: number;
  total: number;
  lateMs: number;
  seed: number;
  /** Chance per send of a 429 (slowDown, and sometimes a Retry-After pause). */
  throttle: number;
}

/** Discrete-event run of senders that reserve a slot, sleep until it (waking late), admit and send. */
function run({ rate, senders, total, lateMs, seed, throttle }: Run): number[] {
  const limiter = new RateLimiter({ rate });
  const random = mulberry32(seed);
  const sends: number[] = [];
  const queue: { at: number; slot: number | undefined }[] = [];
  const schedule = (at: number, slot: number | undefined): void => {
    let i = queue.length;
    while (i > 0 && queue[i - 1]!.at > at) i--;
    queue.splice(i, 0, { at, slot });
  };
  for (let s = 0; s < senders; s++) schedule(random() * 5, undefined);
  while (sends.length < total) {
    const { at: now, slot: booked } = queue.shift()!;
    const slot = booked ?? limiter.reserve(now);
    if (slot > now) {
      schedule(slot + random() * lateMs, slot);
      continue;
    }
    const wait = limiter.admit(now);
    if (wait === 0) {
      sends.push(now);
      if (random() < throttle) {
        const answered = now + 1 + random() * 50;
        limiter.observe(true);
        limiter.slowDown(answered, now);
        if (random() < 0.3) limiter.pause(answered + random() * 2000, now, answered);
      } else limiter.observe(false);
      schedule(now + 1 + random() * 10, undefined);
    } else if (wait < 0) schedule(now, undefined);
    else schedule(now + wait + random() * lateMs, now + wait);
  }
  return sends.sort((a, b) => a - b);
}

/** The most sends in any window [t, t + ms). */
function busiest(sends: readonly number[], ms: number): number {
  let worst = 0;
  for (let i = 0, j = 0; i < sends.length; i++) {
    while (sends[i]! - sends[j]! >= ms) j++;
    worst = Math.max(worst, i - j + 1);
  }
  return worst;
}

const runs = fc.record({
  rate: fc.oneof(
    fc.double({ min: 0.2, max: 0.99, noNaN: true }),
    fc.double({ min: 1, max: 50, noNaN: true }),
    fc.integer({ min: 50, max: 3000 }),
    fc.constantFrom(1, 2, 200, 1000, 150_000),
  ),
  senders: fc.integer({ min: 1, max: 64 }),
  lateMs: fc.constantFrom(0, 1, 4, 25),
  seed: fc.integer(),
  throttle: fc.constantFrom(0, 0, 0.01, 0.2),
});

describe('RateLimiter: a true sliding-window limit', () => {
  it('never puts more than --rate sends in any 1-second window (property, injected clock)', () => {
    fc.assert(
      fc.property(runs, (r) => {
        const total = Math.min(3000, Math.max(60, Math.ceil(r.rate * 3)));
        const sends = run({ ...r, total });
        if (r.rate >= 1) expect(busiest(sends, 1000)).toBeLessThanOrEqual(Math.floor(r.rate));
        else for (let i = 1; i < sends.length; i++) expect(sends[i]! - sends[i - 1]!).toBeGreaterThanOrEqual(1000 / r.rate - 1e-6);
      }),
      { numRuns: 300 },
    );
  });

  it('the property can fail: a limiter that lets one extra send through is caught', () => {
    // The same measure applied to sends 1 ms closer than allowed: the check is not vacuous.
    const sends = run({ rate: 20, senders: 8, total: 100, lateMs: 0, seed: 1, throttle: 0 });
    expect(busiest(sends, 1000)).toBeLessThanOrEqual(20);
    expect(busiest(sends, 1020)).toBeGreaterThan(20);
  });

  it('stays close to the rate when nothing is throttled', () => {
    const sends = run({ rate: 200, senders: 16, total: 2000, lateMs: 1, seed: 7, throttle: 0 });
    const achieved = (sends.length - 1) / ((sends.at(-1)! - sends[0]!) / 1000);
    expect(achieved).toBeGreaterThan(200 * 0.97);
    expect(achieved).toBeLessThanOrEqual(200);
  });
});

// TransportOptions checked once and turned into what every request reuses (headers, paths, limits).
import { InternalError } from '../errors.js';
import { sleep } from './backoff.js';
import type { TransportOptions } from './types.js';

export interface Settings {
  origin: string;
  /** Path of /workspaces/{ws} under the base URL. */
  prefix: string;
  postHeaders: Record<string, string>;
  getHeaders: Record<string, string>;
  maxAttempts: number;
  retryBudget: number;
  timeoutMs: number;
  answerDeadlineMs: number;
  maxRetryAfterMs: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  getRate: number;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
}

/** Throws InternalError for options no valid configuration produces; the key is never quoted. */
export function resolveSettings(options: TransportOptions): Settings {
  const { accessKey, workspace } = options;
  // The key goes into a header; undici's own complaint about a bad one would not say which.
  if (typeof accessKey !== 'string' || !/^[\x21-\x7e]+$/.test(accessKey)) {
    throw new InternalError('transport: accessKey must be non-empty printable ASCII without spaces');
  }
  if (typeof workspace !== 'string' || workspace === '') throw new InternalError('transport: workspace is empty');
  let base: URL;
  try {
    base = new URL(options.baseUrl);
  } catch (error) {
    throw new InternalError('transport: baseUrl is not an absolute URL', { cause: error });
  }
  const settings: Settings = {
    origin: base.origin,
    prefix: `${base.pathname.replace(/\/+$/, '')}/workspaces/${encodeURIComponent(workspace)}`,
    postHeaders: {},
    getHeaders: {},
    maxAttempts: options.maxAttempts ?? 6,
    retryBudget: options.retryBudget ?? 1000,
    timeoutMs: options.timeoutMs ?? 30_000,
    answerDeadlineMs: options.answerDeadlineMs ?? 2 * (options.timeoutMs ?? 30_000) + 1000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
    backoffBaseMs: options.backoffBaseMs ?? 500,
    backoffCapMs: options.backoffCapMs ?? 30_000,
    getRate: options.getRate ?? 20,
    // performance.now() does not jump with the wall clock; timeOrigin makes it comparable to an HTTP-date.
    now: options.now ?? (() => performance.timeOrigin + performance.now()),
    sleep: options.sleep ?? sleep,
    random: options.random ?? Math.random,
  };
  positive('rate', options.rate);
  positive('getRate', settings.getRate);
  positive('timeoutMs', settings.timeoutMs);
  whole('concurrency', options.concurrency, 1);
  whole('maxAttempts', settings.maxAttempts, 1);
  whole('retryBudget', settings.retryBudget, 0);
  const agent = options.userAgent ?? 'chirp';
  settings.getHeaders = {
    authorization: `AccessKey ${accessKey}`,
    accept: 'application/json',
    // A bare version ("0.1.0") is what the CLI has at hand; the header wants a product token.
    'user-agent': /^\d/.test(agent) ? `chirp/${agent}` : agent,
  };
  settings.postHeaders = { ...settings.getHeaders, 'content-type': 'application/json' };
  return settings;
}

function positive(name: string, value: number): void {
  if (!(value > 0)) throw new InternalError(`transport: ${name} must be a positive number, got ${value}`);
}

function whole(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new InternalError(`transport: ${name} must be an integer ≥ ${min}, got ${value}`);
  }
}

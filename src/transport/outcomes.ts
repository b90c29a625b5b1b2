// Outcome values built from an answer, or from the fatal that halted the run.
import { errorFields } from './classify.js';
import { scrubText, scrubValue } from '../util/index.js';
import type { Exchange } from './exchange.js';
import type { Endpoint, FatalOutcome, SendOutcome } from './types.js';

type Accepted = Extract<SendOutcome, { kind: 'accepted' }>;
type Unknown = Extract<SendOutcome, { kind: 'unknown' }>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '' && v.length <= 200;

/** What a 2xx that is not Bird's answer means: Bird may or may not have the message (a proxy page, a cut body). */
function notBird(status: number, why: string): Unknown {
  return {
    kind: 'unknown',
    code: 'not_bird_answer',
    reason: `HTTP ${status} but ${why}, so it is not Bird's answer; Bird may or may not have created the message`,
  };
}

/**
 * A 2xx is `accepted` only when its body is Bird's: a JSON object with the message's `id` (single) or
 * the batch's id (`id`, or `batchId`: the field name is undocumented). An HTML page from a proxy, an
 * empty or cut body, an array: chirp cannot know whether anything was created, so it is unknown.
 */
export function acceptedOutcome(result: Exchange, endpoint: Endpoint, secret: string): Accepted | Unknown {
  const status = result.status;
  const text = result.text();
  if (text.trim() === '') return notBird(status, result.bodyTooLarge ? 'the body is larger than Bird ever answers' : 'the body is empty');
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    return notBird(status, /^\s*</.test(text) ? 'the body is HTML or XML' : 'the body is not complete JSON');
  }
  if (!isObject(body)) return notBird(status, `the body is a JSON ${Array.isArray(body) ? 'array' : typeof body}, not an object`);
  const id = endpoint === 'single' ? body.id : (body.id ?? body.batchId);
  if (!isId(id)) return notBird(status, `the body has no ${endpoint === 'single' ? 'message' : 'batch'} id`);
  if (endpoint === 'single' && body.status !== undefined && typeof body.status !== 'string')
    return notBird(status, 'its status is not a string');
  const outcome: Accepted = { kind: 'accepted', http: status, body: scrubValue(body, secret) };
  const clean = scrubText(id, secret);
  if (endpoint === 'single') outcome.ids = [clean];
  else outcome.batchId = clean;
  return outcome;
}

/** Every field of Bird's error body goes through the scrub: a proxy may echo the Authorization header anywhere. */
export function failedOutcome(result: Exchange, secret: string): SendOutcome {
  const fields = errorFields(scrubValue(result.json(), secret), scrubText(result.text(), secret));
  return { kind: 'failed', http: result.status, ...fields };
}

/** What a call gets when the run was halted before its request could leave. */
export function notSent(halt: FatalOutcome): FatalOutcome {
  return { kind: 'fatal', reason: halt.reason, message: `not sent: ${halt.message}` };
}

export function gaveUp(
  reason: 'retries-exhausted' | 'retry-budget',
  status: number,
  code: string | undefined,
  message: string,
): FatalOutcome {
  const outcome: FatalOutcome = { kind: 'fatal', reason, message };
  if (status !== 0) outcome.http = status;
  if (code !== undefined) outcome.code = code;
  return outcome;
}

/** An attempt Bird did not act on: wait `delayMs`, then try again (if attempts and budget allow). */
export class Retry {
  constructor(
    readonly delayMs: number,
    /** 0 when no answer came. */
    readonly status: number,
    readonly code: string | undefined,
    /** What went wrong, for the message should this turn fatal. */
    readonly last: string,
    /** The connection could not be opened: the request never left. */
    readonly connectFailure = false,
  ) {}
}

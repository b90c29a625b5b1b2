// Outcome values built from an answer, or from the fatal that halted the run.
import { errorFields } from './classify.js';
import type { Exchange } from './exchange.js';
import type { Endpoint, FatalOutcome, SendOutcome } from './types.js';

type Accepted = Extract<SendOutcome, { kind: 'accepted' }>;

/** A 2xx body bigger than this is not parsed: only its ids are looked for. */
const MAX_PARSED_BODY = 64 * 1024;

export function acceptedOutcome(result: Exchange, endpoint: Endpoint): Accepted {
  const outcome: Accepted = { kind: 'accepted', http: result.status };
  const text = result.text();
  let id: string | undefined;
  let batchId: string | undefined;
  if (text.length <= MAX_PARSED_BODY) {
    const body = result.json();
    if (body !== undefined) outcome.body = body;
    if (typeof body === 'object' && body !== null) {
      const fields = body as Record<string, unknown>;
      if (typeof fields.id === 'string') id = fields.id;
      if (typeof fields.batchId === 'string') batchId = fields.batchId;
    }
  } else {
    // Bird writes its own id first; a big body is not worth parsing for one field.
    id = /"id"\s*:\s*"([^"]*)"/.exec(text)?.[1];
    batchId = /"batchId"\s*:\s*"([^"]*)"/.exec(text)?.[1];
  }
  if (endpoint === 'single') {
    if (id !== undefined) outcome.ids = [id];
  } else {
    // The batch id's field name is undocumented: `id` if present, else `batchId`.
    const batch = id ?? batchId;
    if (batch !== undefined) outcome.batchId = batch;
  }
  return outcome;
}

export function failedOutcome(result: Exchange, redact: (text: string) => string): SendOutcome {
  const fields = errorFields(result.json(), result.text());
  if (fields.message !== undefined) fields.message = redact(fields.message);
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

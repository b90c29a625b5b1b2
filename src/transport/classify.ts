// What an HTTP answer or a network error means for a request: the one place that decides between
// "retry", "Bird said no", "Bird may have it" and "stop the run". A duplicate message is the worst
// outcome chirp can produce, so anything that may have reached Bird is never retried.

/**
 * Errors that can only happen while opening the connection, before any byte of the request left.
 * UND_ERR_CONNECT_TIMEOUT is undici's ConnectTimeoutError.
 */
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Errors that only exist once a request is on the wire. A mock dispatcher can raise them without
 * "connecting" first; they still must never be read as "not sent".
 */
const AFTER_WRITE_CODES = new Set([
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_ABORTED',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_RES_EXCEEDED_MAX_SIZE',
  'UND_ERR_INFO',
  'CHIRP_ANSWER_DEADLINE',
]);

/** The dispatcher was closed or destroyed under us: nothing was sent, and nothing more can be. */
const CLOSED_CODES = new Set(['UND_ERR_DESTROYED', 'UND_ERR_CLOSED']);

export type ErrorClass = 'connect' | 'written' | 'closed';

/**
 * `connected` is true once undici has handed the request to a socket (its onConnect, called just
 * before the write): from then on Bird may have read it. Before that, every error is a failure to
 * connect (DNS, refused, TLS handshake, connect timeout), which is safe to retry.
 */
export function classifyError(error: unknown, connected: boolean): ErrorClass {
  const code = errorCode(error);
  if (CONNECT_CODES.has(code)) return 'connect';
  // HPE_*: llhttp could not parse the answer, so there was one.
  if (connected || AFTER_WRITE_CODES.has(code) || code.startsWith('HPE_')) return 'written';
  return CLOSED_CODES.has(code) ? 'closed' : 'connect';
}

export function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { code, name } = error as { code?: unknown; name?: unknown };
    if (typeof code === 'string' && code !== '') return code;
    if (typeof name === 'string' && name !== '' && name !== 'Error') return name;
  }
  return 'ERROR';
}

export function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message === '' ? errorCode(error) : message;
}

export type StatusClass = 'ok' | 'throttled' | 'server' | 'auth' | 'redirect' | 'failed';

/**
 * Other 4xx are final for the request. A 3xx is not about the request at all: the API URL points at
 * something that is not Bird (a proxy, a moved host); chirp follows no redirect (the access key must
 * not go to another address) and stops the run.
 */
export function classifyStatus(status: number): StatusClass {
  if (status >= 200 && status < 300) return 'ok';
  if (status >= 300 && status < 400) return 'redirect';
  if (status === 429) return 'throttled';
  if (status === 401 || status === 403) return 'auth';
  if (status >= 500) return 'server';
  return 'failed';
}

/** Says which setting to check; the key itself never appears. */
export function authMessage(status: number, workspace: string): string {
  return status === 401
    ? 'Bird rejected the access key (HTTP 401): check BIRD_ACCESS_KEY'
    : `Bird refused the request (HTTP 403): check the access key's permissions and the workspace id (${workspace})`;
}

/** Bird's error bodies are `{code, message, details?}`; gateways answer with HTML or nothing. */
export function errorFields(body: unknown, text: string): { code?: string; message?: string; details?: unknown } {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const { code, message, details } = body as Record<string, unknown>;
    const fields: { code?: string; message?: string; details?: unknown } = {};
    if (typeof code === 'string') fields.code = code;
    if (typeof message === 'string') fields.message = message;
    if (details !== undefined) fields.details = details;
    return fields;
  }
  const snippet = text.trim().slice(0, 200);
  return snippet === '' ? {} : { message: snippet };
}

// HTTP answers as values, so a `reset-after` fault can compute one and then throw it away.

export interface Reply {
  status: number;
  /** Serialised as JSON, except a string, which is sent as it is. */
  body: unknown;
  headers?: Record<string, string>;
}

// Bird documents the shape ({code, message}) but not its codes, except InvalidPayload for 422.
const ERROR_CODES: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  422: 'InvalidPayload',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

/** A Bird `RequestError` (or `ValidationError` when `details` is given). */
export function errorReply(
  status: number,
  message: string,
  extra: { details?: Record<string, string[]>; headers?: Record<string, string> } = {},
): Reply {
  const code = ERROR_CODES[status] ?? 'Error';
  const body = extra.details === undefined ? { code, message } : { code, message, details: extra.details };
  return extra.headers === undefined ? { status, body } : { status, body, headers: extra.headers };
}

export function jsonReply(status: number, body: unknown): Reply {
  return { status, body };
}

// The undici Agent chirp recommends for the transport (the CLI creates it; tests may use others).
// undici is loaded on first use: importing it costs ~60 ms of every cold start, and `validate`,
// `render` and offline `plan` never open a connection.
import { createRequire } from 'node:module';
import type * as Undici from 'undici';
import type { Agent } from 'undici';

const load = createRequire(import.meta.url);

export interface DispatcherOptions {
  /** Sockets per origin: match the transport's `concurrency`. Default 16. */
  connections?: number;
  /** Headers and body timeout; the transport also sets them per request. Default 30 000. */
  timeoutMs?: number;
  /** TCP + TLS connect timeout. Default 10 000. */
  connectTimeoutMs?: number;
}

/**
 * Keep-alive race: if a server closes an idle socket just as a request is written onto it, the
 * request fails after it was sent and chirp must report it as unknown. Dropping idle sockets
 * sooner than servers do (typically 5 s or more) makes that rare; Keep-Alive hints from the server
 * still shorten it further. `pipelining: 1` keeps a broken socket from taking several requests down.
 */
export function createDispatcher(options: DispatcherOptions = {}): Agent {
  const timeout = options.timeoutMs ?? 30_000;
  const undici = load('undici') as typeof Undici;
  return new undici.Agent({
    connections: options.connections ?? 16,
    pipelining: 1,
    keepAliveTimeout: 4_000,
    keepAliveMaxTimeout: 10_000,
    headersTimeout: timeout,
    bodyTimeout: timeout,
    connect: { timeout: options.connectTimeoutMs ?? 10_000 },
  });
}

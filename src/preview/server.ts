// The live preview: node:http on a loopback address only, pages rendered on request, and a
// server-sent event stream that says "changed" when a watched file changes (the page then swaps its
// content in place). Host, port, clock and file watching come in as options; nothing here touches
// the process.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UserError } from '../errors.js';
import { parseRoute, PreviewSite, type SiteOptions } from './site.js';

/** Subscribe to changes of the catalog's files; returns the unsubscribe function. */
export type WatchFn = (onChange: (path: string) => void) => () => void;

export interface PreviewServerOptions extends SiteOptions {
  /** A loopback address (127.0.0.1, ::1 or localhost); anything else is refused. */
  host: string;
  /** 0 for any free port. */
  port: number;
  watch?: WatchFn;
  /** Editors write a file in several steps: changes within this many ms are one repaint (default 60). */
  debounceMs?: number;
  /** A page failed to render (a bug): the server answers 500 and reports it here. */
  onError?: (error: unknown) => void;
  /** A change was seen (for logs). */
  onChange?: (paths: string[], generation: number) => void;
}

export interface PreviewServer {
  url: string;
  port: number;
  /** Changes seen so far. */
  generation(): number;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

function securityHeaders(res: ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
}

export async function startPreviewServer(options: PreviewServerOptions): Promise<PreviewServer> {
  if (!LOOPBACK.has(options.host))
    throw new UserError('E_USAGE', `the preview serves on a loopback address only (127.0.0.1), not ${options.host}`);
  const site = new PreviewSite(options);
  const streams = new Set<ServerResponse>();
  let generation = 0;
  let port = options.port;

  // A page only for this machine's own names: another Host header is a DNS-rebinding attempt.
  const hostAllowed = (host: string | undefined): boolean => {
    if (!host) return false;
    const names = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
    return names.includes(host.toLowerCase());
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    securityHeaders(res);
    if (!hostAllowed(req.headers.host)) {
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' }).end('chirp preview: unknown Host\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/events') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
      res.write(`retry: 500\nevent: hello\ndata: ${generation}\n\n`);
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const route = parseRoute(url.pathname);
    if (!route) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    const page = await site.render(route, true, generation);
    res.writeHead(page.status, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(req.method === 'HEAD' ? undefined : page.html);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.onError?.(error);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('chirp preview: internal error (see the terminal)\n');
    });
  });
  server.keepAliveTimeout = 1000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: string[] = [];
  const changed = (path: string): void => {
    pending.push(path);
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      generation++;
      const paths = [...new Set(pending)];
      pending = [];
      options.onChange?.(paths, generation);
      for (const res of streams) res.write(`event: change\ndata: ${generation}\n\n`);
    }, options.debounceMs ?? 60);
  };
  const unwatch = options.watch?.(changed);
  // Proxies and browsers drop idle streams: a comment every 20 s keeps them open.
  const heartbeat = setInterval(() => {
    for (const res of streams) res.write(': ping\n\n');
  }, 20_000);
  heartbeat.unref();

  const host = options.host === '::1' ? '[::1]' : options.host;
  return {
    url: `http://${host}:${port}/`,
    port,
    generation: () => generation,
    close: async () => {
      unwatch?.();
      clearInterval(heartbeat);
      if (timer) clearTimeout(timer);
      for (const res of streams) res.end();
      streams.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

import { statSync, type Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Catalog } from '../catalog/index.js';
import { platformOf, UUID } from '../check/index.js';
import { UserError } from '../errors.js';
import { defaultJournalProblem } from '../journal/index.js';
import { WindowChecker } from '../send/index.js';
import { detectFormat } from '../sources/index.js';
import { createDispatcher, createTransport, type Transport } from '../transport/index.js';
import type { DataFormat, Platform } from '../types.js';
import type { DataInput, LibraryOptions } from './options.js';
import { chirpVersion } from '../version.js';
import { canonicalOrigin } from '../util/index.js';

export { catalogOf, clock, noWarn, type DataInput, type LibraryOptions } from './options.js';

/** A channel alias from the config, or a channel UUID as given. */
export function resolveChannel(catalog: Catalog, channel: string): string {
  if (UUID.test(channel)) return channel;
  const id = catalog.config.channels[channel];
  if (!id) throw new UserError('E_CHANNEL_ALIAS', `channel alias "${channel}" is not in ${catalog.config.configFile}`);
  return id;
}

/** `journal` (relative to cwd), or `.chirp/journal` in the catalog. A path that is not a folder is a user error. */
export function journalDir(options: LibraryOptions, catalog: Catalog, journal: string | undefined): string {
  const dir = journal ? resolve(options.cwd, journal) : join(catalog.config.root, '.chirp', 'journal');
  const placement = journal ? undefined : defaultJournalProblem(catalog.config.root, dir);
  if (placement) throw new UserError('E_JOURNAL_PLACE', `${placement}: a journal there is not where the catalog's runs are remembered`);
  let stats: Stats | undefined;
  try {
    stats = statSync(dir);
  } catch {
    // Missing: created when the first run starts. A missing parent is created too.
  }
  if (stats !== undefined && !stats.isDirectory()) {
    throw new UserError(
      'E_JOURNAL',
      `the journal folder ${dir} is not a folder${journal ? ' (check --journal)' : ''}; give --journal a folder (it is created if missing)`,
    );
  }
  return dir;
}

/** The platform of a channel (alias or id): part of every run's identity, beside origin, workspace and channel. */
export function platformFor(catalog: Catalog, channel: string): Platform {
  return platformOf(channel, catalog.config);
}

/** Where a run sends, beside workspace and channel (part of every run's identity). */
export function apiOrigin(catalog: Catalog): string {
  return canonicalOrigin(catalog.config.apiUrl);
}

interface ClientOptions {
  workspace: string;
  rate: number;
  getRate?: number;
  concurrency: number;
}

/** The Bird HTTP client for this catalog's API URL and the access key from the environment. */
export interface BirdClient {
  transport: Transport;
  /** Closes the connection pool chirp made (a dispatcher the caller passed in stays the caller's). */
  close: () => Promise<void>;
}

export function birdClient(options: LibraryOptions & { signal?: AbortSignal }, catalog: Catalog, client: ClientOptions): BirdClient {
  const own = options.dispatcher ? undefined : createDispatcher({ connections: client.concurrency });
  const transport = createTransport({
    dispatcher: options.dispatcher ?? own!,
    baseUrl: catalog.config.apiUrl,
    accessKey: catalog.config.accessKey ?? '',
    workspace: client.workspace,
    rate: client.rate,
    ...(client.getRate !== undefined ? { getRate: client.getRate } : {}),
    concurrency: client.concurrency,
    userAgent: `chirp/${chirpVersion()}`,
  });
  // After an interruption, requests still on the wire are abandoned (unknown): destroy, do not wait for them.
  return {
    transport,
    close: async () => {
      await (options.signal?.aborted ? own?.destroy() : own?.close());
    },
  };
}

export function resolveData(options: LibraryOptions, data: DataInput): { path: string; displayName: string; format?: DataFormat } {
  const format = data.format ?? detectFormat(data.path);
  return { path: resolve(options.cwd, data.path), displayName: data.path, ...(format ? { format } : {}) };
}

export { SEND_DEFAULTS } from '../defaults.js';

export function windowChecker(
  options: { windowMarginSeconds?: number },
  catalog: Catalog,
  transport: Transport,
  channelId: string,
  workspace: string,
  journal: string,
  now: () => Date,
): WindowChecker {
  return new WindowChecker(transport, channelId, join(journal, 'contacts.json'), () => now().getTime(), {
    scope: `${catalog.config.apiUrl}\0${workspace}`,
    ...(options.windowMarginSeconds !== undefined ? { marginMs: options.windowMarginSeconds * 1000 } : {}),
  });
}

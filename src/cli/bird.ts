// What send, plan and status share: where the journal lives, and the Bird client they talk through.
import { join, resolve } from 'node:path';
import type { Catalog } from '../index.js';
import { createDispatcher, createTransport, type Transport } from '../transport/index.js';
import type { Io } from './io.js';
import { chirpVersion } from './version.js';

/** `--journal DIR`, or `.chirp/journal` in the catalog. */
export function journalDir(io: Io, catalog: Catalog, flag: string | undefined): string {
  return flag ? resolve(io.cwd, flag) : join(catalog.config.root, '.chirp', 'journal');
}

export interface BirdClientOptions {
  workspace: string;
  /** POST requests per second; `getRate` GETs per second (the transport's default when absent). */
  rate: number;
  getRate?: number;
  concurrency: number;
}

/** The Bird HTTP client for this catalog's API URL and access key (from the environment only). */
export function birdTransport(catalog: Catalog, options: BirdClientOptions): Transport {
  return createTransport({
    dispatcher: createDispatcher({ connections: options.concurrency }),
    baseUrl: catalog.config.apiUrl, accessKey: catalog.config.accessKey ?? '', workspace: options.workspace,
    rate: options.rate, ...(options.getRate !== undefined ? { getRate: options.getRate } : {}), concurrency: options.concurrency,
    userAgent: `chirp/${chirpVersion()}`,
  });
}

// What every use case takes, and opening its catalog: apart from common.ts so that `validate` loads
// neither the send stage nor the transport nor the data readers (common.ts re-exports these).
import type { Dispatcher } from 'undici';
import { openCatalog, type Catalog } from '../catalog/index.js';
import type { DataFormat } from '../types.js';

/** What every command takes. Nothing is read from the process: pass what it needs. */
export interface LibraryOptions {
  /** The folder chirp runs in: relative paths and config discovery start here. */
  cwd: string;
  /** Environment values (BIRD_ACCESS_KEY, BIRD_WORKSPACE_ID, BIRD_API_URL). Default: none. */
  env?: Record<string, string | undefined>;
  /** `--config FILE`. */
  configPath?: string;
  /** The clock (default: the system's). */
  now?: () => Date;
  /** An undici dispatcher for every request to Bird (a MockAgent in tests). Default: a pool per command. */
  dispatcher?: Dispatcher;
  /** Warnings for the user (stale lock taken over, damaged journal lines, statuses not saved). */
  warn?: (text: string) => void;
}

/** A data file, or a stream of one (`path: '-'` with `input`). */
export interface DataInput {
  path: string;
  format?: DataFormat;
  /** Read when path is '-'. */
  input?: NodeJS.ReadableStream;
}

/** `coverage`: templates record which branches each render takes (plans against git, validate --coverage). */
export const catalogOf = (options: LibraryOptions, extra: { coverage?: boolean } = {}): Promise<Catalog> =>
  openCatalog({
    ...extra,
    cwd: options.cwd,
    env: options.env ?? {},
    ...(options.configPath ? { configPath: options.configPath } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
export const clock = (options: LibraryOptions): (() => Date) => options.now ?? (() => new Date());
export const noWarn = (): void => undefined;

// The write side: every record is one JSON line appended with a single synchronous write, so once
// append() returns the bytes are in the kernel and survive SIGKILL. Intents are also fdatasync'ed
// before the request leaves; concurrent callers share one sync (group commit).
import { closeSync, fdatasync, fsyncSync, writeSync } from 'node:fs';
import { InternalError, UserError } from '../errors.js';
import { releaseLock, type HeldLock } from './lock.js';
import { recordLine, type JournalRecord } from './records.js';

export interface JournalWriter {
  readonly runId: string;
  readonly path: string;
  /** E.g. a stale lock taken over, a cut last line terminated. For the CLI to print on stderr. */
  readonly warnings: readonly string[];
  /** fdatasync calls so far: with group commit, far fewer than appendDurable calls. */
  readonly syncs: number;
  /** Appends now and resolves once the records are on disk. Used for intents. */
  appendDurable(records: readonly JournalRecord[]): Promise<void>;
  /** Appends now, without fsync: survives the process dying, not the machine. Used for outcomes. */
  append(record: JournalRecord): void;
  /** Syncs, closes and releases the lock. Idempotent. */
  close(): Promise<void>;
}

const datasync = (fd: number): Promise<void> =>
  new Promise((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())));

const ioError = (what: string, path: string, error: unknown): UserError =>
  new UserError('E_JOURNAL', `cannot ${what} journal ${path}: ${(error as Error).message}`, { cause: error });

export class FileJournal implements JournalWriter {
  #syncs = 0;
  // The sync that has not started yet: records written before it starts are covered by it.
  #queued: Promise<void> | undefined;
  // The tail of the sync chain; never rejects.
  #chain: Promise<void> = Promise.resolve();
  // After a failed write or sync, what is on disk is unknown: refuse everything that follows.
  #failure: UserError | undefined;
  #closing: Promise<void> | undefined;

  constructor(
    readonly runId: string,
    readonly path: string,
    private readonly fd: number,
    private readonly lock: HeldLock,
    readonly warnings: string[],
  ) {}

  get syncs(): number {
    return this.#syncs;
  }

  append(record: JournalRecord): void {
    this.#write(`${recordLine(record)}\n`);
  }

  // The writes run synchronously at the call, before the first await: file order is call order.
  async appendDurable(records: readonly JournalRecord[]): Promise<void> {
    for (const record of records) this.append(record);
    await this.#sync();
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  /** Writes raw text; only for terminating a line cut by a crash before resuming. */
  writeRaw(text: string): void {
    this.#write(text);
  }

  #write(text: string): void {
    if (this.#closing) throw new InternalError(`journal ${this.path} is closed`);
    if (this.#failure) throw this.#failure;
    const bytes = Buffer.from(text, 'utf8');
    try {
      // One write per record; the loop only matters if the kernel ever accepts part of it.
      for (let done = 0; done < bytes.length;) done += writeSync(this.fd, bytes, done, bytes.length - done);
    } catch (error) {
      this.#failure = ioError('write', this.path, error);
      throw this.#failure;
    }
  }

  #sync(): Promise<void> {
    if (this.#queued) return this.#queued;
    const queued = this.#chain.then(async () => {
      this.#queued = undefined; // from here on, new records need the next sync
      if (this.#failure) throw this.#failure;
      try {
        await datasync(this.fd);
        this.#syncs++;
      } catch (error) {
        this.#failure = ioError('sync', this.path, error);
        throw this.#failure;
      }
    });
    this.#queued = queued;
    this.#chain = queued.catch(() => undefined);
    return queued;
  }

  async #close(): Promise<void> {
    await this.#chain;
    try {
      if (!this.#failure) fsyncSync(this.fd);
    } catch (error) {
      throw ioError('sync', this.path, error);
    } finally {
      closeSync(this.fd);
      releaseLock(this.lock);
    }
  }
}

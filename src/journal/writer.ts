// The write side of a run's journal, with group commit.
//
// append() writes its record with one synchronous write(2) before it returns: the bytes are in the
// kernel and survive SIGKILL. appendDurable() (intents) resolves only once its records are on disk.
// Durable records wait in an open group; one write and one fdatasync cover the whole group, so
// every intent written while a sync is running shares the next sync. A record is released only
// by a sync that started after the record was written. A failed write or sync fails every waiter
// and every later call: after it, what is on disk is unknown, and nothing more may be sent.
import { closeSync, fdatasync, fsyncSync, writeSync } from 'node:fs';
import { InternalError, UserError } from '../errors.js';
import { releaseLock, type HeldLock } from './lock.js';
import { lineRoom, writeRecordLine, type JournalRecord } from './records.js';

export interface JournalWriter {
  readonly runId: string;
  readonly path: string;
  /** E.g. a stale lock taken over, a cut last line terminated. For the CLI to print on stderr. */
  readonly warnings: readonly string[];
  /** fdatasync calls so far: with group commit, far fewer than appendDurable calls. */
  readonly syncs: number;
  /** Resolves once the records are on disk (rejects if that cannot be proven). Used for intents. */
  appendDurable(records: readonly JournalRecord[]): Promise<void>;
  /** Writes now, without fsync: survives the process dying, not the machine. Used for outcomes. */
  append(record: JournalRecord): void;
  /** Syncs, closes and releases the lock. Idempotent. */
  close(): Promise<void>;
}

/** The system calls the writer makes; tests inject a recording or failing one. */
export interface JournalFs {
  /** Like fs.writeSync: returns how many bytes the kernel took. */
  write(fd: number, bytes: Buffer, offset: number, length: number): number;
  datasync(fd: number): Promise<void>;
  fsync(fd: number): void;
  close(fd: number): void;
}

export const nodeJournalFs: JournalFs = {
  write: (fd, bytes, offset, length) => writeSync(fd, bytes, offset, length),
  datasync: (fd) => new Promise((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve()))),
  fsync: (fd) => fsyncSync(fd),
  close: (fd) => closeSync(fd),
};

const ioError = (what: string, path: string, error: unknown): UserError =>
  new UserError('E_JOURNAL', `cannot ${what} journal ${path}: ${(error as Error).message}`, { cause: error });

/** The callers waiting for the open group's sync. Its records are the bytes staged in the writer. */
interface Group {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

function openGroup(): Group {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A group nobody awaits any more (its caller gave up) must not become an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

export class FileJournal implements JournalWriter {
  #syncs = 0;
  /** Durable records not yet covered by a sync that has started; undefined when none. */
  #open: Group | undefined;
  /** Set while a group is being written and synced: the open group waits for it. */
  #syncing = false;
  /** Resolves when no sync runs and no group is open (close waits for it). */
  #idle: (() => void)[] = [];
  // After a failed write or sync, what is on disk is unknown: refuse everything that follows.
  #failure: UserError | undefined;
  #closing: Promise<void> | undefined;
  /**
   * Lines are encoded straight into this buffer, reused for every write: a fresh Buffer per record is
   * memory outside the heap that waits for a collection (megabytes of it at thousands of records a
   * second). Its first `#staged` bytes are the open group's durable records, not yet written: the
   * next write(2) (an append's or the group's commit) takes them first, so file order is call order.
   */
  #buf = Buffer.allocUnsafeSlow(64 << 10);
  #staged = 0;

  constructor(
    readonly runId: string,
    readonly path: string,
    private readonly fd: number,
    private readonly lock: HeldLock,
    readonly warnings: string[],
    private readonly fs: JournalFs = nodeJournalFs,
  ) {}

  get syncs(): number {
    return this.#syncs;
  }

  append(record: JournalRecord): void {
    this.#check();
    const text = JSON.stringify(record);
    this.#room(lineRoom(text));
    this.#write(writeRecordLine(text, this.#buf, this.#staged));
  }

  appendDurable(records: readonly JournalRecord[]): Promise<void> {
    if (this.#closing) return Promise.reject(new InternalError(`journal ${this.path} is closed`));
    if (this.#failure) return Promise.reject(this.#failure);
    const group = (this.#open ??= openGroup());
    for (const record of records) {
      const text = JSON.stringify(record);
      this.#room(lineRoom(text));
      this.#staged = writeRecordLine(text, this.#buf, this.#staged);
    }
    // Every call made in this turn joins the group; the sync starts after them (or after the
    // running one): a record is released only by a sync that began after it was written.
    if (!this.#syncing) {
      this.#syncing = true;
      queueMicrotask(() => void this.#commit());
    }
    return group.promise;
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  /** Writes raw text; only for terminating a line cut by a crash before resuming. */
  writeRaw(text: string): void {
    this.#check();
    this.#room(3 * text.length);
    this.#write(this.#staged + this.#buf.write(text, this.#staged, 'utf8'));
  }

  #check(): void {
    if (this.#closing) throw new InternalError(`journal ${this.path} is closed`);
    if (this.#failure) throw this.#failure;
  }

  /** At least `bytes` free after the staged ones (which a bigger buffer keeps). */
  #room(bytes: number): void {
    if (this.#staged + bytes <= this.#buf.length) return;
    const bigger = Buffer.allocUnsafeSlow(Math.max(this.#staged + bytes, this.#buf.length * 2));
    this.#buf.copy(bigger, 0, 0, this.#staged);
    this.#buf = bigger;
  }

  /** One write of the buffer's first `end` bytes: the staged records, then whatever follows them. */
  #write(end: number): void {
    this.#staged = 0;
    try {
      // One write; the loop only matters if the kernel ever accepts part of it.
      for (let done = 0; done < end;) done += this.fs.write(this.fd, this.#buf, done, end - done);
    } catch (error) {
      this.#failure = ioError('write', this.path, error);
      throw this.#failure;
    }
  }

  /** Writes and syncs open groups one after the other until none is left. */
  async #commit(): Promise<void> {
    for (let group = this.#open; group !== undefined; group = this.#open) {
      // From here on, new durable records open the next group: this sync may not cover them.
      this.#open = undefined;
      try {
        if (this.#failure) throw this.#failure;
        // The group's records, unless an append() wrote them already (before its own record).
        if (this.#staged > 0) this.#write(this.#staged);
        try {
          await this.fs.datasync(this.fd);
        } catch (error) {
          this.#failure ??= ioError('sync', this.path, error);
          throw this.#failure;
        }
        this.#syncs++;
        // A write that failed meanwhile (another record) stops the run: fail closed, release nothing.
        const late = this.#failure as UserError | undefined; // set by a write while this sync ran
        if (late) throw late;
        group.resolve();
      } catch (error) {
        group.reject(error);
      }
    }
    this.#syncing = false;
    for (const done of this.#idle.splice(0)) done();
  }

  async #close(): Promise<void> {
    if (this.#syncing) await new Promise<void>((resolve) => this.#idle.push(resolve));
    try {
      if (!this.#failure) this.fs.fsync(this.fd);
    } catch (error) {
      throw ioError('sync', this.path, error);
    } finally {
      this.fs.close(this.fd);
      releaseLock(this.lock);
    }
  }
}

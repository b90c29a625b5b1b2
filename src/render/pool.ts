// A small pool of worker threads that map batches: `run(batch)` resolves with the worker's answer for
// that batch, whatever order the workers finish in (the caller keeps its own order: it awaits batches
// in the order it sent them). The worker side is `serveBatches`. Nothing here knows about rendering.
//
// Failure is never a hang: an error thrown for a batch rejects that batch's promise (a UserError keeps
// its code and diagnostics); a worker that dies or cannot start rejects everything in flight and every
// later batch. A worker holds the process open only while it has a batch in flight, so an abandoned
// pool never keeps a command from exiting; `close()` terminates the threads.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../errors.js';

export interface BatchPoolOptions {
  /** Worker threads (≥ 1). */
  threads: number;
  /** The worker's module: it calls `serveBatches`. */
  worker: URL;
  /** A module to import first, before `worker` (a TypeScript loader's `register` when running from source). */
  preload?: string;
  /** Given to the worker's setup (structured-cloned: plain data only). */
  data: unknown;
}

/** How an error crosses the thread boundary. */
interface WireError {
  name: string;
  message: string;
  code?: string;
  diagnostics?: unknown[];
}

/**
 * A worker thread died, failed or could not start: a failure of the pool, not of a batch's rows (what a
 * batch's rows get wrong is the error that batch is answered with).
 */
export class WorkerFailure extends Error {
  override readonly name = 'WorkerFailure';
}

type Reply<O> = { seq: number; out: O } | { seq: number; error: WireError };

interface Slot {
  worker: Worker;
  pending: number;
}

function toWire(error: unknown): WireError {
  if (error instanceof UserError) return { name: 'UserError', message: error.message, code: error.code, diagnostics: error.diagnostics };
  return { name: error instanceof Error ? error.name : 'Error', message: error instanceof Error ? error.message : String(error) };
}

function fromWire(wire: WireError): Error {
  if (wire.name === 'UserError' && wire.code !== undefined)
    return new UserError(wire.code as UserError['code'], wire.message, {
      diagnostics: (wire.diagnostics ?? []) as UserError['diagnostics'],
    });
  const error = new Error(wire.message);
  error.name = wire.name;
  return error;
}

export class BatchPool<I, O> {
  private readonly slots: Slot[] = [];
  private readonly waiting = new Map<number, { resolve: (out: O) => void; reject: (error: Error) => void; slot: Slot }>();
  private seq = 0;
  private failure: Error | undefined;
  private closed = false;

  constructor(options: BatchPoolOptions) {
    for (let i = 0; i < Math.max(1, options.threads); i++) this.slots.push(this.start(options));
  }

  private start(options: BatchPoolOptions): Slot {
    let worker: Worker;
    try {
      worker = this.spawn(options);
    } catch (error) {
      void this.close();
      throw new WorkerFailure(`a render worker could not start: ${error instanceof Error ? error.message : String(error)}`);
    }
    const slot: Slot = { worker, pending: 0 };
    worker.unref();
    worker.on('message', (reply: Reply<O>) => this.settle(slot, reply));
    worker.on('error', (error) => this.fail(new WorkerFailure(`a render worker failed: ${error.message}`)));
    worker.on('exit', (code) => {
      if (!this.closed) this.fail(new WorkerFailure(`a render worker stopped (exit code ${code})`));
    });
    return slot;
  }

  private spawn(options: BatchPoolOptions): Worker {
    if (options.preload)
      return new Worker(
        `import(${JSON.stringify(options.preload)}).then((m) => { m.register(); return import(${JSON.stringify(options.worker.href)}); })`,
        { eval: true, workerData: options.data, stdout: true, stderr: true },
      );
    return new Worker(options.worker, {
      workerData: options.data,
      // The worker's own output would interleave with ours: it has none (results travel as messages).
      stdout: true,
      stderr: true,
    });
  }

  /** Batches sent and not answered yet. */
  get inFlight(): number {
    return this.waiting.size;
  }

  /** The workers' answer for one batch. */
  run(batch: I): Promise<O> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('the render pool is closed'));
    // The least busy worker; ties go to the first.
    let slot = this.slots[0]!;
    for (const s of this.slots) if (s.pending < slot.pending) slot = s;
    const seq = this.seq++;
    return new Promise<O>((resolve, reject) => {
      this.waiting.set(seq, { resolve, reject, slot });
      if (slot.pending++ === 0) slot.worker.ref();
      slot.worker.postMessage({ seq, batch });
    });
  }

  /** Stop every worker (batches still in flight are rejected). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.rejectAll(new Error('the render pool was closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private settle(slot: Slot, reply: Reply<O>): void {
    const entry = this.waiting.get(reply.seq);
    if (!entry) return;
    this.waiting.delete(reply.seq);
    if (--slot.pending === 0) slot.worker.unref();
    if ('error' in reply) entry.reject(fromWire(reply.error));
    else entry.resolve(reply.out);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.rejectAll(this.failure);
    // Nothing more can be trusted from the others either.
    if (!this.closed) void this.close();
  }

  private rejectAll(error: Error): void {
    for (const [seq, entry] of this.waiting) {
      this.waiting.delete(seq);
      entry.slot.pending = 0;
      entry.slot.worker.unref();
      entry.reject(error);
    }
  }
}

/**
 * The worker's side: `setup` turns the pool's data into a batch mapper once, then every batch is
 * answered in turn. A setup that fails answers every batch with its error.
 */
export function serveBatches<I, O>(setup: (data: unknown) => Promise<(batch: I) => O> | ((batch: I) => O)): void {
  if (isMainThread || !parentPort) throw new Error('serveBatches runs in a worker thread');
  const port = parentPort;
  const ready = Promise.resolve().then(() => setup(workerData));
  // A setup that fails is reported with the first batch; until then nothing is unhandled.
  ready.catch(() => undefined);
  port.on('message', ({ seq, batch }: { seq: number; batch: I }) => {
    ready.then(
      (map) => {
        let reply: Reply<O>;
        try {
          reply = { seq, out: map(batch) };
        } catch (error) {
          reply = { seq, error: toWire(error) };
        }
        port.postMessage(reply);
      },
      (error: unknown) => port.postMessage({ seq, error: toWire(error) }),
    );
  });
}

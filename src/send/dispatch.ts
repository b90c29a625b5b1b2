// Put every planned request into Bird exactly once. For each batch: a durable intent record, then the
// request, then an outcome record. The entries come from the planning pass (already rendered,
// validated, and filtered against the journal).
import type { IntentRecord, JournalWriter } from '../journal/index.js';
import type { Endpoint, SendOutcome, Transport } from '../transport/index.js';
import { boundedText } from '../transport/index.js';
import type { Entry, EntrySource } from './spool.js';

/** A server's error code as the journal keeps it: a short token, never free text. */
function journalCode(code: string): string {
  const token = code.replace(/[^\w.:-]/g, '_').slice(0, 64);
  return token === '' ? 'unknown' : token;
}

export type { Entry } from './spool.js';

export type EntryStatus = 'accepted' | 'failed' | 'unknown' | 'not-sent';

/** Called once per entry with its final status in this run (for failures files and reports). */
export type OutcomeSink = (entry: Entry, status: EntryStatus, outcome: SendOutcome | undefined) => void;

export interface DispatchOptions {
  /** In plan order; a source that hands out whole batches (the spool) is read a batch at a time. */
  entries: EntrySource;
  channelId: string;
  journal: JournalWriter;
  transport: Transport;
  batchSize: number;
  /** Requests in flight at most (the transport enforces it). */
  concurrency: number;
  /**
   * Batches whose intent may be written and synced ahead of the requests on the wire (default:
   * `concurrency`). After a crash they read back as unknown, as any promised batch must.
   */
  lookahead?: number;
  /**
   * 'disk' (default): intents are fdatasync'ed before their request leaves (survives power loss).
   * 'process': written with write(2) only (survives a crash or SIGKILL of chirp, not of the machine);
   * for ephemeral CI runners, whose disk does not outlive the job anyway.
   */
  durability: 'disk' | 'process';
  /** How many requests the plan sends; those not settled at the end were not sent. */
  planned: number;
  /** After an interruption, how long in-flight requests may take to finish. */
  drainMs: number;
  /** Number batches after those of an earlier process of the same run. */
  firstBatch: number;
  signal: AbortSignal;
  now: () => Date;
  onOutcome?: OutcomeSink;
  onProgress?: (counts: DispatchCounts) => void;
}

export interface DispatchCounts {
  accepted: number;
  failed: number;
  unknown: number;
  /** Planned but not sent: the run stopped (fatal error or interruption) before them. Final only. */
  notSent: number;
  batches: number;
}

export interface DispatchResult extends DispatchCounts {
  /** Why the run stopped early, if it did. */
  stop: { reason: 'interrupted' } | { reason: 'fatal'; outcome: Extract<SendOutcome, { kind: 'fatal' }> } | undefined;
}

function statusOf(outcome: SendOutcome): EntryStatus {
  switch (outcome.kind) {
    case 'accepted':
      return 'accepted';
    case 'failed':
      return 'failed';
    case 'unknown':
      return 'unknown';
    case 'fatal':
      // Fatal outcomes are 401/403, exhausted retries of 429/5xx/refused connections, or a stop:
      // Bird did not process the request, so the recipients are free to be sent by a later run.
      return 'not-sent';
  }
}

export async function dispatch(options: DispatchOptions): Promise<DispatchResult> {
  const { journal, transport, now } = options;
  const endpoint: Endpoint = options.batchSize === 1 ? 'single' : 'batch';
  const counts: DispatchCounts = { accepted: 0, failed: 0, unknown: 0, notSent: 0, batches: 0 };
  let stop: DispatchResult['stop'];
  let nextBatch = options.firstBatch;
  const window = options.concurrency + (options.lookahead ?? options.concurrency);
  const inFlight = new Map<Promise<void>, Entry[]>();
  let wake: (() => void) | undefined;
  const wakeUp = (): void => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  // Set when an interrupted run stops waiting: late answers must not be journalled after the end,
  // and their intents, left without outcomes, read back as unknown, which is the truth.
  let abandoned = false;

  // The journal cannot be written (a full disk): nothing more may leave, since nothing may be sent
  // without its intent on disk. What was already sent is still counted and reported.
  const diskFailed = (error: unknown): void => {
    if (stop?.reason === 'fatal' && stop.outcome.reason === 'disk') return;
    const message = `cannot write the journal ${journal.path} (${(error as Error).message}); the run stopped: nothing was sent without its intent on disk, and the journal holds everything written before`;
    stop = { reason: 'fatal', outcome: { kind: 'fatal', reason: 'disk', message } };
    transport.stop();
  };

  const settle = (b: number, entries: Entry[], outcome: SendOutcome): void => {
    if (abandoned) return;
    try {
      record(b, entries, outcome);
    } catch (error) {
      diskFailed(error);
    }
    const status = statusOf(outcome);
    if (status !== 'not-sent') counts[status] += entries.length;
    for (const entry of entries) options.onOutcome?.(entry, status, outcome);
    options.onProgress?.(counts);
  };

  const record = (b: number, entries: Entry[], outcome: SendOutcome): void => {
    const at = now().toISOString();
    if (outcome.kind === 'accepted') {
      journal.append({
        t: 'outcome',
        b,
        status: 'accepted',
        at,
        http: outcome.http,
        ...(outcome.ids ? { ids: outcome.ids } : {}),
        ...(outcome.batchId ? { batchId: outcome.batchId } : {}),
      });
    } else if (outcome.kind === 'failed') {
      journal.append({
        t: 'outcome',
        b,
        status: 'failed',
        at,
        http: outcome.http,
        // No server free text in the journal (docs/ci.md calls it safe to publish): a code and a bounded,
        // redacted message; Bird's `details` stay in the report and the failures file.
        ...(outcome.code ? { code: journalCode(outcome.code) } : {}),
        ...(outcome.message ? { message: boundedText(outcome.message, '') } : {}),
      });
    } else if (outcome.kind === 'unknown') {
      journal.append({
        t: 'outcome',
        b,
        status: 'unknown',
        at,
        code: journalCode(outcome.code ?? 'unknown'),
        message: boundedText(outcome.reason, ''),
      });
    } else {
      // The intent is withdrawn: nothing was created, so these keys are resendable.
      journal.append({ t: 'resolve', keys: entries.map((e) => e.key), status: 'resendable', at, via: `not-sent:${outcome.reason}` });
      // A stop that the interruption itself caused is not a failure of the run.
      if (!stop && !(outcome.reason === 'stopped' && options.signal.aborted)) stop = { reason: 'fatal', outcome };
    }
  };

  const send = async (entries: Entry[]): Promise<void> => {
    const b = nextBatch++;
    counts.batches++;
    const intent: IntentRecord = {
      t: 'intent',
      b,
      keys: entries.map((e) => e.key),
      at: now().toISOString(),
      refs: entries.map((e) => e.reference),
      h: entries.map((e) => e.hash),
    };
    try {
      if (options.durability === 'disk') await journal.appendDurable([intent]);
      else journal.append(intent);
    } catch (error) {
      diskFailed(error);
      // Not sent: its intent may not be on disk. Counted as not sent, journalled as nothing.
      for (const entry of entries) options.onOutcome?.(entry, 'not-sent', undefined);
      return;
    }
    if (stop || options.signal.aborted) {
      // Stopped while the intent was being written: withdraw it without touching the network.
      settle(b, entries, { kind: 'fatal', reason: 'stopped', message: 'the run stopped before this batch was sent' });
      return;
    }
    const outcome = await transport.send({ channelId: options.channelId, bodies: entries.map((e) => e.json) }, endpoint);
    settle(b, entries, outcome);
  };

  const launch = async (entries: Entry[]): Promise<void> => {
    // Twice the transport's concurrency: while `concurrency` requests are on the wire, the next
    // batches' intents are being synced, so the disk's latency overlaps the network's. After a crash
    // those (at most `concurrency` batches) read back as unknown, as any promised batch must.
    // One waiter, woken when a batch ends or the run is interrupted: a Promise.race over the batches
    // and the abort would leave a reaction on the abort promise per wait, growing with the run.
    while (inFlight.size >= window && !options.signal.aborted) await new Promise<void>((resolve) => (wake = resolve));
    if (stop || options.signal.aborted) return;
    const task = send(entries).finally(() => {
      inFlight.delete(task);
      wakeUp();
    });
    inFlight.set(task, entries);
  };

  // On an interruption, batches still waiting for a connection, a rate token or a backoff come back
  // "stopped" without touching the network (and are withdrawn); requests on the wire finish.
  const stopTransport = (): void => transport.stop();
  options.signal.addEventListener('abort', stopTransport, { once: true });
  const aborted = new Promise<void>((resolve) => {
    if (options.signal.aborted) resolve();
    else
      options.signal.addEventListener(
        'abort',
        () => {
          resolve();
          wakeUp();
        },
        { once: true },
      );
  });
  if (options.entries.batches) {
    for await (const batch of options.entries.batches(options.batchSize)) {
      // After a stop, reading the rest would only count it: the plan already knows how many remain.
      if (stop || options.signal.aborted) break;
      await launch(batch);
    }
  } else {
    let batch: Entry[] = [];
    for await (const entry of options.entries) {
      if (stop || options.signal.aborted) break;
      batch.push(entry);
      if (batch.length >= options.batchSize) {
        await launch(batch);
        batch = [];
      }
    }
    if (batch.length > 0 && !stop && !options.signal.aborted) await launch(batch);
  }
  // Wait for the requests in flight; an interruption (now or while waiting) bounds the wait by the drain.
  await Promise.race([Promise.all(inFlight.keys()), aborted]);
  if (options.signal.aborted && inFlight.size > 0) {
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      Promise.all(inFlight.keys()).then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), options.drainMs))),
    ]);
    clearTimeout(timer);
    if (!drained) {
      abandoned = true;
      // Their answers are no longer awaited: end the requests, so nothing keeps the process alive.
      transport.abandon();
      for (const entries of inFlight.values()) {
        counts.unknown += entries.length;
        for (const entry of entries) options.onOutcome?.(entry, 'unknown', undefined);
      }
    }
  }
  options.signal.removeEventListener('abort', stopTransport);
  if (!stop && options.signal.aborted) stop = { reason: 'interrupted' };
  counts.notSent = options.planned - counts.accepted - counts.failed - counts.unknown;
  return { ...counts, stop };
}

// Rendering on worker threads: the main thread reads the rows, sends them in batches to a pool of
// workers (each compiled the message once) and turns their outcomes into items in input order, with
// the one duplicate index, the suppression lists and the counters all on the main thread. The items
// are the inline renderer's, one for one (src/render/stream.ts shares every decision with it);
// test/unit/render-parallel.test.ts renders random rows both ways and compares the bytes.
//
// Memory stays flat: at most `inFlight` batches are out at once; reading waits for the oldest.
// An input of one batch or less is rendered here, inline: no thread is started for a short list.
import type { BatchPool } from './pool.js';
import type { CompiledMessage } from './compile.js';
import type { Row } from '../types.js';
import {
  itemMaker,
  outcomeNeeds,
  rowOutcome,
  rowValues,
  type OutcomeNeeds,
  type ParallelRender,
  type RenderItem,
  type RenderStreamOptions,
  type RowOutcome,
} from './stream.js';

/** What a worker gets per row: its values (empty cells dropped), or null for a row that is not rendered. */
export type RowWork = Record<string, unknown> | null;

/**
 * A batch as it crosses to a worker: the rows' values as one JSON text (one string is copied, not
 * cloned object by object; rows JSON would change are rendered on this thread: see crossesAsJson).
 */
export type WorkBatch = string;

/**
 * A batch's outcomes as they come back: the plain successes as three string columns (cheap to copy),
 * anything else (a failure, a locale, receiver identifiers, a check's problems, a row not rendered)
 * as its own outcome at its index.
 */
export interface OutcomeBatch {
  json: string[];
  recipient: string[];
  reference: string[];
  other: [number, RowOutcome | null][];
}

export function encodeWork(work: RowWork[]): WorkBatch {
  return JSON.stringify(work);
}

/** The worker's side: the batch's values back as the reader made them (objects without prototypes). */
export function decodeWork(batch: WorkBatch): RowWork[] {
  return (JSON.parse(batch) as RowWork[]).map((values) => (values === null ? null : restoreValues(values)));
}

const PLAIN_KEYS: ReadonlySet<string> = new Set(['ok', 'json', 'recipient', 'reference']);

/**
 * A success with nothing but its request, recipient and reference: sent as three string columns. Any
 * other field set (a locale, an alias, an identity hash, one added later) sends the outcome whole, so
 * nothing a worker made is lost on the way (test/unit/outcome-batch.test.ts).
 */
function isPlain(o: RowOutcome | null): o is RowOutcome & { ok: true } {
  if (o === null || !o.ok) return false;
  for (const key in o) if (!PLAIN_KEYS.has(key) && (o as unknown as Record<string, unknown>)[key] !== undefined) return false;
  return true;
}

export function encodeOutcomes(outcomes: (RowOutcome | null)[]): OutcomeBatch {
  const out: OutcomeBatch = { json: [], recipient: [], reference: [], other: [] };
  outcomes.forEach((o, i) => {
    const plain = isPlain(o);
    out.json.push(plain ? o.json : '');
    out.recipient.push(plain ? o.recipient : '');
    out.reference.push(plain ? o.reference : '');
    if (!plain) out.other.push([i, o]);
  });
  return out;
}

export function decodeOutcomes(batch: OutcomeBatch): (RowOutcome | null)[] {
  const out: (RowOutcome | null)[] = batch.json.map((json, i) => ({
    ok: true,
    json,
    recipient: batch.recipient[i]!,
    reference: batch.reference[i]!,
  }));
  for (const [i, o] of batch.other) out[i] = o;
  return out;
}

export interface ParallelOptions {
  /** Rows per message to a worker. */
  batchSize: number;
  /** Batches out to the workers at once; with that many out, this thread renders the next batch itself. */
  inFlight: number;
  /** Batches waiting to be yielded (bounds memory): reading waits for the oldest beyond this. */
  queued: number;
  /** Start the workers (called once, when the input is longer than one batch); what they must add to each outcome. */
  start: (needs: Omit<OutcomeNeeds, 'checkRequest'> & { checkRequest: boolean }) => BatchPool<WorkBatch, OutcomeBatch>;
}

interface Pending {
  rows: Row[];
  outcomes?: (RowOutcome | null)[];
  error?: Error;
  settled: Promise<void>;
}

/**
 * A row's values as a worker receives them, put back as the reader made them: structured cloning gives
 * every object Object.prototype, a row's objects have none (a `{{constructor}}` must not find one).
 */
export function restoreValues(values: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(values)) {
    const v = values[key];
    if (v !== null && typeof v === 'object') restoreValues(v as Record<string, unknown>);
  }
  if (!Array.isArray(values)) Object.setPrototypeOf(values, null);
  return values;
}

/**
 * Whether values cross to a worker as JSON unchanged: text, booleans, null, finite numbers other than
 * -0, lists and objects of those, with nothing beside them (no written form of a number, no number
 * problem: those live under symbols, which JSON drops).
 */
export function crossesAsJson(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (typeof value !== 'object') return false;
  if (Object.getOwnPropertySymbols(value).length > 0) return false;
  return Object.values(value as Record<string, unknown>).every(crossesAsJson);
}

export function parallelRender(parallel: ParallelOptions): ParallelRender {
  return async function* render(
    message: CompiledMessage,
    rows: AsyncIterable<Row>,
    options: RenderStreamOptions,
  ): AsyncGenerator<RenderItem> {
    const make = itemMaker(message, options);
    const needs = outcomeNeeds(message, options);
    const optIn = options.consent?.optIn;
    const items = (rows: Row[], outcomes: (RowOutcome | null)[]): RenderItem[] =>
      rows.map((row, i) => {
        const outcome = outcomes[i];
        return outcome ? make(row, outcome) : { kind: 'suppressed', row, recipient: undefined, reason: 'no-consent' };
      });
    const inline = (work: RowWork[]): (RowOutcome | null)[] =>
      work.map((values) => (values === null ? null : rowOutcome(message, values, options.fromText, needs, true)));
    let pool: BatchPool<WorkBatch, OutcomeBatch> | undefined;
    const queue: Pending[] = [];
    let batch: Row[] = [];
    let work: RowWork[] = [];
    const submit = (): void => {
      pool ??= parallel.start({
        recipientOnFailure: needs.recipientOnFailure,
        identifiers: needs.identifiers,
        checkRequest: needs.checkRequest !== undefined,
      });
      const pending: Pending = { rows: batch, settled: Promise.resolve() };
      if (pool.inFlight < parallel.inFlight) {
        // A row JSON would change (typed values from a failures file's chirp_json: numbers as written,
        // numbers that cannot be held) is rendered here; the worker gets null in its place.
        const own = work.flatMap((values, i) => (values !== null && !crossesAsJson(values) ? [i] : []));
        const sent = own.length === 0 ? work : work.map((values, i) => (own.includes(i) ? null : values));
        const local = own.map((i) => [i, rowOutcome(message, work[i]!, options.fromText, needs, true)] as const);
        pending.settled = pool.run(encodeWork(sent)).then(
          (outcomes) => {
            const decoded = decodeOutcomes(outcomes);
            for (const [i, outcome] of local) decoded[i] = outcome;
            pending.outcomes = decoded;
          },
          (error: unknown) => void (pending.error = error instanceof Error ? error : new Error(`a render worker failed: ${String(error)}`)),
        );
      } else {
        // Every worker has its fill: this thread renders the batch itself (and reads nothing meanwhile).
        pending.outcomes = inline(work);
      }
      queue.push(pending);
      batch = [];
      work = [];
    };
    const head = async (): Promise<RenderItem[]> => {
      const pending = queue.shift()!;
      await pending.settled;
      if (pending.error !== undefined) throw pending.error;
      return items(pending.rows, pending.outcomes!);
    };
    const ready = (): boolean => queue.length > 0 && (queue[0]!.outcomes !== undefined || queue[0]!.error !== undefined);
    const input = rows[Symbol.asyncIterator]();
    let ended = false;
    try {
      let count = 0;
      // A reader that fails mid-file (bad encoding, a broken quote) fails after the rows before it
      // were yielded, as on one thread: what was read is rendered and yielded first, then the error.
      let failure: { error: unknown } | undefined;
      for (;;) {
        let next: IteratorResult<Row>;
        try {
          next = await input.next();
        } catch (error) {
          failure = { error };
          ended = true;
          break;
        }
        if (next.done === true) {
          ended = true;
          break;
        }
        const row = next.value;
        if (options.limit !== undefined && count >= options.limit) break;
        count++;
        const values = rowValues(row, options.fromText);
        batch.push(row);
        work.push(optIn && !optIn(values) ? null : values);
        if (batch.length < parallel.batchSize) continue;
        submit();
        // Whatever is ready goes out now; beyond the bound, wait for the oldest.
        while (ready() || queue.length > parallel.queued) yield* await head();
      }
      if (pool === undefined) {
        // One batch or less: no thread for it.
        yield* items(batch, inline(work));
      } else {
        if (batch.length > 0) submit();
        while (queue.length > 0) yield* await head();
      }
      if (failure) throw failure.error;
    } finally {
      // As `for await` does when a loop stops early: let the reader close its file.
      if (!ended) await input.return?.();
      await pool?.close();
    }
  };
}

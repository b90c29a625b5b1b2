import { type Catalog } from '../catalog/index.js';
import { UserError } from '../errors.js';
import { listRuns, reopenJournal, type JournalRecord, type JournalWriter, type StatusRecord } from '../journal/index.js';
import { failuresCsv, firstCopyKeys, type FailureRecord } from '../send/index.js';
import { readRows } from '../sources/index.js';
import {
  FAILED,
  loadDetails,
  readRunDetail,
  refreshStatuses,
  sendActivity,
  statusEntry,
  summarize,
  type ListingReport,
  type Delivery,
  type RunDetail,
  type RunExtent,
  type SendActivity,
  type StatusSink,
  type StatusSummary,
} from '../status/index.js';
import { isObject } from '../util/index.js';
import type { LibraryOptions } from './common.js';
import { catalogOf, clock, noWarn, journalDir, birdClient } from './common.js';
import { prepareMessage, renderMessage } from './prepare.js';
import { interactionEntries, statusInteractions, readsRecords } from './status-interactions.js';
import { statusReplies } from './status-replies.js';

export interface StatusOptions extends LibraryOptions {
  /** Run id (default: the latest run). */
  run?: string;
  journal?: string;
  /** Poll until every message is final or `timeoutSeconds` passes. */
  wait?: boolean;
  timeoutSeconds?: number;
  intervalSeconds?: number;
  /** Settle unknown outcomes by finding them at Bird, or proving them absent. */
  reconcile?: boolean;
  /** Also read back the failed rows (the failures file). */
  failures?: boolean;
  /** GETs per second. */
  rate?: number;
  graceSeconds?: number;
  pid?: number;
  /** Waits between polls (tests pass a virtual clock's). */
  sleep?: (ms: number) => Promise<void>;
  /** Also count reads and clicks (GET .../messages/{id}/interactions). */
  interactions?: boolean;
  /** Reconcile: margin around the run's window on Bird's clock (default 120 s). */
  marginSeconds?: number;
  /** Reconcile: a clock skew past this declares nobody absent (default 300 s). */
  maxSkewSeconds?: number;
  /** Also list the replies of the run's recipients that ask to stop (the channel's incoming messages); journalled. */
  replies?: boolean;
}

export interface StatusResult {
  summary: StatusSummary;
  /** With `failures`: the CSV, or why there is none. */
  failures?: { csv: string } | { missing: string };
}

/** Delivery statuses of a run's messages, written back to its journal. */
export async function status(options: StatusOptions): Promise<StatusResult> {
  const catalog = await catalogOf(options);
  const dir = journalDir(options, catalog, options.journal);
  const runs = await listRuns(dir);
  const run = options.run ? runs.find((r) => r.runId === options.run) : runs[0];
  if (!run) throw new UserError('E_RUN_NOT_FOUND', options.run ? `no run ${options.run} in ${dir}` : `no runs in ${dir} yet`);
  if (!catalog.config.accessKey)
    throw new UserError('E_ACCESS_KEY', 'no access key: set BIRD_ACCESS_KEY in the environment (never in a file)');
  const now = clock(options);
  // Reconciling decides what `send` will resend: hold the run's lock from before reading until the
  // records are written, so no send of this run is in flight meanwhile (refused if one is).
  const lock = options.reconcile ? await reopenJournal(dir, run.runId, now, options.pid ?? 0, { resume: false }) : undefined;
  try {
    return await statusOfRun(options, catalog, { dir, runId: run.runId, path: run.path }, lock);
  } finally {
    await lock?.close();
  }
}

/** Statuses only (no reconciliation): written back if the run is free; a running send keeps its lock. */
async function writeStatuses(
  options: StatusOptions,
  dir: string,
  runId: string,
  records: Iterable<JournalRecord>,
  quiet = false,
): Promise<boolean> {
  let journal: JournalWriter;
  try {
    journal = await reopenJournal(dir, runId, clock(options), options.pid ?? 0, { resume: false });
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    if (!quiet) (options.warn ?? noWarn)(`statuses not saved to the journal: ${error.message}`);
    return false;
  }
  try {
    await appendEach(journal, records);
  } finally {
    await journal.close();
  }
  return true;
}

/** Each record on its own, durably: a crash between two leaves whole records (readers fold several status records). */
async function appendEach(journal: JournalWriter, records: Iterable<JournalRecord>): Promise<void> {
  for (const record of records) await journal.appendDurable([record]);
}

/** Entries per `status` record written back: a million answers are written a chunk at a time, built from the table. */
export const STATUS_CHUNK = 5000;

/** `status` records of the deliveries of the marked ids, read from the table as they are written; then `stale` ones. */
function* statusRecords(
  table: RunDetail['table'],
  marks: Uint8Array,
  stale: ReadonlyMap<string, Delivery>,
  at: string,
): Generator<JournalRecord> {
  let entries: StatusRecord['entries'] = [];
  for (const [key, d] of stale) entries.push(statusEntry(key, d));
  for (let id = 0; id < marks.length; id++) {
    if (marks[id] !== 1) continue;
    entries.push(statusEntry(table.key(id), table.delivery(id)!));
    if (entries.length >= STATUS_CHUNK) {
      yield { t: 'status', at, entries };
      entries = [];
    }
  }
  if (entries.length > 0) yield { t: 'status', at, entries };
}

/** A byte per id, grown to `size` (kept). */
function sized(marks: Uint8Array, size: number): Uint8Array {
  if (marks.length >= size) return marks;
  const grown = new Uint8Array(size);
  grown.set(marks);
  return grown;
}

async function statusOfRun(
  options: StatusOptions,
  catalog: Catalog,
  run: { dir: string; runId: string; path: string },
  lock: JournalWriter | undefined,
): Promise<StatusResult> {
  let detail = await readRunDetail(run.path);
  const { header } = detail.state;
  const now = clock(options);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const client = birdClient(options, catalog, { workspace: header.workspace, rate: 1, getRate: options.rate ?? 20, concurrency: 2 });
  const { transport } = client;
  const started = now().getTime();
  const deadline = started + (options.timeoutSeconds ?? 300) * 1000;
  const interval = (options.intervalSeconds ?? 5) * 1000;
  // A send of this run still going: its lock, or its journal growing between two looks.
  const probe = (previousSize?: number) =>
    sendActivity(run.dir, run.runId, run.path, { pid: options.pid ?? 0, ...(previousSize !== undefined ? { previousSize } : {}) });
  let activity = probe();
  let sending: SendActivity | null = activity.activity;
  let listing: ListingReport | undefined;
  let offsetMs: number | undefined;
  let reconciled = false;
  // Ids (a byte each) whose statuses were learnt from Bird this time (a fresh read of the journal may not
  // hold them yet), and those not written back yet (a send held the run); their deliveries are in the table.
  // Allocated when first marked: a status that refreshes once writes its answers as they come (`sink`).
  let learnt: Uint8Array = new Uint8Array(0);
  let unsaved: Uint8Array = new Uint8Array(0);
  // Unsaved statuses of keys a fresh read holds another delivery for (written as learnt, rare).
  const stale = new Map<string, Delivery>();
  // The send went on writing the journal: read it again, keeping the statuses learnt meanwhile
  // (they could not be written back while the send held the run), carried over by key.
  const reread = async (): Promise<void> => {
    const fresh = await readRunDetail(run.path);
    const old = detail.table;
    const { table } = fresh;
    const nextLearnt = new Uint8Array(table.size);
    const nextUnsaved = new Uint8Array(table.size);
    for (let id = 0; id < learnt.length; id++) {
      if (learnt[id] !== 1) continue;
      const key = old.key(id);
      const d = old.delivery(id)!;
      const to = table.keys.get(key);
      if (to < 0) {
        if (unsaved[id] === 1) stale.set(key, d);
        continue;
      }
      nextLearnt[to] = 1;
      if (!table.hasDelivery(to)) {
        table.setDelivery(to, d);
        nextUnsaved[to] = unsaved[id]!;
      } else if (unsaved[id] === 1) stale.set(key, d);
    }
    learnt = nextLearnt;
    unsaved = nextUnsaved;
    detail = fresh;
  };
  try {
    // --wait waits for the send to end first: until then the journal is still being written.
    while (options.wait && sending && now().getTime() < deadline) {
      await sleep(Math.min(interval, Math.max(0, deadline - now().getTime())));
      activity = probe(activity.size);
      sending = activity.activity;
      if (!sending) await reread();
    }
    // A status without --interactions (which reads Bird's ids of every message again) writes what Bird
    // answers as it comes: status records of STATUS_CHUNK entries, each appended durably on its own, so
    // Bird's ids and createdAt are not held for everyone until the listing ends (with --wait, those of
    // answers that are not final are: the next round asks them by id). A write refused (a send holds
    // the run) is said once, as the write-back at the end did; the rest of that refresh is not written
    // as it comes: once, the next `status` asks again; with --wait, this round's answers are written back
    // from the table with the next write, as before.
    let refused = false;
    // "statuses not saved" is said once a status (a held run would say it each round and chunk); with
    // --wait not while a send runs (they go with the next write), unless the wait ends first (below).
    let said = false;
    // Bytes this status appended since the last look: its own records are not a send growing the journal.
    let own = 0;
    const save = async (records: Iterable<JournalRecord>): Promise<boolean> => {
      const before = probe().size;
      if (lock) {
        await appendEach(lock, records);
        own += probe().size - before;
        return true;
      }
      const quiet = said || (options.wait === true && sending !== null);
      const saved = await writeStatuses(options, run.dir, run.runId, records, quiet);
      if (saved) own += probe().size - before;
      else if (!quiet) said = true;
      return saved;
    };
    const sink: StatusSink | undefined = options.interactions
      ? undefined
      : {
          chunk: STATUS_CHUNK,
          save: async (entries, accepted) => {
            if (refused) return false;
            const at = now().toISOString();
            const records: JournalRecord[] = [{ t: 'status', at, entries }];
            // The unknown outcomes this listing proved sent so far: recorded with Bird's answer, not only at the end.
            if (accepted.length > 0) records.push({ t: 'resolve', keys: [...accepted], status: 'accepted', at, via: 'reconcile' });
            refused = !(await save(records));
            return !refused;
          },
          get refused() {
            return refused;
          },
        };
    for (;;) {
      refused = false;
      const reconcile: boolean = (options.reconcile ?? false) && !reconciled && sending === null;
      await loadDetails(detail, { reconcile });
      const refresh = await refreshStatuses(detail, {
        transport,
        channelId: header.channelId,
        reconcile,
        clock: () => now().getTime(),
        messageId: header.messageId,
        graceMs: (options.graceSeconds ?? 60) * 1000,
        now: now().getTime(),
        ...(options.marginSeconds !== undefined ? { marginMs: options.marginSeconds * 1000 } : {}),
        ...(options.maxSkewSeconds !== undefined ? { maxSkewMs: options.maxSkewSeconds * 1000 } : {}),
        ...(sink ? { sink } : {}),
        again: options.wait === true,
      });
      reconciled ||= reconcile;
      if (refresh.listing) listing = refresh.listing;
      if (refresh.offsetMs !== undefined) offsetMs = refresh.offsetMs;
      const at = now().toISOString();
      // The answers are in the table already: marked learnt and to be written back (unless written as they
      // came: a refused write leaves the rest, with their Bird ids, to the write-back).
      if (!refresh.updates.written && refresh.updates.size > 0) {
        learnt = sized(learnt, detail.table.size);
        unsaved = sized(unsaved, detail.table.size);
        for (const id of refresh.updates.unwritten()) {
          learnt[id] = 1;
          unsaved[id] = 1;
        }
      }
      // An older answer (carried over a reread, or one a send kept from being written) is not written
      // after, so over, the one learnt now; nor is one the sink wrote now written again from the table
      // (which may no longer hold its Bird id: its entry would erase the id from the journal).
      if (stale.size > 0 || unsaved.includes(1))
        for (const id of refresh.updates.ids()) {
          if (stale.size > 0) stale.delete(detail.table.key(id));
          if (refresh.updates.wrote(id) && id < unsaved.length) unsaved[id] = 0;
        }
      const resolves: JournalRecord[] = [];
      for (const state of ['accepted', 'resendable'] as const) {
        const keys = refresh.resolved[state];
        if (keys.length === 0) continue;
        // Those proven sent are written with the statuses that proved them when written as the listing went.
        const unwritten = state === 'accepted' ? keys.slice(refresh.updates.acceptedWritten) : keys;
        if (unwritten.length > 0) resolves.push({ t: 'resolve', keys: unwritten, status: state, at, via: 'reconcile' });
        for (const key of keys) detail.table.setStatus(detail.table.keys.get(key), state);
      }
      // No refresh follows in this process: the references and send times go before the write-back.
      if (!options.wait) detail.table.releaseRefreshDetails();
      // Written back so the next `status` is cheap, and `send` knows what reconciliation proved: status
      // records of at most STATUS_CHUNK entries, each built as it is written.
      // While a send holds the run they wait, and go with the next write (--wait) once it ends.
      const table = detail.table;
      const marks = unsaved;
      const records = function* (): Generator<JournalRecord> {
        yield* statusRecords(table, marks, stale, at);
        yield* resolves;
      };
      if (stale.size > 0 || marks.includes(1) || resolves.length > 0) {
        if (await save(records())) {
          unsaved.fill(0);
          stale.clear();
        }
      }
      const summary = summarize(header, detail.table, {
        birdNow: now().getTime() + (offsetMs ?? 0),
        sending,
        ...(detail.suppressed !== undefined ? { suppressed: detail.suppressed } : {}),
        run: runExtent(detail, options),
      });
      if (!options.wait || (summary.settled && !sending) || now().getTime() >= deadline) break;
      await sleep(Math.min(interval, Math.max(0, deadline - now().getTime())));
      activity = probe(activity.size + own);
      own = 0;
      const wasSending = sending;
      sending = activity.activity;
      if (wasSending) await reread();
    }
    // The wait ended while a send still held the run: what was learnt is not in the journal.
    if (!said && (stale.size > 0 || unsaved.includes(1)))
      (options.warn ?? noWarn)('statuses not saved to the journal: a send still holds the run (the next status asks Bird again)');
    if (options.interactions || options.failures)
      await loadDetails(detail, { reconcile: false, interactions: options.interactions ?? false, failures: options.failures ?? false });
    // Interactions and replies (stop requests) are read once, after the statuses, and journalled like them.
    const read = options.interactions ? await statusInteractions(transport, detail) : undefined;
    const interactions = read?.summary;
    // The counts earlier statuses recorded (replies were read with the statuses), only those of messages read now.
    const counted = read ? await interactionEntries(run.path, read.read) : undefined;
    const replies = options.replies
      ? await statusReplies({ catalog, transport, detail, now: now().getTime(), offsetMs, clock: () => now().getTime() })
      : undefined;
    const reads = readsRecords(now().toISOString(), replies?.entries, counted);
    const firstRead = reads.next();
    if (!firstRead.done) {
      const records = (function* () {
        yield firstRead.value;
        yield* reads;
      })();
      if (lock) await appendEach(lock, records);
      else await writeStatuses(options, run.dir, run.runId, records);
    }
    if (detail.table.ambiguous.size > 0)
      (options.warn ?? noWarn)(
        `${detail.table.ambiguous.size} id(s) of the journal stand for two recipient keys each (a 64-bit hash collision): counted as unknown, not asked about, not written back${options.interactions || options.replies ? ', their replies and interactions are not attributed to either key' : ''}`,
      );
    const summary = summarize(header, detail.table, {
      birdNow: now().getTime() + (offsetMs ?? 0),
      sending,
      run: runExtent(detail, options),
      ...(listing ? { listing } : {}),
      ...(offsetMs !== undefined ? { clockOffsetMs: offsetMs } : {}),
      ...(detail.suppressed !== undefined ? { suppressed: detail.suppressed } : {}),
      ...(interactions ? { interactions } : {}),
      ...(replies ? { replies: replies.summary } : {}),
    });
    if (options.wait) summary.waited = (now().getTime() - started) / 1000;
    return { summary, ...(options.failures ? { failures: await failedRows(catalog, detail) } : {}) };
  } finally {
    await client.close();
  }
}

/** The run as a whole, from its journal: how many it set out to reach, how it ended, how to continue it. */
function runExtent(detail: RunDetail, options: StatusOptions): RunExtent {
  const { header, ended, endSummary } = detail.state;
  const o = header.options;
  const quote = (arg: string): string => (/^[\w./:@=+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);
  // Recorded by the send; for a journal of an older chirp, the essentials from what its header kept.
  const resumeCommand =
    typeof o.resumeCommand === 'string'
      ? o.resumeCommand
      : typeof o.message === 'string'
        ? [
            'chirp',
            'send',
            o.message,
            '--data',
            typeof o.data === 'string' ? o.data : 'DATA',
            '--resume',
            header.runId,
            ...(options.journal ? ['--journal', options.journal] : []),
          ]
            .map(quote)
            .join(' ')
        : null;
  return { planned: header.planned, ended, endSummary, resumeCommand };
}

/** Failed rows of the run, read back from its data file and matched by recipient key. */
async function failedRows(catalog: Catalog, detail: RunDetail): Promise<{ csv: string } | { missing: string }> {
  const { header } = detail.state;
  const data = typeof header.options.data === 'string' ? header.options.data : undefined;
  const messageArg = typeof header.options.message === 'string' ? header.options.message : header.messageId;
  if (!data) return { missing: 'the run does not record its data file (sent from stdin or from a saved plan)' };
  const message = await prepareMessage(catalog, messageArg);
  const failed = new Map<string, { status: 'failed'; code: string; message: string }>();
  const { table } = detail;
  for (let id = 0; id < table.size; id++) {
    const state = table.state(id);
    if (state === undefined || table.ambiguous.has(id)) continue;
    const d = table.delivery(id);
    if (state.status === 'failed')
      failed.set(table.key(id), { status: 'failed', code: state.code ?? 'send_failed', message: state.message ?? '' });
    else if (d && FAILED.has(d.status))
      failed.set(table.key(id), {
        status: 'failed',
        code: d.code ?? d.status,
        message: `${d.status}${d.description ? `: ${d.description}` : ''}`,
      });
  }
  const records: FailureRecord[] = [];
  const vars = isObject(header.options.vars) ? header.options.vars : undefined;
  for await (const item of renderMessage(message, { data: { path: data }, ...(vars ? { vars } : {}) })) {
    if (item.kind !== 'request') continue;
    // A receiver an earlier chirp journalled as written (`alias`): its run's failures are keyed so.
    const f = firstCopyKeys(header.messageId, item.recipient, item.alias)
      .map((key) => failed.get(key))
      .find((found) => found !== undefined);
    if (f) records.push({ row: item.row.index, recipient: item.recipient, ...f });
  }
  return { csv: await failuresCsv(records, readRows({ path: data })) };
}

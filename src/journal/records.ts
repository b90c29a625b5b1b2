// The journal's record types and a shape check for lines read back.
// Recipient keys are opaque hashes supplied by the caller: phone numbers never reach the journal.
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { UserError } from '../errors.js';
import { isObject as isJsonObject } from '../util/index.js';

/** The format this chirp writes; it reads 1 (no checksums, no destination) and 2. */
export const JOURNAL_FORMAT = 2;

export interface HeaderRecord {
  t: 'header';
  /** 1: written before checksums and run identity; 2: every record checksummed, destination in the header. */
  v: 1 | 2;
  runId: string;
  messageId: string;
  definitionHash: string;
  dataHash: string;
  chirpVersion: string;
  startedAt: string;
  channelId: string;
  workspace: string;
  /** Where the run sends (format 2): the API origin (`https://api.bird.com`) and the platform (`whatsapp`). Absent in format 1. */
  apiOrigin?: string;
  platform?: string;
  /** How many recipients of the data this run set out to reach (sent or skipped): `chirp status` counts who it never reached. Absent in older journals. */
  planned?: number;
  /** The send options, for the record. The caller must not put secrets (the access key) here. */
  options: Record<string, unknown>;
}
/** A later process continued this run. */
export interface ResumeRecord {
  t: 'resume';
  at: string;
  pid: number;
  /** The render key of the send that continued the run (absent: it had none): the resume shortcut trusts a run only while every send of it had the header's. */
  renderKey?: string;
}
/** Batch `b` is about to be sent to these recipient keys. Durable before the request leaves. */
/** `refs[i]`, when present, is the `reference` of `keys[i]`'s request: status reconciliation matches on it. */
/**
 * `h[i]` (format 2) is a hash of the exact request bytes sent to `keys[i]` (for an e-mail address sent with
 * capitals, of the bytes its lower-case spelling gives: src/send/run.ts): an edited message reads as different.
 */
export interface IntentRecord {
  t: 'intent';
  b: number;
  keys: string[];
  at: string;
  refs?: string[];
  h?: string[];
}
/** Recipients of the data that were not sent, and why (`window_closed`, `invalid`, `held_unknown`…). They stay sendable. */
export interface SkipRecord {
  t: 'skip';
  keys: string[];
  reason: string;
  at: string;
}
export type OutcomeStatus = 'accepted' | 'failed' | 'unknown';
export interface OutcomeRecord {
  t: 'outcome';
  b: number;
  status: OutcomeStatus;
  at: string;
  http?: number;
  /** For accepted single sends, `ids[i]` is the Bird message id of `keys[i]`. */
  ids?: string[];
  batchId?: string;
  code?: string;
  message?: string;
  details?: unknown;
  /** Only when the outcome covers part of the batch; otherwise it covers every key of the intent. */
  keys?: string[];
}
/** Later reconciliation of keys whose outcome was unknown. */
export interface ResolveRecord {
  t: 'resolve';
  keys: string[];
  status: 'accepted' | 'resendable';
  at: string;
  via: string;
}
/**
 * Delivery statuses fetched from Bird by `chirp status`: [key, status, message id, failure code, failure
 * description, reason, scheduledFor, createdAt] (the last three added later: older readers ignore them).
 * `[key, 'unknown', id, 'lookup_failed', why]` records a lookup that failed.
 */
export interface StatusRecord {
  t: 'status';
  at: string;
  entries: [string, string, string?, string?, string?, string?, string?, string?][];
  /**
   * Replies read by `chirp status --replies` (added later as an optional field, not a record kind of its
   * own: a chirp from before it verifies the line and ignores the field, where an unknown kind would be
   * damage that stops its sends). Recipient keys only, never a number, and none of the reply's text.
   */
  replies?: ReplyEntry[];
  /** Reads and clicks per message read by `chirp status --interactions` (an optional field, like `replies`). */
  interactions?: InteractionEntry[];
}
/** [recipient key, reads, clicks, other interactions] of the key's message, as counted when read. */
export type InteractionEntry = [string, number, number, number];
/**
 * One reply: [recipient key of its sender, Bird's message id, Bird's createdAt, how it reads (`stop`: the
 * whole reply is a stop word; `mention`: a stop word inside it; `reply`: neither), the stop word (as
 * configured, at most 64 characters)].
 */
export type ReplyEntry = [string, string, string, ReplyKind, string?];
export type ReplyKind = 'stop' | 'mention' | 'reply';
export type EndReason = 'complete' | 'interrupted' | 'stopped';
export interface EndRecord {
  t: 'end';
  at: string;
  reason: EndReason;
  summary: Record<string, number>;
}

export type JournalRecord =
  HeaderRecord | ResumeRecord | IntentRecord | OutcomeRecord | ResolveRecord | EndRecord | StatusRecord | SkipRecord;
export type HeaderFields = Omit<HeaderRecord, 't' | 'v'>;

/** Builds the header from known fields only, so nothing else the caller's object carries is written. */
export function headerRecord(h: HeaderFields): HeaderRecord {
  return {
    t: 'header',
    v: JOURNAL_FORMAT,
    runId: h.runId,
    messageId: h.messageId,
    definitionHash: h.definitionHash,
    dataHash: h.dataHash,
    chirpVersion: h.chirpVersion,
    startedAt: h.startedAt,
    channelId: h.channelId,
    workspace: h.workspace,
    ...(h.apiOrigin !== undefined ? { apiOrigin: h.apiOrigin } : {}),
    ...(h.platform !== undefined ? { platform: h.platform } : {}),
    ...(h.planned !== undefined ? { planned: h.planned } : {}),
    options: h.options,
  };
}

// Run ids become file names, and may come from a --resume flag.
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function checkRunId(runId: string): void {
  if (!RUN_ID.test(runId))
    throw new UserError('E_RUN_ID', `invalid run id ${JSON.stringify(runId)}: use letters, digits, '.', '_' and '-'`);
}
export const journalFile = (dir: string, runId: string): string => join(dir, `${runId}.ndjson`);
export const lockFile = (dir: string, runId: string): string => join(dir, `${runId}.lock`);

type Fields = Record<string, unknown>;
const isString = (v: unknown): v is string => typeof v === 'string';
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const isObject = (v: unknown): v is Fields => isJsonObject(v);
const isBatch = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;
const optional = (v: unknown, check: (v: unknown) => boolean): boolean => v === undefined || check(v);

const REPLY_KINDS: ReadonlySet<unknown> = new Set(['stop', 'mention', 'reply']);
const isReplyEntry = (e: unknown): boolean =>
  Array.isArray(e) &&
  e.length >= 4 &&
  e.length <= 5 &&
  isString(e[0]) &&
  isString(e[1]) &&
  isString(e[2]) &&
  REPLY_KINDS.has(e[3]) &&
  optional(e[4], (w) => isString(w) && w.length <= 64);

const isCount = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;
const isInteractionEntry = (e: unknown): boolean =>
  Array.isArray(e) && e.length === 4 && isString(e[0]) && isCount(e[1]) && isCount(e[2]) && isCount(e[3]);

const SHAPES: Record<JournalRecord['t'], (r: Fields) => boolean> = {
  header: (r) =>
    (r.v === 1 || r.v === 2) &&
    isObject(r.options) &&
    ['runId', 'messageId', 'definitionHash', 'dataHash', 'chirpVersion', 'startedAt', 'channelId', 'workspace'].every((k) =>
      isString(r[k]),
    ) &&
    optional(r.apiOrigin, isString) &&
    optional(r.platform, isString) &&
    optional(r.planned, (v) => Number.isSafeInteger(v) && (v as number) >= 0),
  resume: (r) => isString(r.at) && Number.isSafeInteger(r.pid) && optional(r.renderKey, isString),
  intent: (r) => isBatch(r.b) && isStrings(r.keys) && isString(r.at) && optional(r.refs, isStrings) && optional(r.h, isStrings),
  skip: (r) => isStrings(r.keys) && isString(r.at) && isString(r.reason),
  outcome: (r) =>
    isBatch(r.b) &&
    isString(r.at) &&
    ['accepted', 'failed', 'unknown'].includes(r.status as string) &&
    optional(r.keys, isStrings) &&
    optional(r.ids, isStrings),
  resolve: (r) => isStrings(r.keys) && isString(r.at) && isString(r.via) && ['accepted', 'resendable'].includes(r.status as string),
  status: (r) =>
    isString(r.at) &&
    Array.isArray(r.entries) &&
    r.entries.every((e) => Array.isArray(e) && isString(e[0]) && isString(e[1])) &&
    optional(r.replies, (v) => Array.isArray(v) && v.every(isReplyEntry)) &&
    optional(r.interactions, (v) => Array.isArray(v) && v.every(isInteractionEntry)),
  end: (r) => isString(r.at) && isObject(r.summary) && ['complete', 'interrupted', 'stopped'].includes(r.reason as string),
};

/** One line back to a record; undefined when it is not JSON or not a record this version knows. */
export function parseRecord(line: string): JournalRecord | undefined {
  const checked = checkLine(line);
  return checked.ok ? checked.record : undefined;
}

// Every line chirp writes (format 2) ends with `,"c":"<crc32 of the line without it>"}`: one changed
// character anywhere (a key, a status) no longer verifies. A check against accidents (disks, editors,
// scripts), not an attacker: anyone who can write the file can recompute it.
const CHECKSUM = /,"c":"([0-9a-f]{8})"\}$/;

const crcHex = (text: string): string => crc32(text).toString(16).padStart(8, '0');

/** The JSON line for a record, checksummed. */
export function recordLine(record: JournalRecord): string {
  const text = JSON.stringify(record);
  return `${text.slice(0, -1)},"c":"${crcHex(text)}"}`;
}

/** Room `writeRecordLine` may need for a JSON text: 3 bytes per UTF-16 unit, the checksum and the newline. */
export const lineRoom = (text: string): number => 3 * text.length + 16;

/**
 * `recordLine(record) + '\n'` encoded straight into `buf` at `at`, from `text = JSON.stringify(record)`:
 * the text is encoded once and checksummed from its bytes (no line string, no copies of it). The caller
 * leaves `lineRoom(text)` bytes free. Returns where the line ends.
 */
export function writeRecordLine(text: string, buf: Buffer, at: number): number {
  const end = at + buf.write(text, at, 'utf8');
  const crc = crc32(buf.subarray(at, end)).toString(16).padStart(8, '0');
  // The text's closing brace makes way for the checksum field.
  return end - 1 + buf.write(`,"c":"${crc}"}\n`, end - 1, 'latin1');
}

export type LineCheck =
  | { ok: true; record: JournalRecord; checksummed: boolean }
  | {
      ok: false;
      reason: string;
      /** The keys the line names, when it parses: they cannot be trusted, but they are the ones it covered. */ keys?: string[];
    };

/**
 * A line read back: verified against its checksum when it has one (`required` for format 2 files), then
 * checked for a shape this chirp knows. A trailing CR (a CRLF file) is tolerated.
 */
export function checkLine(raw: string, required = false): LineCheck {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  const match = CHECKSUM.exec(line);
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'not a JSON record' };
  }
  const keys = isObject(value) && isStrings(value.keys) ? value.keys : undefined;
  const bad = (reason: string): LineCheck => (keys ? { ok: false, reason, keys } : { ok: false, reason });
  if (match) {
    if (crcHex(`${line.slice(0, match.index)}}`) !== match[1]) return bad('its checksum does not match (the line was changed)');
    delete (value as Fields).c;
  } else if (required) return bad('it has no checksum');
  if (!isObject(value) || !Object.hasOwn(SHAPES, value.t as string)) return bad('not a record this chirp knows');
  if (!SHAPES[value.t as JournalRecord['t']](value)) return bad(`a "${String(value.t)}" record of an unknown shape`);
  return { ok: true, record: value as unknown as JournalRecord, checksummed: match !== null };
}

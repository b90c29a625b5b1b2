// The append-only NDJSON write-ahead journal of `chirp send`: one `<dir>/<runId>.ndjson` per run.
// An intent is durable before its request leaves and an outcome is written as soon as it is known,
// so after any crash every recipient is accepted, failed, or `unknown` (maybe sent): never silently
// skipped, never blindly sent twice. The journal holds recipient keys (hashes), never phone numbers
// or the access key.
export type {
  EndReason, EndRecord, HeaderFields, HeaderRecord, IntentRecord, JournalRecord, OutcomeRecord, OutcomeStatus,
  ResolveRecord, ResumeRecord,
} from './journal/records.js';
export { journalFile, lockFile } from './journal/records.js';
export type { JournalState, RecipientState, RecipientStatus } from './journal/state.js';
export type { JournalWriter } from './journal/writer.js';
export type { JournalLockOptions } from './journal/open.js';
export type { RunSummary, UnreadableRun } from './journal/runs.js';
export { createJournal, reopenJournal } from './journal/open.js';
export { readJournal } from './journal/reader.js';
export { findResumableRun, listRuns, scanRuns } from './journal/runs.js';
export { pidIsAlive } from './journal/lock.js';

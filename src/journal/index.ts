// The append-only NDJSON write-ahead journal of `chirp send`: one `<dir>/<runId>.ndjson` per run.
// An intent is durable before its request leaves and an outcome is written as soon as it is known,
// so after any crash every recipient is accepted, failed, or `unknown` (maybe sent): never silently
// skipped, never blindly sent twice. The journal holds recipient keys (hashes), never phone numbers
// or the access key.
export type {
  EndReason,
  EndRecord,
  HeaderFields,
  HeaderRecord,
  IntentRecord,
  InteractionEntry,
  JournalRecord,
  OutcomeRecord,
  OutcomeStatus,
  ResolveRecord,
  ReplyEntry,
  ReplyKind,
  ResumeRecord,
  SkipRecord,
  StatusRecord,
} from './records.js';
export { JOURNAL_FORMAT } from './records.js';
export { checkRunId, journalFile, lockFile } from './records.js';
export type { JournalDamage, JournalState, RecipientState, RecipientStatus } from './state.js';
export type { CheckedFile, Destination, FolderDamage, FolderIndex, IndexedRun } from './folder.js';
export { checkFolder, indexFolder, sameDestination } from './folder.js';
export { defaultJournalProblem } from './place.js';
export type { JournalWriter } from './writer.js';
export type { JournalLockOptions } from './open.js';
export type { RunSummary, UnreadableRun } from './runs.js';
export { createJournal, reopenJournal } from './open.js';
export { foldJournal, readJournal } from './reader.js';
export type { RecordFold } from './reader.js';
export { KeyIndex } from './key-index.js';
export { findResumableRun, listRuns, scanRuns } from './runs.js';
export { pidIsAlive } from './lock.js';
export { parseRecord } from './records.js';
export { acquireLock, releaseLock } from './lock.js';
export type { HeldLock } from './lock.js';
export { readLines } from './lines.js';

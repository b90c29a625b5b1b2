// Consent: who is never sent to. Suppression lists (opt-outs) and opt-in columns; the public face of
// the folder (other folders import only from here).
export { forEachEntry, listEntries, listFormat, listPath, loadSuppression, NationalEntries, readList, RECEIVER_FIELDS } from './load.js';
export type { ListEntry, LoadOptions, SkipReason, Suppression, SuppressionCheck, SuppressionList } from './load.js';
export { isOptIn, optInCheck } from './optin.js';
export { SuppressionSet } from './set.js';
export { addToList } from './add.js';
export type { AddOptions, AddResult } from './add.js';

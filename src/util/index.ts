// The single copy of small things every stage uses.
export { hashTexts, sha256Hex, sha256Tagged, shortKey, streamHash } from './hash.js';
export { isObject } from './is-object.js';
export { cloneValues } from './clone-values.js';
export {
  copyNumberInfo,
  DECIMAL,
  numberProblem,
  numberProblems,
  numberText,
  parseJsonNumbers,
  rememberWritten,
  writtenText,
  type NumberProblem,
} from './numbers.js';
export { chooseLocale, localeChain, localeChooser, normalizeLocale } from './locale.js';
export type { LocaleChoice, LocaleFallback, NormalizedLocale } from './locale.js';
export { isTimeZone, localInstant, rfc3339 } from './local-time.js';
export type { LocalInstant } from './local-time.js';
export { hasControlChar, oneLine, showControls } from './controls.js';
export { decodePointer, encodePointer, type Position } from './pointer.js';
export { isKnownCountry, isNationalNumber, normalizeRecipient, parseRecipient, recipientIdentity, suppressionKey } from './recipient.js';
export { maskRecipient, maskRecipientIn, maskText, type MaskOptions } from './mask.js';
export { hasChanges, type ChangeCounts } from './plan-changes.js';
export { closestName, nearestName } from './names.js';
export { UUID } from './uuid.js';
export { boundedText, REDACTED, scrubText, scrubValue } from './scrub.js';
export { FAILURE_COLUMNS, TYPED_COLUMN, failureCells, isFailureColumn, restoreTyped } from './failure-cells.js';
export { checkThreads, MAX_THREADS } from './threads.js';
export { RESERVED_KEYS } from './reserved-keys.js';
export { canonicalOrigin, sameOrigin } from './origin.js';

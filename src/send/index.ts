// The send stage's public face: other folders import only from here.
export { firstCopyKeys, hashFile, hashTexts, recipientKey } from './keys.js';
export { buildReport } from './result.js';
export type { SendReport } from './result.js';
export { sendMessage } from './run.js';
export { WindowChecker } from './window.js';
export type { DispatchCounts } from './dispatch.js';
export { failureOf, failuresCsv } from './failures.js';
export type { FailureRecord } from './failures.js';
export type { SendPlan } from './decisions.js';

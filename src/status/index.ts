// The status stage's public face: other folders import only from here.
export { refreshStatuses, FAILED } from './fetch.js';
export { readRunDetail } from './run-detail.js';
export type { RunDetail } from './run-detail.js';
export { summarize } from './summary.js';
export type { StatusSummary } from './summary.js';

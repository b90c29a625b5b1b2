// The status stage's public face: other folders import only from here.
export { refreshStatuses, FAILED, FINAL } from './fetch.js';
export type { Refresh, RefreshOptions, ListingReport } from './fetch.js';
export { readRunDetail, statusEntry } from './run-detail.js';
export { loadDetails } from './details.js';
export type { RunDetail, Delivery } from './run-detail.js';
export { summarize } from './summary.js';
export type { StatusSummary, SendActivity, SummaryExtras, RunExtent } from './summary.js';
export { birdWindow, measureOffset, windowChunks, DEFAULT_MARGIN_MS, DEFAULT_MAX_SKEW_MS } from './clock.js';
export { parseListingPage, parseMessage, parseInteractions, BIRD_STATUSES } from './bird-message.js';
export { fetchInteractions } from './interactions.js';
export { sendActivity } from './activity.js';
export { listRunStates } from './run-list.js';
export type { RunList, RunListEntry, RunListState } from './run-list.js';

// The diff stage's public face: other folders import only from here.
export { compareSides, hasChanges } from './compare.js';
export type { MessagePlan, PlanDiff } from './compare.js';
export { headSide, revisionSide } from './sides.js';
export type { DiffEntry } from './json-diff.js';
export { addTemplateLockDiff } from './template-lock.js';
export type { LockChange, TemplateLockDiff } from './template-lock.js';

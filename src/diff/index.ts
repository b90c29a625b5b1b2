// The diff stage's public face: other folders import only from here.
export { compareSides, hasChanges } from './compare.js';
export type { ChangeGroup, CompareOptions, MessagePlan, PlanDiff, Problem } from './compare.js';
export { MAX_GROUPS } from './compare.js';
export { diffValues } from './json-diff.js';
export { headSide, revisionSide, textSide } from './sides.js';
export type { Side, SideMessage, TextSideOptions } from './sides.js';
export type { DiffEntry } from './json-diff.js';
export { addTemplateLockDiff } from './template-lock.js';
export type { LockChange, TemplateLockDiff } from './template-lock.js';
export { definitionChanges, templateLeaves, usedPartials } from './definition.js';
export type { DefinitionChange } from './definition.js';
export { messageBranches, messageCoverage, unreachedChanges, unreachedDiagnostics } from './coverage.js';
export type { BranchCoverage, LocatedBranch, MessageCoverage, UnreachedChange } from './coverage.js';

// The render stage's public face: other folders import only from here.
export { analyzeTemplate, createTemplateEnv, parseTemplate, TemplateSyntaxError } from './template.js';
export type { TemplateUse, TemplateEnv } from './template.js';
export { partialEntry, recordBranches, templateBranches } from './branches.js';
export type { BranchArm, TemplateBranch } from './branches.js';
export { BUILTIN_BLOCKS, HELPER_NAMES } from './helpers.js';
export { compileMessage } from './compile.js';
export { namesPerson } from './receiver.js';
export { identityHash } from './identity.js';
export { compileRowValidator, rowProblems } from './row-validator.js';
export type { RowResult, RowLocale, CompiledMessage, CompileOptions, RenderRowOptions } from './compile.js';
export { receiverIdentifiers, renderStream, rowColumn, rowOutcome } from './stream.js';
export { requestedLocales } from './row-locales.js';
export type { ConsentCheck, FinalRows, OutcomeNeeds, ParallelRender, RenderItem, RequestCheck, RowOutcome } from './stream.js';
export { decodeOutcomes, decodeWork, encodeOutcomes, parallelRender, restoreValues } from './parallel.js';
export type { OutcomeBatch, ParallelOptions, RowWork, WorkBatch } from './parallel.js';
export { BatchPool, serveBatches, WorkerFailure } from './pool.js';
export type { BatchPoolOptions } from './pool.js';

export { RecipientSet } from './recipient-set.js';

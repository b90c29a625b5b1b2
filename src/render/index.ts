// The render stage's public face: other folders import only from here.
export { analyzeTemplate, createTemplateEnv, parseTemplate, TemplateSyntaxError } from './template.js';
export type { TemplateUse, TemplateEnv } from './template.js';
export { partialEntry, recordBranches, templateBranches } from './branches.js';
export type { BranchArm, TemplateBranch } from './branches.js';
export { BUILTIN_BLOCKS, HELPER_NAMES } from './helpers.js';
export { compileMessage } from './compile.js';
export { compileRowValidator, rowProblems } from './row-validator.js';
export type { RowResult, RowLocale, CompiledMessage, CompileOptions, RenderRowOptions } from './compile.js';
export { renderStream, rowColumn } from './stream.js';
export { requestedLocales } from './row-locales.js';
export type { ConsentCheck, RenderItem } from './stream.js';

export { RecipientSet } from './recipient-set.js';

// chirp's library API: the public face. Plain options in, plain results out: nothing here prints, exits
// or reads the process; the CLI (src/cli) passes cwd, env values, flags, the clock, the HTTP dispatcher and
// progress callbacks in, picks a reporter and maps the result to an exit code.
//
// The stages, in the order data flows through them:
//   load (catalog) → check → render (sources) → plan (diff, saved-plan) → send (journal, transport)
//   → track (status) → report
// The order imports follow (a part imports only the parts below it) is docs/design.md's table of the house,
// checked by test/unit/layout.test.ts.
// The use cases (src/usecases/, one file each) wire the stages for one command:
//   validate · render · plan · send · status · journalCheck · journalList · templates pull (template-uses.ts)
export {
  journalCheck,
  journalList,
  plan,
  render,
  send,
  status,
  validate,
  exampleRows,
  loadRunVars,
  prepareMessage,
  renderMessage,
  resolveChannel,
  sendTimeChecked,
  SEND_DEFAULTS,
  type DataInput,
  type JournalCheckOptions,
  type JournalCheckResult,
  type LibraryOptions,
  type PlanOptions,
  type PlanResult,
  type PlanSides,
  type PreflightOptions,
  type PreparedMessage,
  type RenderOptions,
  type RenderResult,
  type RowOptions,
  type RunVars,
  type SendOptions,
  type SendRun,
  type StatusOptions,
  type StatusResult,
  type ValidateOptions,
  type ValidateResult,
} from './usecases/index.js';
export { openCatalog, type Catalog } from './catalog/index.js';
export { CODES, InternalError, UserError, type DiagnosticCode } from './errors.js';
export type { Diagnostic, Row, DataFormat } from './types.js';
export type { RenderItem } from './render/index.js';
export type { PlanDiff } from './diff/index.js';
export type { SavedPlan } from './saved-plan/index.js';
export type { SendPlan, SendReport, FailureRecord, DispatchCounts } from './send/index.js';
export type { StatusSummary, RunList, RunListEntry, RunListState } from './status/index.js';
export { chirpVersion } from './version.js';
export { templateText } from './templates/index.js';
export type { TemplateLock, TemplateText, TemplateTextInput, TemplatePreflight } from './templates/index.js';
export { collectTemplateProjects, mergeUses, pullTemplateLock, requestTemplateUses, sendTemplateUses } from './template-uses.js';
export type { PullLockOptions } from './template-uses.js';

// One file per use case; each wires the stages for its command and nothing else.
export { SEND_DEFAULTS, resolveChannel, type DataInput, type LibraryOptions } from './common.js';
export { journalCheck, journalList, type JournalCheckOptions, type JournalCheckResult } from './journal.js';
export { plan, type PlanOptions, type PlanResult, type PlanSides } from './plan.js';
export {
  exampleRows,
  loadRunVars,
  prepareMessage,
  renderMessage,
  sendTimeChecked,
  type PreflightOptions,
  type PreparedMessage,
  type RowOptions,
  type RunVars,
} from './prepare.js';
export { render, type RenderOptions, type RenderResult } from './render.js';
export { send, type SendOptions, type SendRun } from './send.js';
export { status, type StatusOptions, type StatusResult } from './status.js';
export { validate, type ValidateOptions, type ValidateResult } from './validate.js';

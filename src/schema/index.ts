// The schema stage's public face: other folders import only from here.
export { createRowAjv, validatorFor } from './validators.js';
export { closestName, nearestName, schemaDiagnostics, schemaProblems } from './diagnostics.js';
export type { SchemaProblem } from './diagnostics.js';
export type { MessageDefinition } from './message-definition.js';
export type { ChirpConfiguration, SendMessageRequest } from './generated-types.js';
/** The JSON each command prints, generated from schemas/<command>-output.schema.json: reporters build these. */
export type {
  ChirpDiagnostic,
  ChirpJournalCheckOutput,
  ChirpRenderOutputLine,
  ChirpSendOutput,
  ChirpStatusOutput,
  ChirpTemplatesPullOutput,
  ChirpValidateOutput,
} from './generated-types.js';

// The schema stage's public face: other folders import only from here.
export { createRowAjv, validatorFor } from './validators.js';
export { schemaDiagnostics, schemaProblems } from './diagnostics.js';
export type { SchemaProblem } from './diagnostics.js';
export type { ChirpConfiguration, SendMessageRequest } from './generated-types.js';

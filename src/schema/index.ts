// The schema stage's public face: other folders import only from here.
export { createRowAjv, validatorFor } from './validators.js';
export { closestName, schemaDiagnostics, schemaProblems } from './diagnostics.js';
export type { SchemaProblem } from './diagnostics.js';
export type { ChirpConfiguration, SendMessageRequest } from './generated-types.js';

// The schema stage's public face: other folders import only from here.
export { createRowAjv, validatorFor } from './validators.js';
export { schemaDiagnostics } from './diagnostics.js';
export type { ChirpConfiguration, SendMessageRequest } from './generated-types.js';

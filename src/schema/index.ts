// The schema stage's public face: other folders import only from here.
export { validatorFor } from './validators.js';
export { closestName, schemaDiagnostics } from './diagnostics.js';
export type { ChirpConfiguration, SendMessageRequest } from './generated-types.js';

// The transport stage's public face: other folders import only from here.
export { createDispatcher, createTransport } from './client.js';
export type { Transport, Endpoint, SendOutcome, GetResult } from './client.js';
export { boundedText, REDACTED, scrubText } from '../util/index.js';

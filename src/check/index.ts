// The check stage's public face: other folders import only from here.
export { checkMessage } from './message.js';
export { templateLocaleOption } from './locales.js';
export type { CheckedMessage } from './message.js';
export type { CatalogContext } from '../catalog/index.js';
export { UUID } from './definition.js';
export type { MessageDefinition } from './definition.js';
export { messageRequestChecker, platformOf, requestChecker } from './platform.js';
export type { PlatformContext } from './platform.js';
export { rulesFor, scheduledFor } from './rules/index.js';
export type { RuleProblem } from './rules/index.js';

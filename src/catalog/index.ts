// The catalog stage's public face: other folders import only from here.
export { listMessages, MESSAGES_DIR, PARTIALS_DIR, loadMessage, messageFileFor, resolveMessageArg } from './files.js';
export type { LoadedMessage, MessageFile } from './files.js';
export { encodePointer, parseYamlText, decodePointer } from './yaml-source.js';
export type { Position } from './yaml-source.js';
export { headCommit, resolveRevision, listFilesAt, readFilesAt } from './git.js';
export type { GitRevision } from './git.js';
export { buildContext, openCatalog } from './context.js';
export type { Catalog, PartialSource } from './context.js';
export { channelTable, loadConfigText } from './config.js';
export type { ConfigOptions } from './config.js';

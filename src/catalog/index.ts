// The catalog stage's public face: other folders import only from here.
export { listMessages, MESSAGES_DIR, PARTIALS_DIR, loadMessage, messageFileFor, resolveMessageArg } from './files.js';
export {
  buildListing,
  classifyEntry,
  insideMessages,
  listCatalog,
  listingFiles,
  listingFilesUnder,
  MESSAGE_EXTENSIONS,
  partialText,
  resolveInListing,
  symlinkProblem,
  twinProblem,
} from './files.js';
export type { CatalogListing, EntryKind, ListedEntry, LoadedMessage, MessageFile, ResolvedArg } from './files.js';
export { normaliseNewlines } from './newlines.js';
export { closestIds, notFound, selectIds } from './select.js';
export { parseYamlText } from './yaml-source.js';
export type { YamlSource } from './yaml-source.js';
export { headCommit, resolveBase, resolveRevision, listFilesAt, listEntriesAt, readFilesAt } from './git.js';
export type { GitRevision } from './git.js';
export { buildContext, openCatalog } from './context.js';
export type { Catalog, CatalogContext, PartialSource } from './context.js';
export { channelTable, CONFIG_FILE, DEFAULT_API_URL, loadConfigText } from './config.js';
export type { ConfigOptions } from './config.js';
export { assertInside, isMessageId, wallDiagnostic, wallProblem } from './walls.js';

// The preview stage's public face: other folders import only from here. Loaded only by
// `chirp preview` and `chirp plan --format html` (a dynamic import), so other commands start as fast.
export { startPreviewServer } from './server.js';
export type { PreviewServer, PreviewServerOptions, WatchFn } from './server.js';
export { PreviewSite, parseRoute, writeStaticSite } from './site.js';
export type { SiteOptions, StaticSiteResult, PageResult, Route } from './site.js';
export { loadCatalog, loadPreviewMessage, DEFAULT_PAGE_SIZE } from './model.js';
export type { PreviewSource } from './model.js';
export { chatView } from './chat.js';
export type { ChatOptions, ChatView } from './chat.js';
export { formatWhatsApp } from './whatsapp-format.js';
export { escapeHtml, html, Html, safeUrl } from './html.js';
export { markChangedWords } from './word-diff.js';
export { visualDiffPage, writeVisualDiff } from './diff-page.js';
export type { VisualDiffOptions } from './diff-page.js';
export { messagePath } from './page.js';
export type {
  MessageState,
  MessageSummary,
  PreviewCatalog,
  PreviewMessage,
  PreviewProblem,
  PreviewRow,
  TemplateButton,
  TemplateText,
  TemplateTextFn,
} from './types.js';

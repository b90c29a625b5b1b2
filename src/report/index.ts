// The report stage's public face: other folders import only from here.
export { coverageText, diagnosticsText, countBySeverity, validateJson } from './diagnostics.js';
export { planGithub, planJson, planMarkdown, planText } from './diff.js';
export { sendPlanMarkdown, sendPlanText } from './dry-run.js';
export { sendJson, sendSummaryMarkdown, sendText } from './send.js';
export { statusText } from './status.js';
export { maskReplies, repliesText } from './replies.js';
export type { RepliesTextOptions } from './replies.js';
export { githubAnnotations, githubOutputs } from './github.js';
export {
  htmlLine,
  htmlText,
  markdownCode,
  markdownFence,
  markdownText,
  safeLineStart,
  tableCell,
  terminalLine,
  terminalText,
} from './escape.js';
export { MARKDOWN_LIMIT } from './diff.js';
export { previewLinkLine, withPreviewLink } from './plan-links.js';
export { LocaleTally, localeText } from './locales.js';

// The report stage's public face: other folders import only from here.
export { diagnosticsText, countBySeverity, validateJson } from './diagnostics.js';
export { planJson, planMarkdown, planText } from './diff.js';
export { sendPlanMarkdown, sendPlanText } from './dry-run.js';
export { sendJson, sendText } from './send.js';
export { MARKDOWN_LIMIT } from './diff.js';
export { previewLinkLine, withPreviewLink } from './plan-links.js';

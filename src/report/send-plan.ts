// The send plan of several messages (`chirp plan` without --base) as text and markdown.
import type { SendReport } from '../send/report.js';
import type { Diagnostic } from '../types.js';
import { diagnosticsText } from './diagnostics.js';
import { sendText } from './send.js';

export function sendPlanText(reports: readonly SendReport[], problems: readonly Diagnostic[]): string {
  const parts = reports.map((r) => sendText(r));
  if (problems.length > 0) parts.push(`Messages that cannot be planned:\n${diagnosticsText(problems)}\n`);
  return parts.join('\n');
}

export function sendPlanMarkdown(reports: readonly SendReport[], problems: readonly Diagnostic[]): string {
  const lines = ['### chirp send plan', '', '| message | recipients | to send | already sent | invalid | batches | estimate |', '|---|---:|---:|---:|---:|---:|---:|'];
  for (const r of reports) lines.push(`| \`${r.message}\` | ${r.recipients} | ${r.toSend} | ${r.alreadySent} | ${r.invalid} | ${r.batches} | ${r.estimatedSeconds.toFixed(1)} s |`);
  if (problems.length > 0) lines.push('', '```', diagnosticsText(problems), '```');
  return `${lines.join('\n')}\n`;
}

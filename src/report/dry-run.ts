// The send plan of several messages (`chirp plan` without --base) as text and markdown.
import type { SendReport } from '../send/index.js';
import type { Diagnostic } from '../types.js';
import { diagnosticsText } from './diagnostics.js';
import { localesLine, sendText } from './send.js';
import { markdownCode, markdownFence, markdownText, safeLineStart, terminalLine } from './escape.js';

function compactTable(reports: readonly SendReport[]): string {
  const header = ['message', 'recipients', 'to send', 'already sent', 'invalid', 'batches', 'estimate'];
  const rows = reports.map((r) => [
    safeLineStart(terminalLine(r.message)),
    String(r.recipients),
    String(r.toSend),
    String(r.alreadySent),
    String(r.invalid),
    String(r.batches),
    `${r.estimatedSeconds.toFixed(1)} s`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [`Send plan (dry run: nothing is sent) for ${reports.length} messages`, line(header), ...rows.map(line)].join('\n') + '\n';
}

export function sendPlanText(reports: readonly SendReport[], problems: readonly Diagnostic[]): string {
  // One message: the full report, as `send --dry-run` prints it. A catalog: a table, and the full
  // report only for messages with something to look at.
  const parts =
    reports.length === 1
      ? reports.map((r) => sendText(r))
      : [
          compactTable(reports),
          ...reports
            .filter((r) => r.invalid + r.windowClosed + r.fallback + r.unknownSkipped + r.locales.reduce((s, l) => s + l.fallback, 0) > 0)
            .map((r) => sendText(r)),
        ];
  if (problems.length > 0) parts.push(`Messages that cannot be planned:\n${diagnosticsText(problems)}\n`);
  return parts.join('\n');
}

export function sendPlanMarkdown(reports: readonly SendReport[], problems: readonly Diagnostic[]): string {
  const lines = [
    '### chirp send plan',
    '',
    '| message | recipients | to send | already sent | invalid | fallback | window closed | batches | estimate |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of reports)
    lines.push(
      `| ${markdownCode(r.message).replace(/\|/g, '\\|')} | ${r.recipients} | ${r.toSend} | ${r.alreadySent} | ${r.invalid} | ${r.fallback} | ${r.windowClosed} | ${r.batches} | ${r.estimatedSeconds.toFixed(1)} s |`,
    );
  const localised = reports.filter((r) => r.locales.length > 0);
  if (localised.length > 0)
    lines.push('', ...localised.map((r) => `- ${markdownCode(r.message)} locales: ${markdownText(localesLine(r.locales))}`));
  if (problems.length > 0) lines.push('', markdownFence(diagnosticsText(problems).split('\n')));
  return `${lines.join('\n')}\n`;
}

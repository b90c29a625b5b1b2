// The send report (and the dry-run plan) as text for people; JSON is the SendReport value itself.
import type { SendReport } from '../send/index.js';
import { diagnosticsText } from './diagnostics.js';

const n = (value: number): string => value.toLocaleString('en-US');

function row(label: string, value: string): string {
  return `  ${label.padEnd(16)}${value}`;
}

function duration(seconds: number): string {
  if (seconds < 1) return `${seconds.toFixed(1)} s`;
  if (seconds < 120) return `${Math.round(seconds)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

export function sendText(r: SendReport): string {
  const out: string[] = [];
  const title = r.status === 'dry-run' ? `Dry run of ${r.message}: nothing was sent.` : `chirp send ${r.message}`;
  out.push(title);
  out.push(row('channel', r.channelId));
  out.push(row('workspace', r.workspace || '(not set)'));
  if (r.runId) out.push(row('run', `${r.runId}${r.resumed ? ' (resumed)' : ''}`));
  if (r.journal) out.push(row('journal', r.journal));
  out.push(row('recipients', n(r.recipients)));
  if (r.invalid) out.push(row('invalid rows', n(r.invalid)));
  if (r.duplicates) out.push(row('duplicates', `${n(r.duplicates)} (sent once)`));
  if (r.alreadySent) out.push(row('already sent', n(r.alreadySent)));
  if (r.unknownSkipped) out.push(row('unknown before', `${n(r.unknownSkipped)} (not resent; --retry-unknown resends them)`));
  if (r.failedBefore) out.push(row('failed before', `${n(r.failedBefore)} (not resent)`));
  if (r.fallback) out.push(row('fallback', `${n(r.fallback)} (window closed: the fallback template goes instead)`));
  if (r.windowClosed) out.push(row('window closed', `${n(r.windowClosed)} (skipped: no fallback template)`));
  const batches = `${n(r.batches)} batch${r.batches === 1 ? '' : 'es'} of ≤${r.batchSize}`;
  out.push(row('to send', `${n(r.toSend)} in ${batches}, ≈${duration(r.estimatedSeconds)} at ${r.rate} requests/s`));
  if (r.status !== 'dry-run' && r.status !== 'refused' && r.status !== 'nothing-to-send') {
    out.push(row('accepted', n(r.accepted)));
    out.push(row('failed', n(r.failed)));
    out.push(row('unknown', n(r.unknown)));
    out.push(row('not sent', n(r.notSent)));
    if (r.seconds !== null) out.push(row('took', duration(r.seconds)));
  }
  for (const g of r.failureGroups) out.push(`  ${n(g.count)} × ${g.status} ${g.code}: ${g.message}`);
  // Each list shows a few and says how many it leaves out: a count that silently stops is a lie.
  const listed = (label: string, total: number, lines: string[]): void => {
    out.push(...lines);
    if (total > lines.length && lines.length > 0) out.push(`  ${label}: and ${n(total - lines.length)} more`);
  };
  listed('already sent', r.alreadySent, r.samples.alreadySent.slice(0, 5).map((s) => `  already sent: row ${s.row} ${s.recipient} in run ${s.runId ?? '?'} at ${s.at ?? '?'}`));
  listed('window closed', r.windowClosed, r.samples.windowClosed.slice(0, 5).map((s) => `  window closed: row ${s.row} ${s.recipient}: ${s.message ?? ''}`));
  listed('fallback', r.fallback, r.samples.fallback.slice(0, 5).map((s) => `  fallback: row ${s.row} ${s.recipient}: ${s.message ?? ''}`));
  listed('unknown', r.unknownSkipped, r.samples.unknown.slice(0, 5).map((s) => `  unknown: row ${s.row} ${s.recipient} in run ${s.runId ?? '?'} at ${s.at ?? '?'}`));
  const duplicates = r.samples.duplicates.slice(0, 5);
  if (duplicates.length > 0) listed('duplicates', r.duplicates, diagnosticsText(duplicates).replace(/^/gm, '  ').split('\n'));
  const invalid = r.samples.invalid.slice(0, 20);
  if (invalid.length > 0) listed('invalid rows', r.invalid, diagnosticsText(invalid).replace(/^/gm, '  ').split('\n'));
  const status = r.stop ? `${r.status}: ${r.stop.message}` : r.status;
  out.push(`status: ${status}`);
  if (r.resumeCommand) out.push(`resume with: ${r.resumeCommand}`);
  return `${out.join('\n')}\n`;
}

export function sendJson(r: SendReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

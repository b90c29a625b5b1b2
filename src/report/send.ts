// The send report (and the dry-run plan) as text for people; JSON is the SendReport value itself.
import type { ChirpSendOutput } from '../schema/index.js';
import type { SendReport } from '../send/index.js';
import { diagnosticsText } from './diagnostics.js';
import { markdownCode, markdownText, tableCell, terminalLine as t } from './escape.js';

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
  const title = r.status === 'dry-run' ? `Dry run of ${t(r.message)}: nothing was sent.` : `chirp send ${t(r.message)}`;
  out.push(title);
  out.push(row('channel', t(r.channelId)));
  out.push(row('workspace', t(r.workspace) || '(not set)'));
  if (r.apiOrigin) out.push(row('api', t(r.apiOrigin)));
  for (const o of r.otherOrigins)
    out.push(row('other origin', `run ${t(o.runId)} sent the same message and data to ${t(o.apiOrigin)}: everyone is sent again here`));
  if (r.runId) out.push(row('run', `${t(r.runId)}${r.resumed ? ' (resumed)' : ''}`));
  if (r.journal) out.push(row('journal', t(r.journal)));
  out.push(row('recipients', n(r.recipients)));
  if (r.invalid) out.push(row('invalid rows', n(r.invalid)));
  if (r.duplicates) out.push(row('duplicates', `${n(r.duplicates)} (sent once)`));
  if (r.suppressed) out.push(row('suppressed', suppressedText(r)));
  if (r.alreadySent) out.push(row('already sent', n(r.alreadySent)));
  if (r.unknownSkipped) out.push(row('unknown before', `${n(r.unknownSkipped)} (not resent; --retry-unknown resends them)`));
  if (r.failedBefore) out.push(row('failed before', `${n(r.failedBefore)} (not resent)`));
  if (r.fallback) out.push(row('fallback', `${n(r.fallback)} (window closed: the fallback template goes instead)`));
  if (r.windowClosed)
    out.push(row('window closed', `${n(r.windowClosed)} (skipped: no fallback template; listed in the journal and the failures file)`));
  if (r.locales.length > 0) out.push(row('locales', localesLine(r.locales)));
  if (r.reachedEarlier)
    out.push(row('reached before', `${n(r.reachedEarlier)} (got an earlier version; not sent the new one: --only-unreached)`));
  if (r.reachedWithEarlierVersion)
    out.push(row('earlier version', `${n(r.reachedWithEarlierVersion)} (already got an earlier version of this message)`));
  const batches = `${n(r.batches)} batch${r.batches === 1 ? '' : 'es'} of ≤${r.batchSize}`;
  out.push(row('to send', `${n(r.toSend)} in ${batches}, ≈${duration(r.estimatedSeconds)} at ${r.rate} requests/s`));
  if (r.status !== 'dry-run' && r.status !== 'refused' && r.status !== 'nothing-to-send' && !(r.toSend === 0 && r.runId === null)) {
    out.push(row('accepted', n(r.accepted)));
    out.push(row('failed', n(r.failed)));
    out.push(row('unknown', n(r.unknown)));
    out.push(row('not sent', n(r.notSent)));
    if (r.seconds !== null) out.push(row('took', duration(r.seconds)));
  }
  for (const g of r.failureGroups) out.push(`  ${n(g.count)} × ${t(g.status)} ${t(g.code)}: ${t(g.message)}`);
  const more = (shown: number, total: number, what: string): void => {
    if (total > shown) out.push(`  … and ${n(total - shown)} more ${what}`);
  };
  for (const s of r.samples.alreadySent.slice(0, 5))
    out.push(`  already sent: row ${s.row} ${t(s.recipient)} in run ${t(s.runId ?? '?')} at ${t(s.at ?? '?')}`);
  more(Math.min(5, r.samples.alreadySent.length), r.alreadySent, 'already sent');
  for (const s of r.samples.windowClosed.slice(0, 5)) out.push(`  window closed: row ${s.row} ${t(s.recipient)}: ${t(s.message ?? '')}`);
  more(Math.min(5, r.samples.windowClosed.length), r.windowClosed, 'with the window closed');
  for (const s of r.samples.fallback.slice(0, 5)) out.push(`  fallback: row ${s.row} ${t(s.recipient)}: ${t(s.message ?? '')}`);
  more(Math.min(5, r.samples.fallback.length), r.fallback, 'sent the fallback');
  const fellBack = r.locales.reduce((sum, l) => sum + l.fallback, 0);
  for (const s of r.samples.localeFallback.slice(0, 5))
    out.push(`  locale fallback: row ${s.row} ${t(s.recipient)}: ${t(s.message ?? '')}`);
  more(Math.min(5, r.samples.localeFallback.length), fellBack, 'with a locale fallback');
  for (const s of r.samples.unknown.slice(0, 5))
    out.push(
      `  unknown: row ${s.row} ${t(s.recipient)} in run ${t(s.runId ?? '?')} at ${t(s.at ?? '?')}${s.message ? `: ${t(s.message)}` : ''}`,
    );
  more(Math.min(5, r.samples.unknown.length), r.unknownSkipped, 'unknown');
  for (const s of r.samples.conflicts.slice(0, 5))
    out.push(`  earlier version: row ${s.row} ${t(s.recipient)} in run ${t(s.runId ?? '?')} at ${t(s.at ?? '?')}`);
  more(Math.min(5, r.samples.conflicts.length), r.reachedWithEarlierVersion, 'reached by an earlier version');
  const duplicates = r.samples.duplicates.slice(0, 5);
  if (duplicates.length > 0) out.push(...diagnosticsText(duplicates).replace(/^/gm, '  ').split('\n'));
  more(duplicates.length, r.duplicates, 'duplicates');
  const invalid = r.samples.invalid.slice(0, 20);
  if (invalid.length > 0) out.push(...diagnosticsText(invalid).replace(/^/gm, '  ').split('\n'));
  if (r.templates && r.templates.templates.length > 0) out.push(row('templates', templatesLine(r.templates)));
  const status = r.stop ? `${r.status}: ${t(r.stop.message)}` : r.status;
  out.push(`status: ${status}`);
  if (r.resumeCommand) out.push(`resume with: ${t(r.resumeCommand)}`);
  return `${out.join('\n')}\n`;
}

/** `nl 120 (12 fell back), en 80`: every locale the recipients get, and how many of them asked for another. */
export function localesLine(locales: SendReport['locales']): string {
  return locales.map((l) => `${t(l.locale)} ${n(l.recipients)}${l.fallback ? ` (${n(l.fallback)} fell back)` : ''}`).join(', ');
}

/** `3 (2 opted out, 1 without opt-in; never sent)`: counts only, never who. */
export function suppressedText(r: Pick<SendReport, 'suppressed' | 'noConsent'>): string {
  const optedOut = r.suppressed - r.noConsent;
  const parts = [optedOut > 0 ? `${n(optedOut)} opted out` : '', r.noConsent > 0 ? `${n(r.noConsent)} without opt-in` : ''].filter(Boolean);
  return `${n(r.suppressed)} (${parts.join(', ')}; never sent)`;
}

function templatesLine(t: NonNullable<SendReport['templates']>): string {
  const count = `${t.templates.length} template${t.templates.length === 1 ? '' : 's'}`;
  switch (t.mode) {
    case 'online': {
      const unused = t.templates.filter((e) => e.status === 'unused').map((e) => e.locale);
      return unused.length === 0
        ? `${count} checked at Bird: as in templates.lock.json`
        : `${count} checked at Bird: as in templates.lock.json for every locale the rows get (not ${[...new Set(unused)].join(', ')}, which no row gets)`;
    }
    case 'offline':
      return `${count} trusted from templates.lock.json (--offline-templates)`;
    case 'skipped':
      return `${count} not checked online (dry run)`;
    case 'no-lock':
      return `${count} not checked (no templates.lock.json)`;
  }
}

export function sendJson(r: SendReport): string {
  const output: ChirpSendOutput = r; // schemas/send-output.schema.json
  return `${JSON.stringify(output, null, 2)}\n`;
}

/** The GitHub job summary of a send: counts and failure codes only (no recipient, no server text). */
export function sendSummaryMarkdown(r: SendReport): string {
  const rows: [string, number][] = [
    ['recipients', r.recipients],
    ['invalid rows', r.invalid],
    ['duplicates', r.duplicates],
    ['suppressed (opted out / no opt-in)', r.suppressed],
    ['already sent', r.alreadySent],
    ['unknown before (held back)', r.unknownSkipped],
    ['failed before', r.failedBefore],
    ['window closed', r.windowClosed],
    ['accepted', r.accepted],
    ['failed', r.failed],
    ['unknown', r.unknown],
    ['not sent', r.notSent],
  ];
  const lines = [
    `## chirp send ${markdownCode(r.message)}: ${r.status}`,
    '',
    `Run ${r.runId ? markdownCode(r.runId) : '—'} · channel ${markdownCode(r.channelId)}`,
    '',
    ...r.otherOrigins.map(
      (o) =>
        `> **Another API origin:** run ${markdownCode(o.runId)} sent the same message and data to ${markdownCode(o.apiOrigin)}; this run sends to ${markdownCode(r.apiOrigin ?? '')}, so everyone is sent again.\n`,
    ),
    '| | count |',
    '| --- | ---: |',
    ...rows
      .filter(([label, value]) => value > 0 || label === 'recipients' || label === 'accepted')
      .map(([label, value]) => `| ${label} | ${value.toLocaleString('en-US')} |`),
  ];
  if (r.failureGroups.length > 0) {
    lines.push('', '| failures | code | count |', '| --- | --- | ---: |');
    for (const g of r.failureGroups)
      // Bird's code is data: one line, inside a code span, no `|` to leave the cell (a 422 may carry markdown).
      lines.push(`| ${markdownText(String(g.status))} | ${tableCell(markdownCode(g.code))} | ${g.count.toLocaleString('en-US')} |`);
  }
  return `${lines.join('\n')}\n`;
}

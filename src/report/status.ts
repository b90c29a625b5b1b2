// The text report of `chirp status`.
import type { StatusSummary } from '../status/index.js';
import { terminalLine } from './escape.js';

export function statusText(s: StatusSummary): string {
  const row = (label: string, value: number | string): string =>
    `  ${label.padEnd(14)}${typeof value === 'number' ? value.toLocaleString('en-US') : value}`;
  const lines = [`chirp status ${terminalLine(s.runId)} (${terminalLine(s.message)})`];
  if (s.sending)
    lines.push(
      `  still sending: ${s.sending.evidence === 'lock' ? `process ${s.sending.pid ?? '?'}${s.sending.host ? ` on ${terminalLine(s.sending.host)}` : ''} holds the run` : 'the journal is growing'} (chirp status --wait waits for it)`,
    );
  lines.push(
    row(
      'recipients',
      s.total !== null && s.total !== s.recipients
        ? `${s.total} (${s.recipients} reached by the send${s.notSent ? `, ${s.notSent} never sent` : ''})`
        : s.total === null
          ? `${s.recipients} (the run never ended: how many it set out to reach is not recorded)`
          : s.recipients,
    ),
    row('delivered', s.delivered),
    row('sent', s.sent),
    row('accepted', s.accepted),
    row('failed', s.failed),
  );
  if (s.scheduled)
    lines.push(row('scheduled', `${s.scheduled} (${s.scheduledTimes.map((t) => `${t.count} at ${terminalLine(t.at)}`).join(', ')})`));
  if (s.skipped) lines.push(row('skipped', `${s.skipped} (Bird did not send them: see the reasons below)`));
  if (s.deleted) lines.push(row('deleted', s.deleted));
  if (s.sendFailed) lines.push(row('send failed', s.sendFailed));
  if (s.notSent)
    lines.push(
      row(
        'never sent',
        `${s.notSent} (${s.ended ? `the send was ${s.ended} before it reached them` : 'the send ended before it reached them'})`,
      ),
    );
  if (s.windowClosed) lines.push(row('window closed', `${s.windowClosed} (skipped by chirp: the window was closed)`));
  if (s.inFlight) lines.push(row('in flight', `${s.inFlight} (the send is still on them)`));
  if (s.unknown) lines.push(row('unknown', `${s.unknown} (chirp status --reconcile finds out)`));
  if (s.resendable) lines.push(row('resendable', `${s.resendable} (chirp send resends them)`));
  // Codes and descriptions come from Bird: shown, never interpreted by the terminal.
  for (const g of s.failures)
    lines.push(
      `  ${g.count.toLocaleString('en-US')} × ${terminalLine(g.status)} ${terminalLine(g.code)}${g.description ? `: ${terminalLine(g.description)}` : ''}`,
    );
  if (s.lookupFailed) {
    lines.push(row('not looked up', `${s.lookupFailed} (their last known status is counted above)`));
    for (const l of s.lookupFailures) lines.push(`  ${l.count.toLocaleString('en-US')} × ${terminalLine(l.reason)}`);
  }
  if (s.interactions)
    lines.push(
      row(
        'interactions',
        `${s.interactions.read} read, ${s.interactions.clicked} clicked${s.interactions.other ? `, ${s.interactions.other} other` : ''} (${s.interactions.messages} messages${s.interactions.errors ? `, ${s.interactions.errors} not fetched` : ''})`,
      ),
    );
  if (s.listing?.reason) lines.push(`  listing: ${terminalLine(s.listing.reason)}`);
  const state = s.sending
    ? 'a send of this run is still running'
    : s.unfinished
      ? s.total === null
        ? 'unfinished: the send never ended, and who it did not reach is not recorded'
        : `unfinished: ${s.notSent + s.windowClosed} of ${s.total} recipients were not sent to`
      : s.final
        ? 'every message reached a final state'
        : s.settled
          ? 'settled for now: the rest is scheduled for later'
          : 'some messages are still on their way';
  lines.push(`state: ${state}${s.waited !== null ? ` (waited ${Math.round(s.waited)} s)` : ''}`);
  if (s.unfinished && s.resumeCommand) lines.push(`resume with: ${terminalLine(s.resumeCommand)}`);
  return `${lines.join('\n')}\n`;
}

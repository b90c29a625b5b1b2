// The text report of `chirp status`.
import type { StatusSummary } from '../status/index.js';

export function statusText(s: StatusSummary): string {
  const row = (label: string, value: number | string): string => `  ${label.padEnd(14)}${typeof value === 'number' ? value.toLocaleString('en-US') : value}`;
  const lines = [`chirp status ${s.runId} (${s.message})`, row('recipients', s.recipients), row('delivered', s.delivered), row('sent', s.sent), row('accepted', s.accepted), row('failed', s.failed)];
  if (s.sendFailed) lines.push(row('send failed', s.sendFailed));
  if (s.unknown) lines.push(row('unknown', `${s.unknown} (chirp status --reconcile finds out)`));
  if (s.resendable) lines.push(row('resendable', `${s.resendable} (chirp send resends them)`));
  for (const g of s.failures) lines.push(`  ${g.count.toLocaleString('en-US')} × ${g.status} ${g.code}${g.description ? `: ${g.description}` : ''}`);
  lines.push(`state: ${s.final ? 'every message reached a final state' : 'some messages are still on their way'}${s.waited !== null ? ` (waited ${Math.round(s.waited)} s)` : ''}`);
  return `${lines.join('\n')}\n`;
}

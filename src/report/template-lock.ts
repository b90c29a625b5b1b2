// The templates.lock.json part of `plan --base`: each change and the messages it affects.
import type { PlanDiff } from '../diff/index.js';
import { markdownCode, markdownText, tableCell, terminalLine as one } from './escape.js';

export function templateLockLines(plan: PlanDiff): string[] {
  const t = plan.templates;
  if (!t || t.changes.length === 0) return [];
  const out = ['', `Templates (templates.lock.json${t.base ? '' : ', new in this change'}):`];
  for (const c of t.changes) {
    out.push(`~ project ${one(c.projectId)}${c.name ? ` (${one(c.name)})` : ''}: ${one(c.detail)}`);
    out.push(`    affects: ${c.messages.length > 0 ? c.messages.map(one).join(', ') : 'no message'}`);
  }
  return out;
}

export function templateLockMarkdown(plan: PlanDiff): string {
  const t = plan.templates;
  if (!t || t.changes.length === 0) return '';
  const rows = t.changes.map(
    (c) =>
      `| ${tableCell(markdownCode(c.projectId))}${c.name ? ` ${markdownText(c.name)}` : ''} | ${markdownText(c.detail)} | ${c.messages.map((m) => tableCell(markdownCode(m))).join(', ') || '—'} |`,
  );
  return (
    ['#### Template changes (`templates.lock.json`)', '', '| project | change | messages affected |', '|---|---|---|', ...rows, ''].join(
      '\n',
    ) + '\n'
  );
}

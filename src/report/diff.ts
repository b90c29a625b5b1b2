// The plan diff for people (text, coloured on a terminal) and for pull requests (markdown).
import type { DiffEntry } from '../diff/index.js';
import type { MessagePlan, PlanDiff } from '../diff/index.js';
import { htmlText, markdownCode, markdownFence, markdownText, terminalLine } from './escape.js';

const SIGN: Record<MessagePlan['status'], string> = { added: '+', removed: '-', renamed: '→', changed: '~', unchanged: '=' };
const n = (v: number): string => v.toLocaleString('en-US');

const plural = (count: number, one: string, many: string): string => `${n(count)} ${count === 1 ? one : many}`;

/** Invalid rows and duplicates, as send would count them. */
function rowNotes(m: MessagePlan): string {
  const notes = [m.invalid > 0 ? `${plural(m.invalid, 'invalid row', 'invalid rows')} (send refuses the data until fixed)` : '', m.duplicates > 0 ? `${plural(m.duplicates, 'duplicate row', 'duplicate rows')} (sent once)` : ''].filter(Boolean);
  return notes.length > 0 ? `; ${notes.join(', ')}` : '';
}

function headline(m: MessagePlan): string {
  switch (m.status) {
    case 'added':
      return `added, ${plural(m.recipients, 'recipient', 'recipients')} would get it${rowNotes(m)}`;
    case 'removed':
      return `removed (${plural(m.recipients, 'recipient no longer gets', 'recipients no longer get')} it)`;
    case 'renamed':
      return `renamed from ${m.renamedFrom ?? '?'}, content unchanged${rowNotes(m)}`;
    case 'changed': {
      // "1 of 5 recipients gets", "3 of 5 recipients get", "1 of 1 recipient gets": the verb follows the first number.
      const verb = m.recipients === 1 ? 'gets' : 'get';
      return `${n(m.recipients)} of ${plural(m.distinct, 'recipient', 'recipients')} ${verb} a different message${m.renamedFrom ? ` (renamed from ${m.renamedFrom})` : ''}${rowNotes(m)}`;
    }
    case 'unchanged':
      return 'unchanged';
  }
}

/** Diff entries as lines with +/-/~ markers, the way `diff` shows them. */
export function entryLines(entries: readonly DiffEntry[]): string[] {
  const out: string[] = [];
  for (const e of entries) {
    if (e.kind === 'text') {
      out.push(`@ ${e.path}`);
      for (const l of e.lines ?? []) out.push(`${l.op} ${l.text}`);
    } else if (e.kind === 'added') out.push(`+ ${e.path}: ${e.after ?? ''}`);
    else if (e.kind === 'removed') out.push(`- ${e.path}: ${e.before ?? ''}`);
    else {
      out.push(`- ${e.path}: ${e.before ?? ''}`);
      out.push(`+ ${e.path}: ${e.after ?? ''}`);
    }
  }
  return out;
}

function summaryLine(plan: PlanDiff): string {
  const s = plan.summary;
  const invalid = s.invalidRows > 0 ? `; ${s.invalidRows} invalid row${s.invalidRows === 1 ? '' : 's'}` : '';
  return `${s.added} added, ${s.removed} removed, ${s.renamed} renamed, ${s.changed} changed, ${s.unchanged} unchanged; ${s.problemsIntroduced} problem${s.problemsIntroduced === 1 ? '' : 's'} introduced, ${s.problemsFixed} fixed${invalid}`;
}

const paint = (on: boolean, code: number, text: string): string => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

export function planText(plan: PlanDiff, options: { color: boolean; showUnchanged?: boolean } = { color: false }): string {
  const c = options.color;
  const out = [`chirp plan: ${terminalLine(plan.head)} against ${terminalLine(plan.base.ref)} (${plan.base.commit.slice(0, 10)})`, ''];
  for (const m of plan.messages) {
    if (m.status === 'unchanged' && !options.showUnchanged && m.introduced.length === 0) continue;
    const color = m.status === 'added' ? 32 : m.status === 'removed' ? 31 : 33;
    out.push(paint(c, color, `${SIGN[m.status]} ${terminalLine(m.id)}`) + ` (${terminalLine(m.file)}): ${terminalLine(headline(m))}`);
    for (const g of m.groups) {
      out.push(`    ${n(g.count)} recipient${g.count === 1 ? '' : 's'}: same change, e.g. row ${g.sample.row} ${terminalLine(g.sample.recipient)}`);
      for (const raw of entryLines(g.entries)) {
        const line = terminalLine(raw);
        const tint = line.startsWith('+') ? 32 : line.startsWith('-') ? 31 : line.startsWith('@') ? 36 : 0;
        out.push(`      ${tint ? paint(c, tint, line) : line}`);
      }
    }
    for (const p of m.invalidRows) out.push(paint(c, 31, `    ! invalid ${p.code} at ${terminalLine(p.where)}: ${terminalLine(p.message)}`));
    for (const p of m.introduced) out.push(paint(c, 31, `    ! introduces ${p.code} at ${terminalLine(p.where)}: ${terminalLine(p.message)}`));
    for (const p of m.fixed) out.push(paint(c, 32, `    ✓ fixes ${p.code} at ${terminalLine(p.where)}: ${terminalLine(p.message)}`));
  }
  out.push('', `Summary: ${summaryLine(plan)}.`);
  return `${out.join('\n')}\n`;
}

/** GitHub's limit for a comment or a step summary. */
export const MARKDOWN_LIMIT = 65_535;

function fence(lines: string[]): string {
  // A diff fence highlights +/- lines on GitHub; it is longer than any backtick run inside.
  return markdownFence(lines, 'diff');
}

export function planMarkdown(plan: PlanDiff, limit = MARKDOWN_LIMIT): string {
  const s = plan.summary;
  const head = [
    `### chirp plan: ${markdownCode(plan.base.ref)} → ${markdownText(plan.head)}`,
    '',
    '| added | removed | renamed | changed | unchanged | problems introduced | problems fixed |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    `| ${s.added} | ${s.removed} | ${s.renamed} | ${s.changed} | ${s.unchanged} | ${s.problemsIntroduced} | ${s.problemsFixed} |`,
    '',
  ].join('\n');
  const sections: string[] = [];
  for (const m of plan.messages) {
    if (m.status === 'unchanged' && m.introduced.length === 0) continue;
    const body: string[] = [];
    for (const g of m.groups) {
      body.push(`**${n(g.count)} recipient${g.count === 1 ? '' : 's'}: same change** (e.g. row ${g.sample.row}, ${markdownCode(g.sample.recipient)})`, '', fence(entryLines(g.entries)), '');
    }
    for (const p of m.invalidRows) body.push(`- ⛔ invalid row: \`${p.code}\` at ${markdownCode(p.where)}: ${markdownText(p.message)}`);
    for (const p of m.introduced) body.push(`- ⚠️ introduces \`${p.code}\` at ${markdownCode(p.where)}: ${markdownText(p.message)}`);
    for (const p of m.fixed) body.push(`- ✅ fixes \`${p.code}\` at ${markdownCode(p.where)}: ${markdownText(p.message)}`);
    if (body.length === 0) body.push(m.status === 'renamed' ? 'Same content under a new id: recipients get the same message.' : 'No recipient-level differences.');
    sections.push(`<details><summary><code>${SIGN[m.status]}</code> <b>${htmlText(m.id)}</b>: ${htmlText(headline(m))}</summary>\n\n${body.join('\n')}\n\n</details>\n`);
  }
  if (sections.length === 0) return `${head}No message changes what it sends.\n`;
  let text = head;
  for (let i = 0; i < sections.length; i++) {
    const note = `\n> ✂️ ${sections.length - i} more message${sections.length - i === 1 ? '' : 's'} not shown: GitHub allows ${n(limit)} characters. Run \`chirp plan --format text\` for the full plan.\n`;
    const reserve = i === sections.length - 1 ? 0 : note.length + 200;
    if (text.length + sections[i]!.length + reserve > limit) return text + note;
    text += sections[i]!;
  }
  return text;
}

export function planJson(plan: PlanDiff): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

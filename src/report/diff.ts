// The plan diff for people (text, coloured on a terminal) and for pull requests (markdown).
import type { DiffEntry } from '../diff/index.js';
import type { ChangeGroup, DefinitionChange, MessagePlan, PlanDiff, UnreachedChange } from '../diff/index.js';
import { templateLockLines, templateLockMarkdown } from './template-lock.js';
import { markdownHtml, markdownCode, markdownFence, markdownText, terminalLine } from './escape.js';

const SIGN: Record<MessagePlan['status'], string> = { added: '+', removed: '-', renamed: '→', changed: '~', unchanged: '=' };
const n = (v: number): string => v.toLocaleString('en-US');

/** Text and markdown show a value whole up to this many characters, then say how much is left out. */
export const VALUE_LIMIT = 4000;

/** A value as text and markdown show it: whole, or cut with an explicit count of what is not shown. */
export function bounded(text: string, limit = VALUE_LIMIT): string {
  const chars = [...text];
  return chars.length <= limit ? text : `${chars.slice(0, limit).join('')}… ${n(chars.length - limit)} more characters`;
}

const plural = (count: number, word: string): string => `${n(count)} ${word}${count === 1 ? '' : 's'}`;
const branches = (count: number): string => `${n(count)} branch${count === 1 ? '' : 'es'}`;

function headline(m: MessagePlan): string {
  if (m.destination.length > 0 && m.status !== 'added' && m.status !== 'removed')
    return `WHERE IT GOES CHANGES for ${plural(m.recipients, 'recipient')} (of ${n(m.rows)})${m.renamedFrom ? `; renamed from ${m.renamedFrom}` : ''}`;
  switch (m.status) {
    case 'added':
      return `added, ${n(m.recipients)} recipient${m.recipients === 1 ? '' : 's'} would get it`;
    case 'removed':
      return `removed (${n(m.recipients)} recipient${m.recipients === 1 ? '' : 's'} no longer get it)`;
    case 'renamed':
      return `renamed from ${m.renamedFrom ?? '?'}, same content, but a new message id: ${RESEND(m)}${rowNotes(m)}`;
    case 'changed': {
      // "1 of 5 recipients gets", "3 of 5 recipients get", "1 of 1 recipient gets": the verb follows the first number.
      const verb = m.recipients === 1 ? 'gets' : 'get';
      if (m.recipients === 0 && m.definition.length > 0)
        return `the definition changes, but no row renders differently (${n(m.rows)} row${m.rows === 1 ? '' : 's'} rendered)${m.renamedFrom ? ` (renamed from ${m.renamedFrom}: ${RESEND(m)})` : ''}${rowNotes(m)}`;
      return `${n(m.recipients)} of ${plural(m.distinct, 'recipient')} ${verb} a different message${m.renamedFrom ? ` (renamed from ${m.renamedFrom}: ${RESEND(m)})` : ''}${rowNotes(m)}`;
    }
    case 'unchanged':
      return 'unchanged';
  }
}

/** Invalid rows and duplicates, as send would count them. */
function rowNotes(m: MessagePlan): string {
  const notes = [
    m.invalid > 0 ? `${plural(m.invalid, 'invalid row')} (send refuses the data until fixed)` : '',
    m.duplicates > 0 ? `${plural(m.duplicates, 'duplicate row')} (sent once)` : '',
  ].filter(Boolean);
  return notes.length > 0 ? `; ${notes.join(', ')}` : '';
}

/** The rename rule (docs/cli.md): history is keyed by message id, so a rename sends to everyone again. */
const RESEND = (m: MessagePlan): string =>
  `the send journal does not follow renames, so every recipient (${n(m.rows)}) gets it again, including those who got ${m.renamedFrom ?? 'it'}`;

/** Which values each recipient of a group gets as their own (the grouping rule in src/diff/compare.ts). */
const own = (g: ChangeGroup, shown: (text: string) => string): string =>
  g.count > 1 && g.personal.length > 0 ? ` with each recipient's own ${g.personal.map(shown).join(', ')}` : '';

/** ` in nl`: the locale a group's recipients get, for a message with `locale`. */
const inLocale = (g: ChangeGroup): string => (g.locale !== undefined ? ` in ${g.locale}` : '');

/** `en 2, nl 1 (1 changed)`: which locales the rows reach, and how many of them change. */
export function localeCoverage(m: MessagePlan): string | undefined {
  if (!m.locales || m.locales.length === 0) return undefined;
  return m.locales.map((l) => `${l.locale} ${n(l.recipients)}${l.changed > 0 ? ` (${n(l.changed)} changed)` : ''}`).join(', ');
}

const isDestination = (e: DiffEntry): boolean => e.path === 'destination' || e.path.startsWith('destination.');

/** Diff entries as lines with +/-/~ markers, the way `diff` shows them. */
export function entryLines(entries: readonly DiffEntry[]): string[] {
  const out: string[] = [];
  for (const e of entries) {
    if (e.kind === 'text') {
      out.push(`@ ${e.path}`);
      for (const l of e.lines ?? []) out.push(`${l.op} ${bounded(l.text)}`);
    } else if (e.kind === 'added') out.push(`+ ${e.path}: ${bounded(e.after ?? '')}`);
    else if (e.kind === 'removed') out.push(`- ${e.path}: ${bounded(e.before ?? '')}`);
    else {
      out.push(`- ${e.path}: ${bounded(e.before ?? '')}`);
      out.push(`+ ${e.path}: ${bounded(e.after ?? '')}`);
    }
  }
  return out;
}

/** The definition diff: each change headed by where it is (`@ path (file:line)`), then its lines. */
export function definitionLines(entries: readonly DefinitionChange[]): string[] {
  const out: string[] = [];
  for (const e of entries) {
    out.push(`@ ${e.path} (${e.where})`);
    out.push(...entryLines([e]).filter((line) => e.kind !== 'text' || !line.startsWith('@ ')));
  }
  return out;
}

/** One changed part no row reached: `the {{else}} of {{#if vip}} at messages/vip.yaml:10 changed; no example reaches it`. */
export function unreachedLine(u: UnreachedChange): string {
  return `${u.branch} at ${u.where} changed; ${u.reason}`;
}

function summaryLine(plan: PlanDiff): string {
  const s = plan.summary;
  const unreached = s.unreached > 0 ? `; ${plural(s.unreached, 'changed part')} no row renders` : '';
  // A change of the suppression lists changes who is sent to without changing any message: say so here too.
  const c = plan.consent;
  const consent = c && c.lists.length + c.messages.length > 0 ? '; consent changed (see above)' : '';
  return `${s.added} added, ${s.removed} removed, ${s.renamed} renamed, ${s.changed} changed, ${s.unchanged} unchanged; ${s.problemsIntroduced} problem${s.problemsIntroduced === 1 ? '' : 's'} introduced, ${s.problemsFixed} fixed${unreached}${consent}`;
}

function headName(plan: PlanDiff): string {
  const h = plan.headCommit;
  return h ? `${plan.head} (HEAD ${h.commit.slice(0, 10)}${h.dirty ? ', with uncommitted changes' : ''})` : plan.head;
}

function baseName(plan: PlanDiff): string {
  const b = plan.base;
  if (b.mergeBase && b.tip && b.tip !== b.commit)
    return `${b.ref} at its merge base with HEAD, ${b.commit.slice(0, 10)} (${b.ref} is at ${(b.tip ?? b.commit).slice(0, 10)})`;
  return `${b.ref} (${b.commit.slice(0, 10)}${b.mergeBase ? ', its merge base with HEAD' : ''})`;
}

/** A whole request, pretty-printed, each string bounded as every value is. */
function requestLines(request: Record<string, unknown>): string[] {
  return JSON.stringify(request, (_key, value: unknown) => (typeof value === 'string' ? bounded(value) : value), 2).split('\n');
}

const paint = (on: boolean, code: number, text: string): string => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

export function planText(plan: PlanDiff, options: { color: boolean; showUnchanged?: boolean } = { color: false }): string {
  const c = options.color;
  const out = [`chirp plan: ${terminalLine(headName(plan))} against ${terminalLine(baseName(plan))}`, ''];
  for (const m of plan.messages) {
    if (m.status === 'unchanged' && !options.showUnchanged && m.introduced.length === 0) continue;
    const color = m.status === 'added' ? 32 : m.status === 'removed' ? 31 : 33;
    out.push(paint(c, color, `${SIGN[m.status]} ${terminalLine(m.id)}`) + ` (${terminalLine(m.file)}): ${terminalLine(headline(m))}`);
    // Where it goes comes first, in bold (on a terminal; `**` marks it in plain text).
    if (m.destination.length > 0) {
      out.push(
        c
          ? paint(c, 1, '    where it goes changes (every recipient below is affected):')
          : '    ** where it goes changes (every recipient below is affected): **',
      );
      for (const raw of entryLines(m.destination)) {
        const line = terminalLine(raw);
        out.push(c ? `      ${paint(c, 1, line)}` : `      ** ${line}`);
      }
    }
    const locales = localeCoverage(m);
    if (locales !== undefined) out.push(`    locales: ${terminalLine(locales)}`);
    for (const u of m.unreached) out.push(paint(c, 33, `    ! not rendered: ${terminalLine(unreachedLine(u))}`));
    if (m.definition.length > 0) {
      out.push('    definition changes (what it can send or accept):');
      for (const raw of definitionLines(m.definition)) {
        const line = terminalLine(raw);
        const tint = line.startsWith('+') ? 32 : line.startsWith('-') ? 31 : line.startsWith('@') ? 36 : 0;
        out.push(`      ${tint ? paint(c, tint, line) : line}`);
      }
      if (m.groups.length > 0) out.push('    as rendered:');
    }
    if (m.firstRequest) {
      out.push(`    first request (row ${m.firstRequest.row}):`);
      for (const line of requestLines(m.firstRequest.request)) out.push(`      ${terminalLine(line)}`);
    }
    for (const g of m.groups) {
      const rest = m.destination.length > 0 ? g.entries.filter((e) => !isDestination(e)) : g.entries;
      if (m.firstRequest?.row === g.sample.row) {
        out.push(`    ${plural(g.count, 'recipient')}: this first request${own(g, terminalLine)}`);
        continue;
      }
      out.push(
        `    ${plural(g.count, 'recipient')}${terminalLine(inLocale(g))}: ${rest.length === 0 ? 'only where it goes changes (above)' : 'same change'}${own(g, terminalLine)}, e.g. row ${g.sample.row} ${terminalLine(g.sample.recipient)}`,
      );
      for (const raw of entryLines(rest)) {
        const line = terminalLine(raw);
        const tint = line.startsWith('+') ? 32 : line.startsWith('-') ? 31 : line.startsWith('@') ? 36 : 0;
        out.push(`      ${tint ? paint(c, tint, line) : line}`);
      }
    }
    if (m.recipientsNotShown > 0)
      out.push(
        paint(
          c,
          31,
          `    ! ${plural(m.recipientsNotShown, 'more recipient')} get changes not shown here: more than ${n(m.groups.length)} distinct changes (use --data with fewer rows, or --format json)`,
        ),
      );
    for (const p of m.invalidRows)
      out.push(paint(c, 31, `    ! invalid ${terminalLine(p.code)} at ${terminalLine(p.where)}: ${terminalLine(p.message)}`));
    for (const p of m.introduced)
      out.push(paint(c, 31, `    ! introduces ${terminalLine(p.code)} at ${terminalLine(p.where)}: ${terminalLine(p.message)}`));
    for (const p of m.fixed)
      out.push(paint(c, 32, `    ✓ fixes ${terminalLine(p.code)} at ${terminalLine(p.where)}: ${terminalLine(p.message)}`));
  }
  for (const p of plan.catalogIntroduced ?? [])
    out.push(paint(c, 31, `! catalog: introduces ${terminalLine(p.code)} at ${terminalLine(p.where)}: ${terminalLine(p.message)}`));
  out.push(...templateLockLines(plan));
  out.push(...consentLines(plan).map((l) => terminalLine(l)));
  out.push(...coverageLines(plan).map((line) => (line.startsWith('!') ? paint(c, 31, line) : line)));
  out.push('', `Summary: ${summaryLine(plan)}.`);
  return `${out.join('\n')}\n`;
}

/** Suppression lists and opt-in compared: which lists changed, entries added and removed, rows skipped differently per message. */
export function consentLines(plan: PlanDiff): string[] {
  const c = plan.consent;
  if (!c || c.lists.length + c.messages.length === 0) return [];
  const out = ['', 'Consent (suppression lists, opt-in):'];
  for (const l of c.lists) out.push(`  ${l.change === 'added' ? '+' : l.change === 'removed' ? '-' : '~'} list ${l.file} ${l.change}`);
  if (c.entriesAdded + c.entriesRemoved > 0)
    out.push(`  ${plural(c.entriesAdded, 'entry')} added, ${plural(c.entriesRemoved, 'entry')} removed`.replace(/entrys/g, 'entries'));
  for (const m of c.messages) {
    const parts = [
      m.newlySkipped > 0 ? `${plural(m.newlySkipped, 'row')} now skipped (opted out or no opt-in)` : '',
      m.noLongerSkipped > 0 ? `${plural(m.noLongerSkipped, 'row')} no longer skipped: they would be sent` : '',
    ].filter(Boolean);
    out.push(`  message ${m.id}: ${parts.join('; ')}`);
  }
  return out;
}

function consentMarkdown(plan: PlanDiff): string {
  const [title, ...rest] = consentLines(plan).slice(1);
  return title === undefined ? '' : `**${markdownText(title)}**\n\n${rest.map((l) => `- ${markdownText(l.trim())}`).join('\n')}\n\n`;
}

/** GitHub's limit for a comment or a step summary. */
export const MARKDOWN_LIMIT = 65_535;

/** A line in inline code, padded (a leading `-`/`+` stays clear of the ticks); backticks inside cannot end it early. */
function mdCode(text: string): string {
  const value = terminalLine(text);
  const ticks = '`'.repeat(Math.max(1, ...[...value.matchAll(/`+/g)].map((x) => x[0].length + 1)));
  return `${ticks} ${value} ${ticks}`;
}

function fence(lines: string[]): string {
  // A diff fence highlights +/- lines on GitHub; it is longer than any backtick run inside.
  return markdownFence(lines, 'diff');
}

/** Errors of the catalog itself that the change introduces (a refused file name, a symlink, twins). */
function catalogMarkdown(plan: PlanDiff): string {
  const list = plan.catalogIntroduced ?? [];
  if (list.length === 0) return '';
  return `\n${['#### Catalog problems introduced', '', ...list.map((p) => `- ⚠️ ${markdownCode(p.code)} at ${markdownCode(p.where)}: ${markdownText(p.message)}`)].join('\n')}\n\n`;
}

/** With --require-coverage: every branch no row reaches (each fails the plan). */
function coverageLines(plan: PlanDiff): string[] {
  const cov = plan.coverage;
  if (!cov) return [];
  if (cov.unreached.length === 0) return ['', 'Coverage (required): every branch of every selected message is reached by a row.'];
  return [
    '',
    `Coverage (required): ${branches(cov.unreached.length)} no row reaches (exit 1):`,
    ...cov.unreached.map(
      (u) => `! ${terminalLine(u.message)}: ${terminalLine(u.branch)} at ${terminalLine(u.where)}: ${terminalLine(u.reason)}`,
    ),
  ];
}

const unreachedMarkdownLine = (u: UnreachedChange): string =>
  `${markdownCode(u.branch)} at ${markdownCode(u.where)} changed; **${markdownText(u.reason)}**`;

/** Changed parts no row renders: listed above the folded sections, so a reviewer cannot miss them. */
function unreachedMarkdown(plan: PlanDiff): string[] {
  const items = plan.messages.flatMap((m) => m.unreached.map((u) => `- ⚠️ **${markdownText(m.id)}**: ${unreachedMarkdownLine(u)}`));
  if (items.length === 0) return [];
  return ['**Changes no row renders** (read them in the definition diff below; the rendered diff cannot show them):', '', ...items, '', ''];
}

function coverageMarkdown(plan: PlanDiff): string[] {
  const cov = plan.coverage;
  if (!cov || cov.unreached.length === 0) return [];
  return [
    `**⛔ Coverage is required: ${branches(cov.unreached.length)} no row reaches**`,
    '',
    ...cov.unreached.map(
      (u) => `- **${markdownText(u.message)}**: ${markdownCode(u.branch)} at ${markdownCode(u.where)}: ${markdownText(u.reason)}`,
    ),
    '',
    '',
  ];
}

export function planMarkdown(plan: PlanDiff, limit = MARKDOWN_LIMIT): string {
  const s = plan.summary;
  const head =
    [
      `### chirp plan: ${markdownCode(plan.base.ref)} → ${markdownText(plan.head)}`,
      '',
      `Compared: ${markdownText(headName(plan))} against ${markdownText(baseName(plan))}.`,
      '',
      '| added | removed | renamed | changed | unchanged | problems introduced | problems fixed | changed parts no row renders |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|',
      `| ${s.added} | ${s.removed} | ${s.renamed} | ${s.changed} | ${s.unchanged} | ${s.problemsIntroduced} | ${s.problemsFixed} | ${s.unreached} |`,
      '',
      ...unreachedMarkdown(plan),
      ...coverageMarkdown(plan),
    ].join('\n') +
    catalogMarkdown(plan) +
    templateLockMarkdown(plan) +
    consentMarkdown(plan);
  const sections: string[] = [];
  for (const m of plan.messages) {
    if (m.status === 'unchanged' && m.introduced.length === 0) continue;
    const body: string[] = [];
    if (m.destination.length > 0) {
      body.push('**⚠️ Where it goes changes (every recipient below is affected):**', '');
      for (const line of entryLines(m.destination)) body.push(`- **${mdCode(line)}**`);
      body.push('');
    }
    const locales = localeCoverage(m);
    if (locales !== undefined) body.push(`Locales: ${markdownText(locales)}`, '');
    for (const u of m.unreached) body.push(`- ⚠️ **not rendered**: ${unreachedMarkdownLine(u)}`);
    if (m.unreached.length > 0) body.push('');
    if (m.definition.length > 0)
      body.push('Definition changes (what it can send or accept):', '', fence(definitionLines(m.definition)), '');
    if (m.definition.length > 0 && m.groups.length > 0) body.push('As rendered:', '');
    if (m.firstRequest)
      body.push(`First request (row ${m.firstRequest.row}):`, '', markdownFence(requestLines(m.firstRequest.request), 'json'), '');
    for (const g of m.groups) {
      const rest = m.destination.length > 0 ? g.entries.filter((e) => !isDestination(e)) : g.entries;
      if (m.firstRequest?.row === g.sample.row) {
        body.push(`**${plural(g.count, 'recipient')}: this first request**${own(g, markdownText)}`, '');
        continue;
      }
      body.push(
        `**${plural(g.count, 'recipient')}${markdownText(inLocale(g))}: ${rest.length === 0 ? 'only where it goes changes' : 'same change'}**${own(g, markdownText)} (e.g. row ${g.sample.row}, ${markdownCode(g.sample.recipient)})`,
        '',
      );
      if (rest.length > 0) body.push(fence(entryLines(rest)), '');
    }
    if (m.recipientsNotShown > 0)
      body.push(
        `- ⚠️ **${plural(m.recipientsNotShown, 'more recipient')} get changes not shown here** (more than ${n(m.groups.length)} distinct changes; see \`--format json\`)`,
      );
    for (const p of m.invalidRows)
      body.push(`- ⛔ invalid row: ${markdownCode(p.code)} at ${markdownCode(p.where)}: ${markdownText(p.message)}`);
    for (const p of m.introduced)
      body.push(`- ⚠️ introduces ${markdownCode(p.code)} at ${markdownCode(p.where)}: ${markdownText(p.message)}`);
    for (const p of m.fixed) body.push(`- ✅ fixes ${markdownCode(p.code)} at ${markdownCode(p.where)}: ${markdownText(p.message)}`);
    if (body.length === 0)
      body.push(m.status === 'renamed' ? `Same content under a new id. ⚠️ **${RESEND(m)}.**` : 'No recipient-level differences.');
    sections.push(
      `<details${m.destination.length > 0 || m.unreached.length > 0 ? ' open' : ''}><summary><code>${SIGN[m.status]}</code> <b>${markdownHtml(m.id)}</b>: ${markdownHtml(headline(m))}</summary>\n\n${body.join('\n')}\n\n</details>\n`,
    );
  }
  if (sections.length === 0)
    return `${head}No message changes what it sends${plan.consent?.messages.length ? ' (who it is sent to changes: see consent above)' : ''}.\n`;
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

/**
 * `plan --format github`: workflow commands, so a pull request shows each changed part no row renders
 * as a warning on its line, and each problem introduced as an error. Base-side places (`REF:path`) have
 * no line in the pull request's files and are annotated on the message's file.
 */
export function planGithub(plan: PlanDiff, path: (file: string) => string): string {
  const data = (text: string): string => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const prop = (text: string): string => data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const place = (where: string, fallback: string): { file: string; line?: number } => {
    const m = /^(.*?):(\d+)(?::\d+)?$/.exec(where);
    const file = m ? m[1]! : where;
    if (!m || /^[^/\\]+:/.test(file) || file.includes(':')) return { file: fallback };
    return { file, line: Number(m[2]) };
  };
  const out: string[] = [];
  for (const m of plan.messages) {
    for (const u of m.unreached) {
      const at = place(u.where, m.file);
      out.push(
        `::warning file=${prop(path(at.file))}${at.line ? `,line=${at.line}` : ''},title=${prop(`chirp plan: ${m.id} not rendered`)}::${data(unreachedLine(u))}`,
      );
    }
    for (const p of m.introduced) {
      const at = place(p.where, m.file);
      out.push(`::error file=${prop(path(at.file))}${at.line ? `,line=${at.line}` : ''},title=${prop(p.code)}::${data(p.message)}`);
    }
  }
  for (const u of plan.coverage?.unreached ?? []) {
    const at = place(u.where, u.where);
    out.push(
      `::error file=${prop(path(at.file))}${at.line ? `,line=${at.line}` : ''},title=E_BRANCH_UNREACHED::${data(`${u.message}: ${u.branch}: ${u.reason}`)}`,
    );
  }
  out.push(`::notice title=chirp plan::${data(summaryLine(plan))}`);
  return `${out.join('\n')}\n`;
}

// The visual diff (`chirp plan --base REF --format html --out DIR`): each changed message's recipient
// groups as before/after phones side by side, changed words highlighted. The plan says which rows
// to show (each group's sample); this file renders that row on both sides again, masked the same way.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MessagePlan, PlanDiff } from '../diff/index.js';
import { type CompiledMessage, type RowResult } from '../render/index.js';
import { maskRecipientIn } from '../util/index.js';
import type { JsonObject, Row } from '../types.js';
import { chatView, problemList } from './chat.js';
import { html, type Html } from './html.js';
import { ICONS } from './icons.js';
import { maskDigits } from './model.js';
import { layout, type PageContext } from './page.js';
import type { PreviewProblem, TemplateTextFn } from './types.js';
import { cloneValues } from '../util/index.js';

export interface DiffSideMessage {
  readonly compiled: CompiledMessage | undefined;
}

export interface VisualDiffOptions<M extends DiffSideMessage> {
  diff: PlanDiff;
  head: { messages: ReadonlyMap<string, M> };
  base: { messages: ReadonlyMap<string, M> };
  /** The same rows the plan was made with. */
  rows: (head: M | undefined, base: M | undefined) => { rows: AsyncIterable<Row>; fromText: boolean };
  reveal: boolean;
  now: () => Date;
  templateText?: TemplateTextFn;
}

type Side = { request: JsonObject } | { problems: PreviewProblem[] } | undefined;

const SIGN: Record<MessagePlan['status'], string> = { added: '+', removed: '−', renamed: '→', changed: '~', unchanged: '=' };

/** The request as the plan compares it: no chirp reference (a hash), recipient masked unless revealed. */
function side(result: RowResult | undefined, compiled: CompiledMessage | undefined, reveal: boolean): Side {
  if (!result || !compiled) return undefined;
  if (!result.ok)
    return {
      problems: result.problems.map((p) => ({
        code: p.code,
        severity: p.code.startsWith('W_') ? 'warning' : 'error',
        message: reveal ? p.message : maskDigits(p.message),
        pointer: p.pointer ?? '',
        where: '',
      })),
    };
  const request: Record<string, unknown> = { ...result.request };
  if (!Object.hasOwn(compiled.definition.passthrough, 'reference')) delete request.reference;
  if (reveal) return { request: request as JsonObject };
  const text = maskRecipientIn(JSON.stringify(request), result.recipient);
  return { request: JSON.parse(text) as JsonObject };
}

function headline(m: MessagePlan): string {
  const n = (v: number): string => v.toLocaleString('en-US');
  switch (m.status) {
    case 'added':
      return `added: ${n(m.recipients)} recipient${m.recipients === 1 ? '' : 's'} would get it`;
    case 'removed':
      return `removed: ${n(m.recipients)} recipient${m.recipients === 1 ? '' : 's'} no longer get it`;
    case 'renamed':
      return `renamed from ${m.renamedFrom ?? '?'}, content unchanged`;
    case 'changed':
      if (m.recipients === 0 && m.definition.length > 0) return 'the definition changes, but no row renders differently';
      return `${n(m.recipients)} of ${n(m.rows)} recipient${m.rows === 1 ? '' : 's'} get a different message${m.renamedFrom ? ` (renamed from ${m.renamedFrom})` : ''}`;
    case 'unchanged':
      return 'unchanged';
  }
}

function phone(title: string, s: Side, other: Side, ctx: PageContext, id: string, absent: string): Html {
  let inner: Html;
  if (s === undefined) inner = html`<div class="wa-chat"><p class="diff-none">${absent}</p></div>`;
  else if ('problems' in s) inner = html`<div class="wa-chat"><p class="diff-none">Does not render:</p>${problemList(s.problems)}</div>`;
  else {
    const compare = other && 'request' in other ? other.request : undefined;
    const view = chatView(s.request, {
      idPrefix: id,
      time: ctx.time,
      ...(compare ? { compare } : {}),
      ...(ctx.templateText ? { templateText: ctx.templateText } : {}),
    });
    inner = view.html;
  }
  return html`<div class="phone"><div class="wa-top"><span class="wa-avatar" aria-hidden="true">${ICONS.person(20)}</span><span class="wa-who"><strong>${title}</strong><small>as the recipient sees it</small></span></div>${inner}</div>`;
}

function entriesList(entries: MessagePlan['groups'][number]['entries']): Html {
  return html`<details class="request"><summary>What changed (${entries.length} item${entries.length === 1 ? '' : 's'})</summary><pre><code>${entries
    .map((e) =>
      e.kind === 'text'
        ? [`@ ${e.path}`, ...(e.lines ?? []).map((l) => `${l.op} ${l.text}`)].join('\n')
        : e.kind === 'added'
          ? `+ ${e.path}: ${e.after ?? ''}`
          : e.kind === 'removed'
            ? `- ${e.path}: ${e.before ?? ''}`
            : `- ${e.path}: ${e.before ?? ''}\n+ ${e.path}: ${e.after ?? ''}`,
    )
    .join('\n')}</code></pre></details>`;
}

/**
 * The changed parts no row renders (the page shows no bubble for them: it marks them as not rendered),
 * then the definition diff with file:line.
 */
function notRendered(m: MessagePlan): Html[] {
  const out: Html[] = [];
  if (m.unreached.length > 0)
    out.push(
      html`<div class="diff-unreached" role="note"><p><strong>Not rendered:</strong> these changed parts are not shown as bubbles, because no row takes them.</p><ul>${m.unreached.map((u) => html`<li>${u.branch} at <code>${u.where}</code> changed; ${u.reason}</li>`)}</ul></div>`,
    );
  if (m.definition.length > 0)
    out.push(
      html`<details class="request"${m.groups.length === 0 ? ' open' : ''}><summary>Definition changes (${m.definition.length} item${m.definition.length === 1 ? '' : 's'}: what it can send or accept)</summary><pre><code>${m.definition
        .map((e) =>
          e.kind === 'text'
            ? [`@ ${e.path} (${e.where})`, ...(e.lines ?? []).map((l) => `${l.op} ${l.text}`)].join('\n')
            : e.kind === 'added'
              ? `@ ${e.path} (${e.where})\n+ ${e.after ?? ''}`
              : e.kind === 'removed'
                ? `@ ${e.path} (${e.where})\n- ${e.before ?? ''}`
                : `@ ${e.path} (${e.where})\n- ${e.before ?? ''}\n+ ${e.after ?? ''}`,
        )
        .join('\n')}</code></pre></details>`,
    );
  return out;
}

function problemsOf(list: MessagePlan['introduced'], severity: 'error' | 'warning', prefix: string): PreviewProblem[] {
  return list.map((p) => ({ code: p.code, severity, message: `${prefix}${p.message}`, pointer: '', where: p.where }));
}

/** The visual diff page (one self-contained HTML document). */
export async function visualDiffPage<M extends DiffSideMessage>(options: VisualDiffOptions<M>): Promise<string> {
  const { diff, reveal } = options;
  const now = options.now();
  const ctx: PageContext = {
    live: false,
    generation: 0,
    nonce: randomBytes(16).toString('base64'),
    time: `${String(now.getHours()).padStart(2, '0')}:${String(now.getMinutes()).padStart(2, '0')}`,
    ...(options.templateText ? { templateText: options.templateText } : {}),
  };
  const shown = diff.messages.filter((m) => m.status !== 'unchanged' || m.introduced.length > 0);
  const sections: Html[] = [];
  let nth = 0;
  for (const m of shown) {
    const head = options.head.messages.get(m.id);
    const base = options.base.messages.get(m.renamedFrom ?? m.id);
    const wanted = new Set(m.groups.map((g) => g.sample.row));
    const samples = new Map<number, { before: Side; after: Side }>();
    if (wanted.size > 0 && (head?.compiled || base?.compiled)) {
      const { rows, fromText } = options.rows(head, base);
      for await (const row of rows) {
        if (!wanted.has(row.index)) continue;
        const after = head?.compiled?.renderRow(cloneValues(row.values), fromText);
        const before = base?.compiled?.renderRow(cloneValues(row.values), fromText);
        samples.set(row.index, { before: side(before, base?.compiled, reveal), after: side(after, head?.compiled, reveal) });
        if (samples.size === wanted.size) break;
      }
    }
    const groups = m.groups.map((g) => {
      const s = samples.get(g.sample.row) ?? { before: undefined, after: undefined };
      nth++;
      const who = `${g.count.toLocaleString('en-US')} recipient${g.count === 1 ? '' : 's'}: same change (e.g. row ${g.sample.row}, ${g.sample.recipient})`;
      return html`<section class="diff-group" aria-label="${who}"><h3>${who}</h3><div class="diff-sides"><div class="diff-side before phone-wrap"><h4>Before · ${diff.base.ref}</h4>${phone(g.sample.recipient || 'recipient', s.before, s.after, ctx, `d${nth}b`, m.status === 'added' ? 'Not sent before: the message is new.' : 'Not sent before.')}</div><div class="diff-side after phone-wrap"><h4>After · ${diff.head}</h4>${phone(g.sample.recipient || 'recipient', s.after, s.before, ctx, `d${nth}a`, m.status === 'removed' ? 'No longer sent: the message is removed.' : 'Not sent.')}</div></div>${entriesList(g.entries)}</section>`;
    });
    const problems = [...problemsOf(m.introduced, 'error', 'introduces: '), ...problemsOf(m.fixed, 'warning', 'fixes: ')];
    sections.push(
      html`<section class="diff-message" id="m-${m.id}" aria-labelledby="h-${m.id}"><h2 id="h-${m.id}"><code>${SIGN[m.status]}</code> ${m.id}</h2><p class="meta-line"><code>${m.file}</code> · ${headline(m)}${m.description ? html` · ${m.description}` : ''}</p>${problems.length ? problemList(problems) : ''}${notRendered(m)}${groups}${groups.length === 0 && problems.length === 0 && m.definition.length === 0 ? html`<p class="meta-line">${m.status === 'renamed' ? 'Same content under a new id: recipients get the same message.' : 'No recipient-level differences.'}</p>` : ''}</section>`,
    );
  }
  const s = diff.summary;
  const table = html`<table class="summary-table"><thead><tr><th>added</th><th>removed</th><th>renamed</th><th>changed</th><th>unchanged</th><th>problems introduced</th><th>problems fixed</th><th>changed parts no row renders</th></tr></thead><tbody><tr><td>${s.added}</td><td>${s.removed}</td><td>${s.renamed}</td><td>${s.changed}</td><td>${s.unchanged}</td><td>${s.problemsIntroduced}</td><td>${s.problemsFixed}</td><td>${s.unreached}</td></tr></tbody></table>`;
  const main = html`<main id="main"><h2>Plan: ${diff.head} against ${diff.base.ref} <small><code>${diff.base.commit.slice(0, 10)}</code></small></h2>${table}${reveal ? '' : html`<p class="meta-line">Recipients are masked (<code>--reveal</code> shows them).</p>`}${sections.length ? sections : html`<p>No message changes what it sends.</p>`}</main>`;
  return layout({ title: `chirp plan: ${diff.base.ref} → ${diff.head}`, root: './', ctx, crumbs: html`<span>visual diff</span>`, main });
}

/** Write the visual diff as DIR/index.html; returns the file written. */
export async function writeVisualDiff<M extends DiffSideMessage>(options: VisualDiffOptions<M> & { outDir: string }): Promise<string> {
  await mkdir(options.outDir, { recursive: true });
  const file = join(options.outDir, 'index.html');
  await writeFile(file, await visualDiffPage(options));
  return file;
}

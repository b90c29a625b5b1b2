// The definition layer of a plan: every change of what a message can send or accept, whether or not a
// row renders it. Parsed definitions are compared, never bytes: comments, key order, quoting and
// spacing are no change. Each entry names file:line (the working tree's, or the base's for what was
// removed) so a reviewer finds it even when no example or data row reaches it.
import { analyzeTemplate, parseTemplate } from '../render/index.js';
import type { parseYamlText } from '../catalog/index.js';
import { encodePointer } from '../util/index.js';
import { UUID, type MessageDefinition } from '../check/index.js';
import { diffValues, type DiffEntry } from './json-diff.js';
import type { Side, SideMessage } from './sides.js';

export interface DefinitionChange extends DiffEntry {
  /** file:line of the change: the working tree's file, the base's (`REF:path`) for what was removed. */
  where: string;
}

/** Fields whose strings become part of the request: they are templates. */
export function templateLeaves(d: MessageDefinition): { pointer: string; text: string }[] {
  const out: { pointer: string; text: string }[] = [];
  const walk = (value: unknown, path: string[]): void => {
    if (typeof value === 'string') out.push({ pointer: encodePointer(path), text: value });
    else if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, String(i)]));
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
  };
  for (const [key, value] of Object.entries(d.passthrough)) walk(value, [key]);
  if (d.to !== undefined) walk(d.to, ['to']);
  if (d.receiver) walk(d.receiver, ['receiver']);
  if (d.body) walk(d.body, ['body']);
  if (d.template) walk(d.template, ['template']);
  if (d.fallback) walk(d.fallback, ['fallback']);
  if (d.translations) walk(d.translations, ['translations']);
  if (d.locale !== undefined) walk(d.locale, ['locale']);
  if (d.sendAt) walk(d.sendAt, ['sendAt']);
  return out.filter((l) => l.text.includes('{{'));
}

/** The partials a definition's templates use, directly or through other partials (sorted). */
export function usedPartials(d: MessageDefinition, sources: ReadonlyMap<string, string>): string[] {
  const found = new Set<string>();
  const visit = (text: string): void => {
    let names: Set<string>;
    try {
      names = analyzeTemplate(parseTemplate(text)).partials;
    } catch {
      return; // a syntax error is a problem of its own, reported by the checks
    }
    for (const name of names) {
      if (found.has(name)) continue;
      found.add(name);
      const source = sources.get(name);
      if (source !== undefined) visit(source);
    }
  };
  for (const leaf of templateLeaves(d)) visit(leaf.text);
  return [...found].sort();
}

/** What a definition can send or accept, as one value: the message's own fields, where it goes, the partials it uses. */
function definitionView(d: MessageDefinition, side: Side): Record<string, unknown> {
  const channel = UUID.test(d.channel) ? d.channel : (side.channels[d.channel] ?? `(alias "${d.channel}" is not in the config)`);
  const platform = side.platforms?.[d.channel];
  const partials: Record<string, string> = {};
  for (const name of usedPartials(d, side.partialSources)) partials[name] = side.partialSources.get(name) ?? '(missing)';
  return {
    ...d.passthrough,
    channel: d.channel,
    ...(d.to !== undefined ? { to: d.to } : {}),
    ...(d.receiver ? { receiver: d.receiver } : {}),
    ...(d.defaultCountry ? { defaultCountry: d.defaultCountry } : {}),
    ...(d.variables ? { variables: d.variables } : {}),
    ...(d.required ? { required: d.required } : {}),
    ...(d.body ? { body: d.body } : {}),
    ...(d.template ? { template: d.template } : {}),
    ...(d.fallback ? { fallback: d.fallback } : {}),
    // Who gets which text, when, and who is skipped: a change here is a change even when no row shows it.
    ...(d.locale !== undefined ? { locale: d.locale } : {}),
    ...(d.defaultLocale !== undefined ? { defaultLocale: d.defaultLocale } : {}),
    ...(d.localeFallback !== undefined ? { localeFallback: d.localeFallback } : {}),
    ...(d.translations ? { translations: d.translations } : {}),
    ...(d.sendAt ? { sendAt: d.sendAt } : {}),
    ...(d.consent !== undefined ? { consent: d.consent } : {}),
    '(where it goes)': {
      workspace: side.workspace ?? '(none)',
      channel,
      ...(side.apiUrl !== undefined ? { apiUrl: side.apiUrl } : {}),
      ...(platform ? { platform } : {}),
      ...(side.destinationOf ? side.destinationOf(d) : {}),
    },
    ...(Object.keys(partials).length > 0 ? { '(partials)': partials } : {}),
  };
}

/** `body.text.actions[1].x` → the segments of its JSON pointer. */
function segments(path: string): string[] {
  const out: string[] = [];
  for (const part of path.split('.')) {
    const m = /^(.*?)((?:\[\d+\])*)$/.exec(part)!;
    if (m[1]) out.push(m[1]);
    for (const index of m[2]!.matchAll(/\[(\d+)\]/g)) out.push(index[1]!);
  }
  return out;
}

/** Lines before the first changed one in the new text (the old text's, for a removal). */
function firstChangedLine(entry: DiffEntry, side: 'old' | 'new'): number {
  let line = 0;
  for (const l of entry.lines ?? []) {
    if (l.op !== ' ' && (side === 'old' ? l.op === '-' : true)) return line;
    if (l.op === ' ' || l.op === (side === 'old' ? '-' : '+')) line++;
  }
  return 0;
}

const sources = new WeakMap<SideMessage, ReturnType<typeof parseYamlText>>();

/** Where a value of a message file starts: the line after a block scalar's `|`/`>` header. */
export function valueLine(message: SideMessage, pointer: string): number {
  let source = sources.get(message);
  if (!source) sources.set(message, (source = message.source));
  const pos = source.locate(pointer);
  const lineText = message.text.split('\n')[pos.line - 1] ?? '';
  const rest = lineText.slice(pos.column - 1);
  return /^[|>][-+0-9]*\s*(#.*)?$/.test(rest) ? pos.line + 1 : pos.line;
}

/** Whether the message file itself sets a top-level key (else its value comes from the config). */
function ownsKey(message: SideMessage, key: string): boolean {
  const value = message.source.value;
  return value !== null && typeof value === 'object' && Object.hasOwn(value, key);
}

/** The definition diff of a message present on both sides: empty when nothing it can send or accept changed. */
export function definitionChanges(head: SideMessage, base: SideMessage, sides: { head: Side; base: Side }): DefinitionChange[] {
  const h = head.checked.definition;
  const b = base.checked.definition;
  if (!h || !b) return [];
  const entries = diffValues(definitionView(b, sides.base), definitionView(h, sides.head));
  return entries.map((e) => {
    const parts = segments(e.path);
    const removed = e.kind === 'removed';
    const [message, side] = removed ? [base, sides.base] : [head, sides.head];
    // Where it goes, and a defaultCountry the message takes from the config, change in chirp.config.yaml.
    if (parts[0] === '(where it goes)' || (parts[0] === 'defaultCountry' && !ownsKey(message, 'defaultCountry')))
      return { ...e, where: 'chirp.config.yaml' };
    if (parts[0] === '(partials)') {
      const file = side.partialFiles?.get(parts[1] ?? '') ?? `messages/_partials/${parts[1] ?? ''}.hbs`;
      return { ...e, where: `${file}:${1 + (e.kind === 'text' ? firstChangedLine(e, removed ? 'old' : 'new') : 0)}` };
    }
    const line = valueLine(message, encodePointer(parts)) + (e.kind === 'text' ? firstChangedLine(e, removed ? 'old' : 'new') : 0);
    return { ...e, where: `${message.file}:${line}` };
  });
}

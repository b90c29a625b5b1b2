// Check one loaded message file and build its definition: shape, channel, Handlebars, variables,
// examples. Problems come back as diagnostics (pure apart from what the caller already loaded).
import type { CatalogContext, LoadedMessage } from '../catalog/index.js';
import { toDefinition, UUID, type MessageDefinition } from './definition.js';
import type { DiagnosticCode } from '../errors.js';
import { BUILTIN_BLOCKS, HELPER_NAMES } from '../render/index.js';
import { isKnownCountry } from '../util/index.js';
import { compileMessage, compileRowValidator, rowProblems } from '../render/index.js';
import { validatorFor } from '../schema/index.js';
import { closestName, schemaDiagnostics } from '../schema/index.js';
import { analyzeTemplate, parseTemplate, TemplateSyntaxError, type TemplateUse } from '../render/index.js';
import type { Diagnostic, JsonObject } from '../types.js';
import { decodePointer, encodePointer } from '../util/index.js';
import { helperArgProblems } from './helper-args.js';
import { messageRequestChecker, platformOf, platformSchema } from './platform.js';
import { rulesFor } from './rules/index.js';
import { checkTemplates } from '../templates/index.js';
import { templateLocaleOption } from './locales.js';
import { isObject } from '../util/index.js';
import { checkLocales, checkSendAt, contentScope } from './locales.js';

/** Where Handlebars is allowed: everything that becomes part of the request. */
const TEMPLATED_FIELDS = (key: string): boolean =>
  !['description', 'channel', 'defaultCountry', 'consent', 'variables', 'required', 'examples', '$schema'].includes(key);

/** The JSON Schema `type` a dotted path has under `variables`, when declared. */
function declaredTypes(variables: Record<string, unknown>, path: string): string[] {
  let schema: unknown = { properties: variables };
  for (const part of path.split('.')) {
    const props = (schema as { properties?: Record<string, unknown> } | null)?.properties;
    if (!props || typeof props !== 'object' || !Object.hasOwn(props, part)) return [];
    schema = props[part];
  }
  const type = (schema as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? [type] : Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : [];
}

export interface CheckedMessage {
  definition?: MessageDefinition;
  diagnostics: Diagnostic[];
}

function stringLeaves(value: unknown, path: string[], out: { pointer: string; text: string }[]): void {
  if (typeof value === 'string') out.push({ pointer: encodePointer(path), text: value });
  else if (Array.isArray(value)) value.forEach((v, i) => stringLeaves(v, [...path, String(i)], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) stringLeaves(v, [...path, k], out);
}

/**
 * file:line:col of a place inside a template string, from where its YAML value starts: a block scalar
 * (`|`, `>`) starts on the next line at the block's indent, a quoted one after its quote. (Escapes in
 * a double-quoted string and folded lines can shift the column; the line is right.)
 */
function templatePosition(
  yaml: string,
  start: { line: number; column: number },
  at: { line: number; column: number },
): { line: number; column: number } {
  const lines = yaml.split('\n');
  const rest = (lines[start.line - 1] ?? '').slice(start.column - 1);
  if (/^[|>][-+0-9]*\s*(#.*)?$/.test(rest)) {
    const indent = /^ */.exec(lines[start.line] ?? '')![0].length;
    return { line: start.line + at.line, column: indent + at.column };
  }
  if (at.line > 1) return { line: start.line + at.line - 1, column: at.column };
  return { line: start.line, column: start.column + (/^["']/.test(rest) ? 1 : 0) + at.column - 1 };
}

export function checkMessage(message: LoadedMessage, ctx: CatalogContext): CheckedMessage {
  const { source } = message;
  const diagnostics: Diagnostic[] = [...source.diagnostics];
  const add = (
    code: DiagnosticCode,
    pointer: string,
    text: string,
    extra: { key?: boolean; hint?: string; severity?: 'warning' } = {},
  ): void => {
    const pos = source.locate(pointer, { key: extra.key ?? false });
    diagnostics.push({
      code,
      severity: extra.severity ?? 'error',
      file: source.file,
      line: pos.line,
      column: pos.column,
      pointer,
      message: text,
      ...(extra.hint ? { hint: extra.hint } : {}),
    });
  };
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };

  const raw = source.value;
  if (raw === null || raw === undefined) {
    add('E_NO_CONTENT', '', 'the file is empty: a message needs `channel`, `to` and a `body` or `template`');
    return { diagnostics };
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    add('E_SCHEMA', '', 'a message file must be a YAML mapping (key: value), not a list or a scalar');
    return { diagnostics };
  }
  const data = raw as JsonObject;
  // Bird marks `body` and `template` nullable: a null one is as good as absent.
  const has = (k: string): boolean => Object.hasOwn(data, k) && (data[k] !== null || (k !== 'body' && k !== 'template'));
  if (has('body') && has('template'))
    add('E_BODY_AND_TEMPLATE', '/template', 'a message has either `body` (free-form) or `template` (WhatsApp template), not both', {
      key: true,
    });
  if (!has('body') && !has('template'))
    add('E_NO_CONTENT', '', 'a message needs a `body` or a `template`', {
      hint: 'add `body: {type: text, text: {text: ...}}` or a `template`',
    });
  if (has('to') && has('receiver'))
    add('E_SCHEMA', '/receiver', 'use either `to` (the recipient template) or `receiver` (a full Bird receiver), not both', { key: true });
  if (!has('to') && !has('receiver')) add('E_SCHEMA', '', 'a message needs `to` (for example `to: "{{phone}}"`) or a `receiver`');

  const validate = validatorFor('message');
  if (!validate(data)) {
    const handled = new Set(['body', 'template', 'to', 'receiver']);
    const errors = (validate.errors ?? []).filter(
      (e) =>
        !(
          e.instancePath === '' &&
          (e.keyword === 'oneOf' ||
            e.keyword === 'anyOf' ||
            e.keyword === 'not' ||
            (e.keyword === 'required' && handled.has(String((e.params as { missingProperty?: string }).missingProperty))))
        ) &&
        // A template without `locale` follows the recipient's when the message has one.
        !(
          has('locale') &&
          e.keyword === 'required' &&
          (e.instancePath === '/template' || e.instancePath === '/fallback/template') &&
          (e.params as { missingProperty?: string }).missingProperty === 'locale'
        ),
    );
    diagnostics.push(...schemaDiagnostics(errors, source, data, { templated: true }));
  }

  if (typeof data.defaultCountry === 'string' && !isKnownCountry(data.defaultCountry)) {
    add('E_SCHEMA', '/defaultCountry', `defaultCountry "${data.defaultCountry}" is not a country chirp knows phone numbers of`, {
      hint: 'use an ISO 3166-1 alpha-2 code such as NL, GB or US',
    });
  }
  const channel = data.channel;
  // The platform's own rules (WhatsApp's limits) and Bird's prose rules, on literal values; values
  // holding Handlebars are checked per row once rendered.
  const platform = platformOf(typeof channel === 'string' ? channel : '', ctx);
  const layer = platformSchema(platform);
  const validateLayer = layer ? validatorFor(layer) : undefined;
  if (validateLayer && !validateLayer(data))
    diagnostics.push(...schemaDiagnostics(validateLayer.errors ?? [], source, data, { templated: true }));
  const ruleContext = { now: ctx.now() };
  for (const rule of rulesFor(platform)) for (const p of rule(data, ruleContext)) add(p.code, p.pointer, p.message);
  const translations = isObject(data.translations) ? data.translations : undefined;
  for (const [key, translation] of Object.entries(translations ?? {})) {
    if (!isObject(translation) || !isObject(translation.body)) continue;
    const prefix = encodePointer(['translations', key]);
    for (const rule of rulesFor(platform))
      for (const p of rule({ body: translation.body }, ruleContext)) add(p.code, `${prefix}${p.pointer}`, `${key}: ${p.message}`);
  }
  checkLocales(data, translations, add);
  checkSendAt(data, add);

  if (typeof channel === 'string' && !UUID.test(channel) && !Object.hasOwn(ctx.channels, channel)) {
    const known = Object.keys(ctx.channels);
    add('E_CHANNEL_ALIAS', '/channel', `channel "${channel}" is neither a channel id (UUID) nor an alias in chirp.config.yaml`, {
      hint: known.length > 0 ? `known aliases: ${known.join(', ')}` : 'add it under `channels:` in chirp.config.yaml',
    });
  }

  // Handlebars: every string that becomes part of the request.
  const leaves: { pointer: string; text: string }[] = [];
  for (const [k, v] of Object.entries(data)) if (TEMPLATED_FIELDS(k)) stringLeaves(v, [k], leaves);
  // A bidi override (U+202E) makes text read differently from what it is (a link, an amount): allowed
  // (Arabic and Hebrew texts use isolates), but said, since a reviewer's screen shows the reordered text.
  for (const leaf of leaves) {
    const m = /[\u202a-\u202e\u2066-\u2069]/.exec(leaf.text);
    if (m)
      add(
        'W_BIDI_CONTROL',
        leaf.pointer,
        `the text contains the bidi control U+${m[0].charCodeAt(0).toString(16).toUpperCase()} at position ${m.index + 1}: it reorders what readers see, so a reviewer may read something other than what is sent`,
        { severity: 'warning', hint: 'remove it unless right-to-left text needs it (the plan shows it escaped, e.g. \\u202e)' },
      );
  }
  const used = new Map<string, string>(); // variable → first pointer using it
  const usedIn = new Map<string, Set<string>>(); // '' (the default body) or a translation's key → variables its body uses
  const printed: { path: string; pointer: string; list: boolean }[] = [];
  let templatesOk = true;
  for (const leaf of leaves) {
    if (!leaf.text.includes('{{')) continue;
    let use: TemplateUse;
    let program: hbs.AST.Program;
    try {
      program = parseTemplate(leaf.text);
      use = analyzeTemplate(program);
    } catch (error) {
      if (!(error instanceof TemplateSyntaxError)) throw error;
      templatesOk = false;
      const pos = source.locate(leaf.pointer);
      diagnostics.push({
        code: error.code,
        severity: 'error',
        file: source.file,
        ...(error.code === 'E_HBS_SYNTAX'
          ? { line: pos.line + error.line - 1, column: error.line === 1 ? pos.column : error.column }
          : templatePosition(source.text, pos, error)),
        pointer: leaf.pointer,
        message: error.code === 'E_HBS_SYNTAX' ? `Handlebars: ${error.message}` : error.message,
      });
      continue;
    }
    for (const p of helperArgProblems(program)) {
      const pos = source.locate(leaf.pointer);
      const line = pos.line + p.line - 1;
      // On the scalar's first line, past its opening quote if it has one.
      const quoted = /["']/.test(source.text.split('\n', pos.line)[pos.line - 1]?.[pos.column - 1] ?? '');
      const column = p.line === 1 ? pos.column + p.column + (quoted ? 1 : 0) : p.column + 1;
      diagnostics.push({
        code: 'E_HBS_ARGUMENT',
        severity: 'error',
        file: source.file,
        line,
        column,
        pointer: leaf.pointer,
        message: p.message,
        hint: p.hint,
      });
    }
    for (const helper of use.helpers) {
      if (!HELPER_NAMES.has(helper) && !BUILTIN_BLOCKS.has(helper)) {
        templatesOk = false;
        add('E_HBS_HELPER', leaf.pointer, `unknown helper "${helper}"`, {
          hint: `available: ${[...HELPER_NAMES, ...BUILTIN_BLOCKS].join(', ')}`,
        });
      }
    }
    const variables = new Set(use.variables);
    for (const path of use.printed) printed.push({ path, pointer: leaf.pointer, list: false });
    for (const path of use.lists) printed.push({ path, pointer: leaf.pointer, list: true });
    const badData = (names: Iterable<string>, inLoop: Iterable<string>, where: string): void => {
      for (const name of names) {
        templatesOk = false;
        add(
          'E_HBS_DATA',
          leaf.pointer,
          `unknown data variable "{{${name}}}"${where}: Handlebars sets no such value, it would print nothing`,
          {
            hint: 'a row variable is {{name}} or {{@root.name}}; @index, @key, @first and @last exist inside {{#each}}',
          },
        );
      }
      for (const name of inLoop) {
        templatesOk = false;
        add('E_HBS_DATA', leaf.pointer, `"{{${name}}}"${where} is outside any {{#each}}: there it prints nothing`, {
          hint: 'use it inside {{#each list}} … {{/each}}',
        });
      }
    };
    badData(use.unknownData, use.loopDataOutside, '');
    for (const partial of use.partials) {
      const partialUse = ctx.partials.get(partial);
      if (!partialUse) {
        templatesOk = false;
        add('E_HBS_PARTIAL', leaf.pointer, `unknown partial "${partial}"`, { hint: 'partials live in messages/_partials/NAME.hbs' });
      } else {
        partialUse.variables.forEach((v) => variables.add(v));
        badData(partialUse.unknownData, use.partialsOutsideLoop.has(partial) ? partialUse.loopDataOutside : [], ` in partial "${partial}"`);
      }
    }
    for (const v of variables) if (!used.has(v)) used.set(v, leaf.pointer);
    const scope = contentScope(leaf.pointer);
    if (scope !== undefined) {
      let set = usedIn.get(scope);
      if (!set) usedIn.set(scope, (set = new Set()));
      variables.forEach((v) => set.add(v));
    }
  }
  // A translation is checked like the default body: it may not drop a variable the default uses.
  const defaultUse = usedIn.get('') ?? new Set<string>();
  for (const key of Object.keys(translations ?? {})) {
    if (!isObject(translations![key]) || !isObject(translations![key].body)) continue;
    const own = usedIn.get(key) ?? new Set<string>();
    for (const v of defaultUse)
      if (!own.has(v))
        add(
          'E_TRANSLATION_VARIABLE',
          encodePointer(['translations', key, 'body']),
          `the ${key} text drops variable "${v}", which the default body uses`,
          {
            key: true,
            hint: `use {{${v}}} in translations.${key} too, or remove it from the default body`,
          },
        );
  }

  const variables = data.variables as Record<string, unknown> | undefined;
  if (variables && typeof variables === 'object' && !Array.isArray(variables)) {
    for (const [name, pointer] of used) {
      if (!Object.hasOwn(variables, name)) {
        // A typo of a declared variable (`{{nmae}}`) is far likelier than a new variable.
        const guess = closestName(name, Object.keys(variables));
        const hint = guess
          ? `did you mean \`${guess}\`? Otherwise add \`${name}: { type: string }\` under variables`
          : `add \`${name}: { type: string }\` under variables`;
        add('E_VAR_UNDECLARED', pointer, `variable "${name}" is used but not declared in \`variables\``, { hint });
      }
    }
    // A variable declared as an object or a list cannot be printed as text; #each needs a list.
    for (const { path, pointer, list } of printed) {
      const types = declaredTypes(variables, path);
      if (types.length === 0) continue;
      if (!list && types.every((t) => t === 'object' || t === 'array')) {
        add('E_VALUE_NOT_TEXT', pointer, `variable "${path}" is declared as ${types.join(' or ')} and cannot be printed as text`, {
          hint: `print one of its fields ({{${path}.field}}), loop with {{#each ${path}}}, or use {{json ${path}}}`,
        });
      } else if (list && !types.includes('array')) {
        add('E_EACH_NOT_LIST', pointer, `{{#each ${path}}} needs a list, but "${path}" is declared as ${types.join(' or ')}`, {
          hint: `declare it as \`type: array\``,
        });
      }
    }
    for (const name of Object.keys(variables)) {
      if (!used.has(name))
        add('W_VAR_UNUSED', encodePointer(['variables', name]), `variable "${name}" is declared but never used`, {
          key: true,
          severity: 'warning',
        });
    }
  }

  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const definition = toDefinition(message.id, message.displayPath, data, ctx.defaultCountry);
  if (ctx.templates) {
    for (const p of checkTemplates(definition, ctx.templates.lock))
      add(p.code, p.pointer, p.message, {
        ...(p.key ? { key: true } : {}),
        ...(p.hint ? { hint: p.hint } : {}),
        ...(p.severity === 'warning' ? { severity: 'warning' } : {}),
      });
    if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  }
  checkExamples(definition, ctx, add, templatesOk, data);
  return diagnostics.some((d) => d.severity === 'error') ? { diagnostics } : { definition, diagnostics };
}

/** The definition holds this exact value (no Handlebars): a problem there is the file's, not a row's. */
function isLiteral(data: JsonObject, pointer: string): boolean {
  let node: unknown = data;
  for (const seg of decodePointer(pointer)) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, seg)) return false;
    node = (node as Record<string, unknown>)[seg];
  }
  return typeof node !== 'string' || !node.includes('{{');
}

/** Codes of limits and platform rules keep their code when an example breaks them. */
const KEEP_CODE = /^E_(LIMIT|WA_\w+|PLATFORM_BODY_TYPE|CAP_FREQUENCY_USE_CASE|SCHEDULED_TOO_FAR|RENDER_TOO_LARGE)$/;

type Add = (code: DiagnosticCode, pointer: string, text: string, extra?: { key?: boolean; hint?: string; severity?: 'warning' }) => void;

function checkExamples(definition: MessageDefinition, ctx: CatalogContext, add: Add, templatesOk: boolean, data: JsonObject): void {
  let validateRow;
  try {
    validateRow = compileRowValidator(definition, false);
  } catch (error) {
    add('E_SCHEMA', '/variables', `\`variables\` is not a valid JSON Schema: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  const examples = definition.examples.map((e) => structuredClone(e));
  let rowsOk = true;
  examples.forEach((example, i) => {
    if (validateRow && !validateRow(example)) {
      rowsOk = false;
      for (const p of rowProblems(validateRow.errors ?? [])) {
        const pointer =
          p.field && Object.hasOwn(example, p.field.split('.')[0]!)
            ? encodePointer(['examples', String(i), ...p.field.split('.')])
            : encodePointer(['examples', String(i)]);
        add('E_EXAMPLE_INVALID', pointer, `example ${i + 1}: ${p.message}`);
      }
    }
  });
  if (!rowsOk || !templatesOk) return;
  const lock = ctx.templates?.lock;
  const compiled = compileMessage(definition, ctx.env, {
    check: messageRequestChecker(definition, ctx),
    now: ctx.now,
    ...templateLocaleOption(definition, lock === 'refused' ? undefined : lock),
  });
  // A message with translations renders every example in every locale (a German text can break a
  // limit the English one keeps), on top of the example's own locale.
  const reached = new Set<string>();
  const forced =
    definition.locale !== undefined && definition.body ? [definition.defaultLocale!, ...Object.keys(definition.translations ?? {})] : [];
  definition.examples.forEach((example, i) => {
    const seen = new Set<string>();
    const report = (result: ReturnType<typeof compiled.renderRow>, locale: string | undefined): string | undefined => {
      if (result.ok) return result.locale?.used;
      for (const p of result.problems) {
        // A request pointer mostly exists in the definition too (body/..., template/...); `to` makes the receiver.
        let pointer =
          p.pointer?.startsWith('/receiver') && definition.to !== undefined ? '/to' : p.pointer || encodePointer(['examples', String(i)]);
        if (locale !== undefined && locale !== definition.defaultLocale && (pointer === '/body' || pointer.startsWith('/body/')))
          pointer = `${encodePointer(['translations', locale])}${pointer}`;
        // A limit broken by a value that comes from the row: point at the example row, not the template.
        if (KEEP_CODE.test(p.code) && pointer !== '/to' && !isLiteral(data, pointer)) pointer = encodePointer(['examples', String(i)]);
        const code = KEEP_CODE.test(p.code) || p.code.startsWith('E_LOCALE_') ? p.code : 'E_EXAMPLE_RENDER';
        const text = `example ${i + 1}${locale !== undefined ? ` (${locale})` : ''}: ${p.message}`;
        if (seen.has(`${code}|${pointer}|${p.message}`)) continue;
        seen.add(`${code}|${pointer}|${p.message}`);
        add(code, pointer, text);
      }
      return undefined;
    };
    const own = report(compiled.renderRow(structuredClone(example), false), undefined);
    if (own !== undefined) reached.add(own);
    for (const locale of forced)
      if (locale !== own) report(compiled.renderRow(structuredClone(example), false, { forceLocale: locale }), locale);
  });
  // Coverage: a text no example reaches is checked (above) but never seen by render, plan or the preview without --data.
  if (definition.examples.length > 0)
    for (const locale of forced)
      if (!reached.has(locale))
        add(
          'W_LOCALE_NOT_COVERED',
          locale === definition.defaultLocale ? '/body' : encodePointer(['translations', locale]),
          `no example reaches the ${locale} text`,
          {
            key: true,
            hint: `add an example whose locale is ${locale}, so render, plan and the preview show it`,
            severity: 'warning',
          },
        );
}

// Check one loaded message file and build its definition: shape, channel, Handlebars, variables,
// examples. Problems come back as diagnostics (pure apart from what the caller already loaded).
import type { LoadedMessage } from '../catalog/index.js';
import { toDefinition, UUID, type MessageDefinition } from './definition.js';
import type { DiagnosticCode } from '../errors.js';
import { BUILTIN_BLOCKS, HELPER_NAMES } from '../render/index.js';
import { compileMessage, compileRowValidator, rowProblems } from '../render/index.js';
import { validatorFor } from '../schema/index.js';
import { closestName, schemaDiagnostics } from '../schema/index.js';
import { analyzeTemplate, parseTemplate, TemplateSyntaxError, type TemplateEnv, type TemplateUse } from '../render/index.js';
import type { Diagnostic, JsonObject } from '../types.js';
import { encodePointer } from '../catalog/index.js';

/** Where Handlebars is allowed: everything that becomes part of the request. */
const TEMPLATED_FIELDS = (key: string): boolean => !['description', 'channel', 'variables', 'required', 'examples', '$schema'].includes(key);

export interface CatalogContext {
  channels: Record<string, string>;
  env: TemplateEnv;
  /** What each partial uses, by partial name. */
  partials: Map<string, TemplateUse>;
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

export function checkMessage(message: LoadedMessage, ctx: CatalogContext): CheckedMessage {
  const { source } = message;
  const diagnostics: Diagnostic[] = [...source.diagnostics];
  const add = (code: DiagnosticCode, pointer: string, text: string, extra: { key?: boolean; hint?: string; severity?: 'warning' } = {}): void => {
    const pos = source.locate(pointer, { key: extra.key ?? false });
    diagnostics.push({ code, severity: extra.severity ?? 'error', file: source.file, line: pos.line, column: pos.column, pointer, message: text, ...(extra.hint ? { hint: extra.hint } : {}) });
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
  const has = (k: string): boolean => Object.hasOwn(data, k);
  if (has('body') && has('template')) add('E_BODY_AND_TEMPLATE', '/template', 'a message has either `body` (free-form) or `template` (WhatsApp template), not both', { key: true });
  if (!has('body') && !has('template')) add('E_NO_CONTENT', '', 'a message needs a `body` or a `template`', { hint: 'add `body: {type: text, text: {text: ...}}` or a `template`' });
  if (has('to') && has('receiver')) add('E_SCHEMA', '/receiver', 'use either `to` (the recipient template) or `receiver` (a full Bird receiver), not both', { key: true });
  if (!has('to') && !has('receiver')) add('E_SCHEMA', '', 'a message needs `to` (for example `to: "{{phone}}"`) or a `receiver`');

  const validate = validatorFor('message');
  if (!validate(data)) {
    const handled = new Set(['body', 'template', 'to', 'receiver']);
    const errors = (validate.errors ?? []).filter(
      (e) => !(e.instancePath === '' && (e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'not' || (e.keyword === 'required' && handled.has(String((e.params as { missingProperty?: string }).missingProperty))))),
    );
    diagnostics.push(...schemaDiagnostics(errors, source, data, { templated: true }));
  }

  const channel = data.channel;
  if (typeof channel === 'string' && !UUID.test(channel) && !Object.hasOwn(ctx.channels, channel)) {
    const known = Object.keys(ctx.channels);
    add('E_CHANNEL_ALIAS', '/channel', `channel "${channel}" is neither a channel id (UUID) nor an alias in chirp.config.yaml`, {
      hint: known.length > 0 ? `known aliases: ${known.join(', ')}` : 'add it under `channels:` in chirp.config.yaml',
    });
  }

  // Handlebars: every string that becomes part of the request.
  const leaves: { pointer: string; text: string }[] = [];
  for (const [k, v] of Object.entries(data)) if (TEMPLATED_FIELDS(k)) stringLeaves(v, [k], leaves);
  const used = new Map<string, string>(); // variable → first pointer using it
  let templatesOk = true;
  for (const leaf of leaves) {
    if (!leaf.text.includes('{{')) continue;
    let use: TemplateUse;
    try {
      use = analyzeTemplate(parseTemplate(leaf.text));
    } catch (error) {
      if (!(error instanceof TemplateSyntaxError)) throw error;
      templatesOk = false;
      const pos = source.locate(leaf.pointer);
      diagnostics.push({ code: 'E_HBS_SYNTAX', severity: 'error', file: source.file, line: pos.line + error.line - 1, column: error.line === 1 ? pos.column : error.column, pointer: leaf.pointer, message: `Handlebars: ${error.message}` });
      continue;
    }
    for (const helper of use.helpers) {
      if (!HELPER_NAMES.has(helper) && !BUILTIN_BLOCKS.has(helper)) {
        templatesOk = false;
        add('E_HBS_HELPER', leaf.pointer, `unknown helper "${helper}"`, { hint: `available: ${[...HELPER_NAMES, ...BUILTIN_BLOCKS].join(', ')}` });
      }
    }
    const variables = new Set(use.variables);
    for (const partial of use.partials) {
      const partialUse = ctx.partials.get(partial);
      if (!partialUse) {
        templatesOk = false;
        add('E_HBS_PARTIAL', leaf.pointer, `unknown partial "${partial}"`, { hint: 'partials live in messages/_partials/NAME.hbs' });
      } else partialUse.variables.forEach((v) => variables.add(v));
    }
    for (const v of variables) if (!used.has(v)) used.set(v, leaf.pointer);
  }

  const variables = data.variables as Record<string, unknown> | undefined;
  if (variables && typeof variables === 'object' && !Array.isArray(variables)) {
    for (const [name, pointer] of used) {
      if (!Object.hasOwn(variables, name)) {
        // A typo of a declared variable (`{{nmae}}`) is far likelier than a new variable.
        const guess = closestName(name, Object.keys(variables));
        const hint = guess ? `did you mean \`${guess}\`? Otherwise add \`${name}: { type: string }\` under variables` : `add \`${name}: { type: string }\` under variables`;
        add('E_VAR_UNDECLARED', pointer, `variable "${name}" is used but not declared in \`variables\``, { hint });
      }
    }
    for (const name of Object.keys(variables)) {
      if (!used.has(name)) add('W_VAR_UNUSED', encodePointer(['variables', name]), `variable "${name}" is declared but never used`, { key: true, severity: 'warning' });
    }
  }

  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const definition = toDefinition(message.id, message.displayPath, data);
  checkExamples(definition, ctx, add, templatesOk);
  return diagnostics.some((d) => d.severity === 'error') ? { diagnostics } : { definition, diagnostics };
}

type Add = (code: DiagnosticCode, pointer: string, text: string, extra?: { key?: boolean; hint?: string }) => void;

function checkExamples(definition: MessageDefinition, ctx: CatalogContext, add: Add, templatesOk: boolean): void {
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
        const pointer = p.field && Object.hasOwn(example, p.field.split('.')[0]!) ? encodePointer(['examples', String(i), ...p.field.split('.')]) : encodePointer(['examples', String(i)]);
        add('E_EXAMPLE_INVALID', pointer, `example ${i + 1}: ${p.message}`);
      }
    }
  });
  if (!rowsOk || !templatesOk) return;
  const compiled = compileMessage(definition, ctx.env);
  definition.examples.forEach((example, i) => {
    const result = compiled.renderRow(structuredClone(example), false);
    if (result.ok) return;
    for (const p of result.problems) {
      // A request pointer mostly exists in the definition too (body/..., template/...); `to` makes the receiver.
      const pointer = p.pointer?.startsWith('/receiver') && definition.to !== undefined ? '/to' : p.pointer || encodePointer(['examples', String(i)]);
      add(p.code === 'E_LIMIT' ? 'E_LIMIT' : 'E_EXAMPLE_RENDER', pointer, `example ${i + 1}: ${p.message}`);
    }
  });
}

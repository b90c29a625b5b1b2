// Pure rendering: a checked MessageDefinition compiled once, then one Bird request per row.
// No fs, no network. Everything a row can get wrong comes back as diagnostics, never as a blank.
import type { ErrorObject, ValidateFunction } from 'ajv';
import { UserError, type DiagnosticCode } from '../errors.js';
import { isBlank, neverBlank, RenderFailure } from './helpers.js';
import { parseRecipient, recipientIdentity } from '../util/index.js';
import { controlProblem } from './helpers.js';
import { schemaProblems, validatorFor } from '../schema/index.js';
import { compileRowValidator, rowProblems, type RowProblem } from './row-validator.js';
import { numberProblems, sha256Hex, shortKey, writtenText } from '../util/index.js';
import { numberPaths, textNumberProblems } from './numbers.js';
import type { TemplateEnv } from './template.js';
import type { MessageDefinition } from '../schema/index.js';
import type { JsonObject } from '../types.js';
import { decodePointer, encodePointer, RESERVED_KEYS } from '../util/index.js';
import type { LocaleChoice } from '../util/index.js';
import { compileLocales, type RowLocale } from './locales.js';
import { compileSendAt } from './send-at.js';
import { receiverColumn, receiverRecipient, respelled } from './receiver.js';
import { compileJson, constant, type JsonOf, type Node } from './tree.js';

/** A simple path that is the whole value: rendered with the variable's own type. */
const TYPED_EXPRESSION = /^\{\{\s*([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)\s*\}\}$/;

export type { RowLocale } from './locales.js';

export type RowResult =
  | {
      ok: true;
      request: JsonObject;
      json: string;
      recipient: string;
      reference: string;
      locale?: RowLocale;
      /** The identifier as written (a `receiver`'s) or sent (a `to` address with capitals), when not `recipient`: earlier chirps' key. */
      alias?: string;
      /** With `alias`: the hash of the request an earlier chirp sent (the identifier as written, its reference). */
      aliasHash?: string;
      /** A recipient sent in another spelling than its own (an address with capitals): the hash of the request its own spelling gives. */
      identityHash?: string;
    }
  | { ok: false; problems: RowProblem[] };

export interface RenderRowOptions {
  /** Render this locale's text whatever the row's locale says (`validate` renders every example in every locale). */
  forceLocale?: string;
  /** Only the request, to compare (`plan --base`), never to send: `json` and the chirp reference '', no alias or identity hash. */
  requestOnly?: boolean;
}

export interface CompiledMessage {
  definition: MessageDefinition;
  /** Check, render and validate one row. `fromText`: values are strings to coerce (CSV). */
  renderRow(values: Record<string, unknown>, fromText: boolean, options?: RenderRowOptions): RowResult;
  /**
   * Who a row is for, without the rest of the request (undefined: it cannot be told). Asked only of a
   * row that failed, so a suppressed recipient's row is skipped rather than reported.
   */
  recipientOf(values: Record<string, unknown>): string | undefined;
  /**
   * The locale a row asks for (canonical) and the one it gets, checked as `renderRow` checks it (the
   * row's values validated and coerced first): undefined when the message has no `locale`, null when
   * the row is invalid before its locale is known (renderRow refuses it too). For the template
   * preflight: which locales a run's rows resolve to.
   */
  rowLocale(values: Record<string, unknown>, fromText: boolean): RowLocale | null | undefined;
}

function hasExpression(value: string): boolean {
  return value.includes('{{');
}

function ownLookup(data: unknown, path: readonly string[]): unknown {
  let node = data;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Compile a definition subtree; pointers of typed nodes are collected for type fix-ups. */
function compileNode(value: unknown, env: TemplateEnv, pointer: string[], typed: Map<string, string>): Node {
  if (typeof value === 'string') {
    if (!hasExpression(value)) return { kind: 'const', value };
    const m = TYPED_EXPRESSION.exec(value);
    if (m) {
      typed.set(encodePointer(pointer), m[1]!);
      return { kind: 'typed', path: m[1]!.split('.'), label: m[1]! };
    }
    return { kind: 'text', render: neverBlank(env.compile(value), encodePointer(pointer)) };
  }
  if (Array.isArray(value)) {
    const items = value.map((v, i) => compileNode(v, env, [...pointer, String(i)], typed));
    return items.every((n) => n.kind === 'const') ? constant(value) : { kind: 'array', items };
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]): [string, Node] => {
      // The loader refuses these with file:line:col; a definition that reached here another way is refused too:
      // `out["__proto__"] = …` would build a request whose JSON.stringify differs from the bytes compiled for it.
      if (RESERVED_KEYS.has(k))
        throw new UserError('E_PROTO_KEY', `the member "${k}" at ${encodePointer([...pointer, k])} is reserved and not allowed`);
      return [k, compileNode(v, env, [...pointer, k], typed)];
    });
    return entries.every(([, n]) => n.kind === 'const') ? constant(value) : { kind: 'object', entries };
  }
  return { kind: 'const', value };
}

function renderNode(node: Node, data: object, locale?: string): unknown {
  switch (node.kind) {
    case 'const':
      return node.value;
    case 'text':
      return node.render(data, locale);
    case 'typed': {
      const value = ownLookup(data, node.path);
      if (isBlank(value)) {
        throw new RenderFailure(
          'E_VAR_MISSING',
          node.label,
          `variable "${node.label}" is ${value === undefined ? 'absent' : value === null ? 'null' : 'empty'}`,
        );
      }
      if (typeof value === 'string') controlProblem(value, node.label);
      return value;
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, child] of node.entries) out[k] = renderNode(child, data, locale);
      return out;
    }
    case 'array':
      return node.items.map((child) => renderNode(child, data, locale));
  }
}

/** Bird wants a string where a typed value landed, or the reverse: convert the value at that spot. */
function fixType(request: JsonObject, error: ErrorObject, written?: string): boolean {
  const segs = decodePointer(error.instancePath);
  const key = segs.pop();
  if (key === undefined) return false;
  const parent = ownLookup(request, segs) as Record<string, unknown> | undefined;
  if (!parent) return false;
  const value = parent[key];
  const want = ([] as string[]).concat((error.params as { type: string | string[] }).type);
  if (want.includes('string') && typeof value === 'number') parent[key] = written ?? String(value);
  else if (want.includes('string') && typeof value === 'boolean') parent[key] = String(value);
  else if (
    (want.includes('number') || want.includes('integer')) &&
    typeof value === 'string' &&
    value.trim() !== '' &&
    Number.isFinite(Number(value))
  )
    parent[key] = Number(value);
  else if (want.includes('boolean') && (value === 'true' || value === 'false')) parent[key] = value === 'true';
  else return false;
  return true;
}

export function referenceFor(messageId: string, recipient: string, content: string): string {
  // One-shot crypto.hash (Node ≥ 20.12) skips a Hash object per row.
  const hash = sha256Hex(`${messageId}\0${recipient}\0${content}`);
  return `chirp:${messageId}:${hash.slice(0, 20)}`;
}

export interface CompileOptions {
  /** The platform's checks of a rendered request (its limits, Bird's prose rules at the run's clock). */
  check?: (request: JsonObject) => { code: DiagnosticCode; pointer: string; message: string }[];
  /**
   * For a `template` without its own `locale`: which locale a recipient gets (from the lock's approved
   * locales). Absent: the recipient's own locale, unchecked here.
   */
  templateLocale?: (template: JsonObject) => ((requested: string) => LocaleChoice) | undefined;
  /** The run's clock: a `sendAt` time already past is `ifPast`'s answer. Absent: not compared. */
  now?: () => Date;
}

/** Generic schema codes become "the rendered request is not valid"; limit and rule codes stay. */
function requestCode(code: DiagnosticCode): DiagnosticCode {
  return code === 'E_SCHEMA' || code === 'E_UNKNOWN_PROPERTY' ? 'E_REQUEST_INVALID' : code;
}

export function compileMessage(definition: MessageDefinition, env: TemplateEnv, options: CompileOptions = {}): CompiledMessage {
  const typed = new Map<string, string>(); // pointer → variable
  // A plain `{{phone}}` is rendered without the Handlebars runtime by the template env itself.
  const to = definition.to !== undefined ? env.compile(definition.to) : undefined;
  // The column a `to: "{{phone}}"` reads, so a bad number names it; `to` for anything more complex.
  const toField = definition.to !== undefined ? (TYPED_EXPRESSION.exec(definition.to)?.[1] ?? 'to') : 'to';
  // The column a `receiver`'s first `identifierValue: "{{phone}}"` reads, so a bad number names it.
  const receiverField = receiverColumn(definition.receiver, (v) => TYPED_EXPRESSION.exec(v)?.[1]);
  const receiver = definition.receiver ? compileNode(definition.receiver, env, ['receiver'], typed) : undefined;
  const contentKey = definition.body ? 'body' : 'template';
  const content = compileNode(definition.body ?? definition.template, env, [contentKey], typed);
  const locales = compileLocales(
    definition,
    env,
    content,
    (body) => compileNode(body, env, ['body'], typed),
    options.templateLocale,
    (s) => TYPED_EXPRESSION.exec(s)?.[1],
  );
  const sendAt = definition.sendAt ? compileSendAt(definition.sendAt, env, options.now, (s) => TYPED_EXPRESSION.exec(s)?.[1]) : undefined;
  const passthrough = Object.entries(definition.passthrough).map(([k, v]): [string, Node] => [k, compileNode(v, env, [k], typed)]);
  const ownReference = Object.hasOwn(definition.passthrough, 'reference');
  const validators = new Map<boolean, ValidateFunction | undefined>();
  const validateRequest = validatorFor('request');
  const numbers = numberPaths(definition.variables);

  // The request's JSON from the compiled tree (constant parts serialised once), in the key order the
  // request object has: receiver, content, then passthrough. Any key clash: plain JSON.stringify.
  // A template that follows the recipient's locale gets `locale` outside its node, and `sendAt` adds
  // `scheduledFor` after the passthrough fields: the first is plain JSON.stringify, the second appended.
  const serialisable =
    passthrough.every(([k]) => k !== 'receiver' && k !== contentKey && !(sendAt && k === 'scheduledFor')) && !locales?.templateFollows;
  // Each serialiser is compiled once: the receiver's, the passthrough fields', and one per content
  // node (a message with translations renders one of several).
  const receiverJsonOf = receiver ? compileJson(receiver) : undefined;
  const contentJsonOf = new Map<Node, JsonOf>();
  const contentPrefix = `,${JSON.stringify(contentKey)}:`;
  const passthroughJson = passthrough.map(([k, node]): [string, string, JsonOf] => [k, `,${JSON.stringify(k)}:`, compileJson(node)]);
  const requestJson = (request: JsonObject, recipient: string, contentNode: Node): string => {
    const receiverJson = to ? `{"contacts":[{"identifierValue":${JSON.stringify(recipient)}}]}` : receiverJsonOf!(request.receiver);
    let jsonOf = contentJsonOf.get(contentNode);
    if (jsonOf === undefined) contentJsonOf.set(contentNode, (jsonOf = compileJson(contentNode)));
    const contentJson = jsonOf(request[contentKey]);
    if (receiverJson === undefined || contentJson === undefined) return JSON.stringify(request);
    let json = `{"receiver":${receiverJson}${contentPrefix}${contentJson}`;
    for (const [k, prefix, partOf] of passthroughJson) {
      const part = partOf(request[k]);
      if (part !== undefined) json += prefix + part;
    }
    if (sendAt && request.scheduledFor !== undefined) json += `,"scheduledFor":${JSON.stringify(request.scheduledFor)}`;
    return `${json}}`;
  };

  /** A row's values checked against the variables (coerced and defaulted in place, as ajv does): the refusal, or undefined. */
  const refusal = (values: Record<string, unknown>, fromText: boolean): RowResult | undefined => {
    const badNumbers = numberProblems(values);
    if (badNumbers)
      return {
        ok: false,
        problems: badNumbers.map((p) => ({ code: 'E_ROW_INVALID', field: p.field, message: `${p.field}: ${p.message}` })),
      };
    const numberRowProblems = fromText && numbers.length > 0 ? textNumberProblems(values, numbers) : [];
    if (!validators.has(fromText)) validators.set(fromText, compileRowValidator(definition, fromText));
    const validateRow = validators.get(fromText);
    if (validateRow && !validateRow(values)) {
      // In ajv's order, a number problem in place of ajv's own for the same column.
      const problems: RowProblem[] = [];
      for (const p of rowProblems(validateRow.errors ?? [])) {
        const n = numberRowProblems.find((x) => x.field === p.field) ?? p;
        if (!problems.includes(n)) problems.push(n);
      }
      for (const n of numberRowProblems) if (!problems.includes(n)) problems.push(n);
      return { ok: false, problems };
    }
    if (numberRowProblems.length > 0) return { ok: false, problems: numberRowProblems };
    return undefined;
  };

  const rowLocale = (values: Record<string, unknown>, fromText: boolean): RowLocale | null | undefined => {
    if (!locales) return undefined;
    if (refusal(values, fromText)) return null;
    const picked = locales.pick(values);
    return picked.ok ? { requested: picked.locale.requested, used: picked.locale.used, fallback: picked.locale.fallback } : null;
  };

  const renderRow = (values: Record<string, unknown>, fromText: boolean, rowOptions: RenderRowOptions = {}): RowResult => {
    const refused = refusal(values, fromText);
    if (refused) return refused;
    let locale: (RowLocale & { format: string }) | undefined;
    let rowContent = content;
    if (locales) {
      const picked = locales.pick(values, rowOptions.forceLocale);
      if (!picked.ok) return { ok: false, problems: [picked.problem] };
      locale = picked.locale;
      rowContent = picked.content;
    }

    const request: JsonObject = {};
    let recipient: string;
    // The identifier the request carries, when it is not `recipient` (an address keyed case-folded).
    let spelling: string | undefined;
    let alias: string | undefined;
    let written: JsonObject | undefined;
    try {
      if (to) {
        const rendered = to(values);
        const parsed = parseRecipient(rendered, definition.defaultCountry);
        if (!parsed.ok) {
          const hint = parsed.hint ? `; ${parsed.hint}` : '';
          const code = parsed.code ?? 'E_RECEIVER_INVALID';
          return { ok: false, problems: [{ code, field: toField, message: `recipient "${rendered}" ${parsed.reason}${hint}` }] };
        }
        recipient = recipientIdentity(parsed.recipient);
        if (recipient !== parsed.recipient.value) alias = spelling = parsed.recipient.value;
        request.receiver = { contacts: [{ identifierValue: parsed.recipient.value }] };
      } else {
        request.receiver = renderNode(receiver!, values) as JsonObject;
        const who = receiverRecipient(request.receiver, definition.defaultCountry);
        if (!who.ok) {
          const [code, pointer] = [who.code ?? 'E_RECEIVER_INVALID', '/receiver/contacts/0/identifierValue'] as const;
          return { ok: false, problems: [{ code, field: receiverField, pointer, message: who.message }] };
        }
        recipient = who.recipient;
        spelling = who.spelling;
        if (who.receiver) [written, request.receiver] = [request.receiver, who.receiver];
        alias = who.alias;
      }
      request[contentKey] = renderNode(rowContent, values, locale?.format) as JsonObject;
      // A template that names no locale follows the recipient's. A copy: a template without parameters
      // renders as the definition's own object, which must not keep one row's locale.
      if (locale && locales?.templateFollows) request.template = { ...(request.template as JsonObject), locale: locale.used };
      for (const [k, node] of passthrough) request[k] = renderNode(node, values, locale?.format) as JsonObject;
      if (sendAt) {
        const when = sendAt(values);
        if (!when.ok) return { ok: false, problems: [when.problem] };
        if (when.scheduledFor !== undefined) request.scheduledFor = when.scheduledFor;
      }
    } catch (error) {
      if (error instanceof RenderFailure) {
        const message = error.code === 'E_RENDER_TOO_LARGE' ? `message "${definition.id}": ${error.message}` : error.message;
        return {
          ok: false,
          problems: [
            {
              code: error.code,
              message,
              ...(error.variable ? { field: error.variable } : {}),
              ...(error.pointer ? { pointer: error.pointer } : {}),
            },
          ],
        };
      }
      return { ok: false, problems: [{ code: 'E_RENDER', message: error instanceof Error ? error.message : String(error) }] };
    }

    let valid = validateRequest(request);
    let fixed = false;
    if (!valid && typed.size > 0) {
      fixed = true;
      const fixable = (validateRequest.errors ?? []).filter((e) => e.keyword === 'type' && typed.has(e.instancePath));
      // A number Bird wants as text is sent as the data wrote it (1.50 stays 1.50).
      const written = (e: ErrorObject): string | undefined => {
        const path = typed.get(e.instancePath)!.split('.');
        return writtenText(ownLookup(values, path.slice(0, -1)), path[path.length - 1]!);
      };
      if (fixable.length > 0 && fixable.every((e) => fixType(request, e, written(e)))) valid = validateRequest(request);
    }
    if (!valid) {
      // `text: "{{big}}"` with an object where Bird wants text: name the variable, as a printed value would.
      const notText = (validateRequest.errors ?? []).find(
        (e) => e.keyword === 'type' && typed.has(e.instancePath) && typeof ownLookup(request, decodePointer(e.instancePath)) === 'object',
      );
      if (notText) {
        const label = typed.get(notText.instancePath)!;
        const kind = Array.isArray(ownLookup(request, decodePointer(notText.instancePath))) ? 'a list' : 'an object';
        return {
          ok: false,
          problems: [
            {
              code: 'E_VALUE_NOT_TEXT',
              field: label,
              pointer: notText.instancePath,
              message: `variable "${label}" is ${kind}, but ${notText.instancePath} ${notText.message ?? 'needs another type'}`,
            },
          ],
        };
      }
      return {
        ok: false,
        problems: schemaProblems(validateRequest.errors ?? [], request).map((p) => ({
          code: requestCode(p.code),
          pointer: p.pointer,
          message: p.message,
        })),
      };
    }
    const ruled = options.check?.(request) ?? [];
    if (ruled.length > 0) return { ok: false, problems: ruled.map((p) => ({ code: p.code, pointer: p.pointer, message: p.message })) };
    // A receiver normalised here is not what its compiled serialiser (a constant's JSON) would print.
    const [sent, bare] = [spelling ?? recipient, rowOptions.requestOnly === true];
    const plain = fixed || written !== undefined || !serialisable;
    let json = bare ? '' : plain ? JSON.stringify(request) : requestJson(request, sent, rowContent);
    // What an earlier chirp sent for it: the receiver as written, and a reference made from that.
    let earlier = bare || written === undefined ? undefined : JSON.stringify({ ...request, receiver: written });
    // What a row spelling its recipient as the recipient is (an address in lower case) would send.
    let same =
      bare || spelling === undefined ? undefined : JSON.stringify({ ...request, receiver: respelled(request.receiver, recipient) });
    let reference = typeof request.reference === 'string' ? request.reference : '';
    if (!ownReference && !bare) {
      // Made from the identifier sent, as earlier chirp versions made it: the same row, the same bytes.
      reference = referenceFor(definition.id, sent, json);
      request.reference = reference;
      json = `${json.slice(0, -1)},"reference":${JSON.stringify(reference)}}`;
      if (earlier !== undefined && alias !== undefined)
        earlier = `${earlier.slice(0, -1)},"reference":${JSON.stringify(referenceFor(definition.id, alias, earlier))}}`;
      if (same !== undefined) same = `${same.slice(0, -1)},"reference":${JSON.stringify(referenceFor(definition.id, recipient, same))}}`;
    }
    const done: RowResult = { ok: true, request, json, recipient, reference };
    if (alias !== undefined) done.alias = alias;
    if (earlier !== undefined) done.aliasHash = shortKey(earlier);
    if (same !== undefined) done.identityHash = shortKey(same);
    if (locale) done.locale = { requested: locale.requested, used: locale.used, fallback: locale.fallback };
    return done;
  };
  const recipientOf = (values: Record<string, unknown>): string | undefined => {
    try {
      if (to) {
        const parsed = parseRecipient(to(values), definition.defaultCountry);
        return parsed.ok ? recipientIdentity(parsed.recipient) : undefined;
      }
      const rendered = renderNode(receiver!, values) as JsonObject;
      const contact = (rendered.contacts as JsonObject[] | undefined)?.[0];
      const id = contact?.identifierValue ?? contact?.id;
      return typeof id === 'string' ? id : undefined;
    } catch {
      return undefined;
    }
  };
  if (!definition.body || !definition.fallback) return { definition, renderRow, recipientOf, rowLocale };
  // The fallback template goes to whoever's window is closed: it is checked and rendered with every
  // row like the body (validate, render, plan, send), not only when a window turns out closed.
  const { fallback: declared, body: _body, translations: _translations, ...rest } = definition;
  const fallback = compileMessage({ ...rest, template: declared.template }, env, {
    ...(options.templateLocale ? { templateLocale: options.templateLocale } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  return {
    definition,
    recipientOf,
    rowLocale,
    renderRow: (values, fromText, rowOptions) => {
      const result = renderRow(values, fromText, rowOptions);
      if (!result.ok) return result;
      // The fallback template speaks the recipient's language, not the text's fallback.
      const other = fallback.renderRow(values, fromText, rowOptions?.requestOnly ? { requestOnly: true } : {});
      if (other.ok) return result;
      return {
        ok: false,
        problems: other.problems.map((p) => ({
          ...p,
          message: `fallback template: ${p.message}`,
          ...(p.pointer?.startsWith('/template') ? { pointer: `/fallback${p.pointer}` } : {}),
        })),
      };
    },
  };
}

/// <reference types="handlebars" preserve="true" />
// (the reference: declarations use the global `hbs` namespace of handlebars' types; library users need it too)
// Strict Handlebars for messages: compile once, never render a blank.
// Every value a template prints (directly or through a helper) is wrapped in a checking helper at the
// AST level, so an absent/null/empty variable fails the row instead of producing "Hi ,". Values inside
// #if/#unless/#each/#with guards are only checked when the guarded branch actually renders.
import { Handlebars } from './handlebars.js';
import { ARMS, BRANCH_HASH, branchKey, emptyProgram, HIT, recordHit, withHit } from './branches.js';
import { isPath, parseTemplate, stringLiteral, type Expr } from './parse.js';
import { nameEq, nameEqsIn } from './eq-names.js';
import { numberText } from '../util/index.js';

export { parseTemplate, TemplateSyntaxError } from './parse.js';
import { readsFalse } from './false-text.js';
import { shownText } from './unseen.js';
import { BUILTIN_BLOCKS, HELPER_NAMES, HELPERS, isBlank, LOCALE_DATA, printable, RenderFailure } from './helpers.js';

const REQUIRE = '__chirpRequire';
const TEXT = '__chirpText';
const LIST = '__chirpList';
const CONDITION = '__chirpCondition';

export interface TemplateUse {
  /** Top-level variable names (first path segment) read by the template. */
  variables: Set<string>;
  /** Full dotted paths read, for messages (`address.city`). */
  paths: Set<string>;
  helpers: Set<string>;
  partials: Set<string>;
  /** Full dotted paths printed as they are (`{{address}}`), outside #each/#with. */
  printed: Set<string>;
  /** Full dotted paths given to #each, outside #each/#with. */
  lists: Set<string>;
  /** `@data` names Handlebars does not set (`@foo`): they would print nothing. */
  unknownData: Set<string>;
  /** Loop `@data` (`@index`, `@key`, `@first`, `@last`) used outside any #each: nothing to print. */
  loopDataOutside: Set<string>;
  /** Partials called outside any #each (their loop `@data` has no loop). */
  partialsOutsideLoop: Set<string>;
}

/** The `@data` names Handlebars sets inside #each. */
export const LOOP_DATA = new Set(['index', 'key', 'first', 'last']);

/**
 * The variable path a path expression reads from the row: `name.x` for `name.x` and for `@root.name.x`
 * (`@root` is the row, whatever the context). Undefined for other `@data` and for `this`.
 */
function rowParts(p: hbs.AST.PathExpression): string[] | undefined {
  if (!p.data) return p.parts.length > 0 ? p.parts : undefined;
  return p.parts[0] === 'root' && p.parts.length > 1 ? p.parts.slice(1) : undefined;
}

/** `@root.x`: a row variable written from the root, valid in any context. */
function isRootPath(p: hbs.AST.PathExpression): boolean {
  return p.data && p.parts[0] === 'root' && p.parts.length > 1;
}

/** What a template uses; variables inside #each/#with (another context) are recorded with their block's path. */
export function analyzeTemplate(program: hbs.AST.Program): TemplateUse {
  const use: TemplateUse = {
    variables: new Set(),
    paths: new Set(),
    helpers: new Set(),
    partials: new Set(),
    printed: new Set(),
    lists: new Set(),
    unknownData: new Set(),
    loopDataOutside: new Set(),
    partialsOutsideLoop: new Set(),
  };
  const recordPath = (p: hbs.AST.PathExpression, scoped: boolean, inLoop: boolean): void => {
    if (p.data) {
      const name = p.parts[0] ?? '';
      if (isRootPath(p)) {
        use.variables.add(p.parts[1]!);
        use.paths.add(p.parts.slice(1).join('.'));
      } else if (LOOP_DATA.has(name) && p.parts.length === 1) {
        if (!inLoop) use.loopDataOutside.add(p.original);
      } else if (name !== 'root') use.unknownData.add(p.original);
      return;
    }
    if (p.parts.length === 0) return; // `this`
    if (scoped && p.depth === 0) return; // relative to an #each/#with context
    const head = p.parts[0]!;
    use.variables.add(head);
    use.paths.add(p.parts.join('.'));
  };
  const visitExpr = (e: Expr, scoped: boolean, inLoop: boolean): void => {
    if (isPath(e)) recordPath(e, scoped, inLoop);
    else if (e.type === 'SubExpression') visitCall(e as hbs.AST.SubExpression, scoped, inLoop);
  };
  const visitCall = (call: { path: Expr; params: Expr[]; hash: hbs.AST.Hash }, scoped: boolean, inLoop: boolean): void => {
    const hasArgs = call.params.length > 0 || (call.hash?.pairs ?? []).length > 0;
    if (isPath(call.path) && (hasArgs || HELPER_NAMES.has(call.path.original))) use.helpers.add(call.path.original);
    else visitExpr(call.path, scoped, inLoop);
    call.params.forEach((p) => visitExpr(p, scoped, inLoop));
    (call.hash?.pairs ?? []).forEach((p) => visitExpr(p.value, scoped, inLoop));
  };
  /** The row path of a path written where the context is the row (or from @root anywhere). */
  const absolute = (p: Expr, scoped: boolean): string | undefined => {
    if (!isPath(p)) return undefined;
    const parts = rowParts(p);
    return parts && (!scoped || isRootPath(p)) ? parts.join('.') : undefined;
  };
  const visit = (program: hbs.AST.Program | undefined, scoped: boolean, inLoop: boolean): void => {
    for (const node of program?.body ?? []) {
      if (node.type === 'MustacheStatement') {
        const m = node as hbs.AST.MustacheStatement;
        visitCall(m, scoped, inLoop);
        const bare = isPath(m.path) && m.params.length === 0 && (m.hash?.pairs ?? []).length === 0 && !HELPER_NAMES.has(m.path.original);
        const path = bare ? absolute(m.path, scoped) : undefined;
        if (path !== undefined) use.printed.add(path);
      } else if (node.type === 'BlockStatement') {
        const block = node as hbs.AST.BlockStatement;
        use.helpers.add(block.path.original);
        const head = block.params[0];
        const list = block.path.original === 'each' && head ? absolute(head, scoped) : undefined;
        if (list !== undefined) use.lists.add(list);
        block.params.forEach((p) => visitExpr(p, scoped, inLoop));
        const changesContext = block.path.original === 'each' || block.path.original === 'with';
        visit(block.program, scoped || changesContext, inLoop || block.path.original === 'each');
        visit(block.inverse, scoped, inLoop);
      } else if (node.type === 'PartialStatement' || node.type === 'PartialBlockStatement') {
        const partial = node as hbs.AST.PartialStatement;
        // A name is a word or a string: parseTemplate refuses every other form (parse.ts).
        const name = partial.name as Expr;
        const named = isPath(name) ? name.original : name.type === 'StringLiteral' ? (name as hbs.AST.StringLiteral).value : undefined;
        if (named !== undefined) {
          use.partials.add(named);
          if (!inLoop) use.partialsOutsideLoop.add(named);
        }
        partial.params.forEach((p) => visitExpr(p, scoped, inLoop));
        (partial.hash?.pairs ?? []).forEach((p) => visitExpr(p.value, scoped, inLoop));
      }
    }
  };
  visit(program, false, false);
  return use;
}

function requireCall(inner: Expr, label: string, loc: hbs.AST.SourceLocation): hbs.AST.SubExpression {
  return helperCall(REQUIRE, [inner, stringLiteral(label, loc)], loc);
}

/** `(name params…)`: a call of one of chirp's own checking helpers. */
function helperCall(name: string, params: Expr[], loc: hbs.AST.SourceLocation): hbs.AST.SubExpression {
  const path: hbs.AST.PathExpression = { type: 'PathExpression', data: false, depth: 0, parts: [name], original: name, loc };
  return { type: 'SubExpression', path, params, hash: { type: 'Hash', pairs: [], loc }, loc };
}

/**
 * Rewrite the AST so every printed path goes through the checking helper. `prefix` names the #with/#each
 * context. With `coverage` (an id naming the template), each branch arm starts with `{{__chirpHit "key"}}`
 * (an absent {{else}} becomes one holding only that), and each `default` call names itself, so a render
 * can record which branches it took (`recordBranches`); the keys are those of `templateBranches`.
 */
function enforce(program: hbs.AST.Program, prefix: string, coverage?: string): void {
  const label = (p: hbs.AST.PathExpression): string =>
    isRootPath(p) ? p.parts.slice(1).join('.') : p.depth === 0 && prefix ? `${prefix}.${p.original}` : p.original;
  /** A path that reads the row (or an #each/#with context): checked like a variable. `@root.x` is one too. */
  const checked = (e: Expr): e is hbs.AST.PathExpression => isPath(e) && (!e.data || isRootPath(e));
  const guardExpr = (e: Expr): Expr => {
    if (checked(e)) return requireCall(e, label(e), e.loc);
    if (e.type === 'SubExpression') guardCall(e as hbs.AST.SubExpression);
    return e;
  };
  const guardCall = (call: { path: Expr; params: Expr[]; hash: hbs.AST.Hash }): void => {
    const name = isPath(call.path) ? call.path.original : '';
    // `eq` names the call and the field it compares when it refuses a row (helpers.ts, eqRefusal).
    if (name === 'eq') nameEq(call, label, checked);
    // `default`'s first argument is allowed to be missing: that is what it is for.
    call.params = call.params.map((p, i) => (name === 'default' && i === 0 ? p : guardExpr(p)));
    for (const pair of call.hash?.pairs ?? []) pair.value = guardExpr(pair.value);
    if (coverage !== undefined && name === 'default') {
      const loc = (call as unknown as { loc: hbs.AST.SourceLocation }).loc;
      call.hash = call.hash ?? { type: 'Hash', pairs: [], loc };
      call.hash.pairs.push({ type: 'HashPair', key: BRANCH_HASH, value: stringLiteral(`${coverage}|${branchKey(loc, '')}`, loc), loc });
    }
  };
  for (const node of program.body) {
    if (node.type === 'MustacheStatement') {
      const m = node as hbs.AST.MustacheStatement;
      const isCall = m.params.length > 0 || (m.hash?.pairs.length ?? 0) > 0 || (isPath(m.path) && HELPER_NAMES.has(m.path.original));
      // Every printed value goes through TEXT: Handlebars with noEscape joins adjacent outputs with
      // `+`, so {{a}}{{b}} with numbers 1 and 2 would print "3". TEXT also checks a bare path for blanks.
      if (isCall) {
        guardCall(m);
        const call: hbs.AST.SubExpression = {
          type: 'SubExpression',
          path: m.path as hbs.AST.PathExpression,
          params: m.params,
          hash: m.hash ?? { type: 'Hash', pairs: [], loc: m.loc },
          loc: m.loc,
        };
        m.params = [call];
        m.hash = { type: 'Hash', pairs: [], loc: m.loc };
        m.path = { type: 'PathExpression', data: false, depth: 0, parts: [TEXT], original: TEXT, loc: m.loc };
      } else if (checked(m.path)) {
        // The object holding the value and its key ride along: a number prints as the data wrote it.
        const p = m.path;
        const holder: hbs.AST.PathExpression =
          p.parts.length === 0
            ? p
            : { ...p, parts: p.parts.slice(0, -1), original: p.data ? '@root' : p.depth > 0 ? '..' : 'this', loc: p.loc };
        m.params = [m.path, stringLiteral(label(m.path), m.loc), holder, stringLiteral(p.parts[p.parts.length - 1] ?? '', m.loc)];
        m.path = { type: 'PathExpression', data: false, depth: 0, parts: [TEXT], original: TEXT, loc: m.loc };
      }
    } else if (node.type === 'BlockStatement') {
      const b = node as hbs.AST.BlockStatement;
      // A block's arguments are not guarded (a guard's value may be absent), but an `eq` there is named too.
      b.params.forEach((p) => nameEqsIn(p, label, checked));
      const head = b.params[0];
      // #if/#unless/#with on a variable or a helper's result: text that reads as false ("false", "0" from a
      // CSV; `(lower vip)` of "NO", or of an absent vip: "undefined") is true to Handlebars.
      const sub = head?.type === 'SubExpression' ? (head as hbs.AST.SubExpression) : undefined;
      if (CONDITIONS.has(b.path.original) && head && (checked(head) || sub)) {
        const what = sub ? `(${isPath(sub.path) ? sub.path.original : '…'} …)` : label(head as hbs.AST.PathExpression);
        b.params = [
          helperCall(CONDITION, [head, stringLiteral(what, b.loc), stringLiteral(b.path.original, b.loc)], b.loc),
          ...b.params.slice(1),
        ];
      }
      // #each takes a list (absent or empty: its {{else}}); a string or a number would print nothing.
      if (b.path.original === 'each' && head && checked(head))
        b.params = [helperCall(LIST, [head, stringLiteral(label(head), b.loc)], b.loc), ...b.params.slice(1)];
      const inner =
        (b.path.original === 'with' || b.path.original === 'each') && isPath(head)
          ? `${label(head)}${b.path.original === 'each' ? '[]' : ''}`
          : prefix;
      if (b.program) enforce(b.program, inner, coverage);
      if (b.inverse) enforce(b.inverse, prefix, coverage);
      if (coverage !== undefined && BUILTIN_BLOCKS.has(b.path.original)) {
        const [then, otherwise] = ARMS[b.path.original]!;
        b.program = withHit(b.program ?? emptyProgram(b.loc), `${coverage}|${branchKey(b.loc, then)}`);
        if (!b.inverse) b.inverseStrip = { open: false, close: false };
        b.inverse = withHit(b.inverse ?? emptyProgram(b.loc), `${coverage}|${branchKey(b.loc, otherwise)}`);
      }
    }
  }
}

const SIMPLE_PART = /^[A-Za-z_$][\w$-]*$/;

/** Blocks that take their first argument as a condition (Handlebars' truthiness). */
const CONDITIONS: ReadonlySet<string> = new Set(['if', 'unless', 'with']);

/**
 * Text with plain `{{path}}` values only (no helpers, blocks, partials, `@data`, `../`): rendered by a
 * concatenation instead of the Handlebars runtime, which merges its helper table on every call. Same
 * output (no escaping, `String(value)`, own properties only) and the same blank check.
 */
function simpleTemplate(program: hbs.AST.Program): ((data: object) => string) | undefined {
  const texts: string[] = [];
  const paths: { parts: string[]; label: string }[] = [];
  let text = '';
  for (const node of program.body) {
    if (node.type === 'ContentStatement') text += (node as hbs.AST.ContentStatement).value;
    else if (node.type === 'MustacheStatement') {
      const m = node as hbs.AST.MustacheStatement;
      const p = m.path;
      if (!isPath(p) || p.data || p.depth !== 0 || m.params.length > 0 || (m.hash?.pairs.length ?? 0) > 0) return undefined;
      if (
        p.parts.length === 0 ||
        !p.parts.every((part) => SIMPLE_PART.test(part)) ||
        HELPER_NAMES.has(p.original) ||
        BUILTIN_BLOCKS.has(p.original)
      )
        return undefined;
      texts.push(text);
      text = '';
      paths.push({ parts: p.parts, label: p.parts.join('.') });
    } else if (node.type !== 'CommentStatement') return undefined;
  }
  texts.push(text);
  return (data) => {
    let out = texts[0]!;
    for (let i = 0; i < paths.length; i++) {
      const { parts, label } = paths[i]!;
      let value: unknown = data;
      let holder: unknown;
      for (const part of parts) {
        holder = value;
        value =
          value !== null && typeof value === 'object' && Object.hasOwn(value, part) ? (value as Record<string, unknown>)[part] : undefined;
      }
      if (isBlank(value))
        throw new RenderFailure(
          'E_VAR_MISSING',
          label,
          `variable "${label}" is ${value === undefined ? 'absent' : value === null ? 'null' : 'empty'}`,
        );
      out += (typeof value === 'number' ? numberText(value, holder, parts[parts.length - 1]) : printable(value, label)) + texts[i + 1]!;
    }
    return out;
  };
}

/** No field of a message holds more text than this (WhatsApp's largest is 4096 characters). */
export const MAX_RENDERED_CHARS = 65_536;
const MAX_PARTIAL_CALLS = 100_000;

/** A rendered string within MAX_RENDERED_CHARS, or a RenderFailure naming the partial that grew past it. */
function bounded(out: string, partial: string | undefined): string {
  if (out.length <= MAX_RENDERED_CHARS) return out;
  const where = partial === undefined ? 'the template' : `partial "${partial}"`;
  throw new RenderFailure(
    'E_RENDER_TOO_LARGE',
    undefined,
    `${where} renders more than ${MAX_RENDERED_CHARS} characters, more than any field of a message holds (a partial that includes another several times?); rendering stopped`,
  );
}

export interface TemplateEnv {
  /**
   * Compile a template string; throws TemplateSyntaxError. `locale`: the recipient's (canonical
   * BCP-47), which the formatting helpers follow unless the template names one.
   */
  compile(source: string): (data: object, locale?: string) => string;
  registerPartial(name: string, source: string): void;
  hasPartial(name: string): boolean;
  /**
   * With coverage: the id the branches of a compiled template are recorded under (`templateBranches`),
   * `p:NAME` for a partial; undefined when this env did not compile it with branches.
   */
  coverageId(source: string): string | undefined;
}

const KNOWN_HELPERS: Record<string, boolean> = Object.fromEntries(
  [...HELPER_NAMES, REQUIRE, TEXT, LIST, CONDITION, HIT, ...BUILTIN_BLOCKS].map((n) => [n, true]),
);

/**
 * An isolated Handlebars environment with chirp's helpers and strict options. `coverage` instruments
 * branches for `recordBranches` (plan and validate ask for it; render and send never pay for it).
 */
export function createTemplateEnv(envOptions: { coverage?: boolean } = {}): TemplateEnv {
  const coverage = envOptions.coverage === true;
  const hb = Handlebars.create();
  for (const [name, fn] of Object.entries(HELPERS)) hb.registerHelper(name, fn);
  if (coverage) {
    hb.registerHelper(HIT, (key: unknown) => {
      recordHit(String(key));
      return '';
    });
    hb.registerHelper('default', (...args: unknown[]) => {
      const value = HELPERS.default(...args);
      const key = (args.at(-1) as { hash?: Record<string, unknown> } | undefined)?.hash?.[BRANCH_HASH];
      if (typeof key === 'string') recordHit(`${key}:${isBlank(args[0]) ? 'fallback' : 'value'}`);
      return value;
    });
  }
  const ids = new Map<string, string>();
  const required = (value: unknown, label: unknown): unknown => {
    if (isBlank(value)) {
      throw new RenderFailure(
        'E_VAR_MISSING',
        String(label),
        `variable "${String(label)}" is ${value === undefined ? 'absent' : value === null ? 'null' : 'empty'}`,
      );
    }
    return value;
  };
  hb.registerHelper(REQUIRE, required);
  // (value, label, holder, key, options) for a printed path; (value, options) for a printed helper result.
  hb.registerHelper(TEXT, (...args: unknown[]) => {
    const value = args.length === 5 ? required(args[0], args[1]) : args[0];
    if (value === undefined || value === null) return '';
    if (typeof value === 'number' && args.length === 5) return numberText(value, args[2], args[3] as string);
    // Only strings, numbers and booleans are text: an object would print "[object Object]".
    return printable(value, args.length === 5 ? String(args[1]) : undefined);
  });
  hb.registerHelper(CONDITION, (value: unknown, label: unknown, block: unknown) => {
    if (typeof value === 'string' && readsFalse(value))
      throw new RenderFailure(
        'E_CONDITION_TEXT',
        String(label),
        `{{#${String(block)} ${String(label)}}} is given the text ${shownText(value)}, which Handlebars takes as true (any text is); declare "${String(label)}" as type: boolean (a CSV cell true/false is then read as one), or compare it: {{#if (eq ${String(label)} "yes")}}`,
      );
    return value;
  });
  hb.registerHelper(LIST, (value: unknown, label: unknown) => {
    if (isBlank(value) || Array.isArray(value)) return value;
    const kind = typeof value === 'object' ? 'an object' : typeof value === 'string' ? 'text' : typeof value;
    throw new RenderFailure('E_EACH_NOT_LIST', String(label), `{{#each ${String(label)}}} needs a list, but "${String(label)}" is ${kind}`);
  });
  const partialNames = new Set<string>();
  // A partial that calls another twice, 40 deep, renders 2^40 of something: each partial's output and
  // each rendered string is bounded, and so is the number of partial calls in one rendering.
  let partialCalls = 0;
  const options = { noEscape: true, knownHelpers: KNOWN_HELPERS, knownHelpersOnly: true, strict: false } as const;
  // `parsed`: the AST of `source` when the caller has it (parsing is a good part of a cold start).
  const compileProgram = (source: string, id?: string, parsed?: hbs.AST.Program): HandlebarsTemplateDelegate => {
    const program = parsed ?? parseTemplate(source);
    enforce(program, '', id);
    if (id?.startsWith('p:')) withHit(program, `${id}|entry`);
    return hb.compile(program, options);
  };
  const idFor = (source: string): string | undefined => {
    if (!coverage) return undefined;
    let id = ids.get(source);
    if (id === undefined) ids.set(source, (id = `t${ids.size}`));
    return id;
  };
  return {
    compile: (source) => {
      const program = parseTemplate(source);
      const simple = simpleTemplate(program);
      if (simple) return simple;
      // simpleTemplate only reads the AST: compile that one instead of parsing the source again.
      const fn = compileProgram(source, idFor(source), program);
      return (data, locale) => {
        partialCalls = 0;
        return bounded(
          fn(
            data,
            locale === undefined
              ? { allowCallsToHelperMissing: false }
              : { allowCallsToHelperMissing: false, data: { [LOCALE_DATA]: locale } },
          ),
          undefined,
        );
      };
    },
    registerPartial: (name, source) => {
      partialNames.add(name);
      const fn = compileProgram(source, coverage ? `p:${name}` : undefined);
      const partial = (context: unknown, options?: Handlebars.RuntimeOptions): string => {
        if (++partialCalls > MAX_PARTIAL_CALLS)
          throw new RenderFailure(
            'E_RENDER_TOO_LARGE',
            undefined,
            `the template calls partials more than ${MAX_PARTIAL_CALLS} times (partial "${name}" includes itself, or doubles through other partials)`,
          );
        return bounded(fn(context, options), name);
      };
      hb.registerPartial(name, partial as unknown as HandlebarsTemplateDelegate);
    },
    hasPartial: (name) => partialNames.has(name),
    coverageId: (source) => (coverage ? ids.get(source) : undefined),
  };
}

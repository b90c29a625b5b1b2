// Coverage: the branches of a template, from Handlebars' own parser, and which of them a render took.
// `createTemplateEnv({ coverage: true })` (template.ts) opens each branch arm with `{{__chirpHit "key"}}`
// (`withHit`), and the keys are those `templateBranches` lists. Render and send never use it.
import { printAst } from './handlebars.js';
import { isPath, parseTemplate, stringLiteral, type Expr } from './parse.js';

/** Coverage only: records that the branch it opens was taken. */
export const HIT = '__chirpHit';
/** The hash key that names a `default` call to the coverage env's `default` (its two outcomes are branches). */
export const BRANCH_HASH = '__chirpBranch';

export function emptyProgram(loc: hbs.AST.SourceLocation): hbs.AST.Program {
  return { type: 'Program', body: [], blockParams: [], loc };
}

export function withHit(program: hbs.AST.Program, key: string): hbs.AST.Program {
  const loc = program.loc;
  const hit = {
    type: 'MustacheStatement',
    path: { type: 'PathExpression', data: false, depth: 0, parts: [HIT], original: HIT, loc },
    params: [stringLiteral(key, loc)],
    hash: { type: 'Hash', pairs: [], loc },
    escaped: false,
    strip: { open: false, close: false },
    loc,
  } as unknown as hbs.AST.MustacheStatement;
  program.body = [hit, ...program.body];
  return program;
}

// ---------------------------------------------------------------------------------------------
// Coverage: the branches of a template, from Handlebars' own parser, and which of them a render took.

/** The two arms of each built-in block: taken when its condition holds, and its {{else}} (present or not). */
export const ARMS: Record<string, readonly [BranchArm, BranchArm]> = {
  if: ['then', 'else'],
  unless: ['then', 'else'],
  with: ['then', 'else'],
  each: ['items', 'empty'],
};

export type BranchArm = 'then' | 'else' | 'items' | 'empty' | 'value' | 'fallback' | 'entry';

export interface TemplateBranch {
  /** `<template id>|<line>:<column>:<arm>`: what a render records when it takes this branch. */
  key: string;
  kind: 'if' | 'unless' | 'each' | 'with' | 'default' | 'partial';
  arm: BranchArm;
  /** 1-based, inside the template text. */
  line: number;
  column: number;
  /** How a reviewer recognises it: `the {{else}} of {{#if vip}}`. */
  label: string;
  /** The block's condition and this arm's content, printed by Handlebars: equal signatures render alike. */
  signature: string;
  /** The key of the arm this branch sits in (undefined at the top level). */
  parent?: string;
}

export const branchKey = (loc: hbs.AST.SourceLocation | undefined, arm: string): string =>
  `${loc?.start.line ?? 0}:${loc?.start.column ?? 0}${arm ? `:${arm}` : ''}`;

function exprText(e: Expr): string {
  if (isPath(e)) return e.original;
  if (e.type === 'SubExpression') {
    const s = e as hbs.AST.SubExpression;
    return `(${[exprText(s.path), ...s.params.map(exprText)].join(' ')})`;
  }
  const literal = e as unknown as { value?: unknown; original?: unknown };
  return typeof literal.value === 'string' ? JSON.stringify(literal.value) : String(literal.original ?? literal.value);
}

function armLabel(block: string, arm: BranchArm): string {
  switch (arm) {
    case 'then':
      return `the ${block} branch`;
    case 'items':
      return `the items of ${block}`;
    case 'empty':
      return `the {{else}} (empty list) of ${block}`;
    default:
      return `the {{else}} of ${block}`;
  }
}

/**
 * Every branch of a template (`id` names it, as `TemplateEnv.coverageId` does): both arms of each
 * #if/#unless/#with/#each (an absent {{else}} is an arm too: it renders nothing), and both outcomes
 * of each `default` (the value, or the fallback). Throws TemplateSyntaxError.
 */
export function templateBranches(source: string, id: string): TemplateBranch[] {
  const out: TemplateBranch[] = [];
  const visitExpr = (e: Expr, parent: string | undefined): void => {
    if (e.type !== 'SubExpression') return;
    visitCall(e as hbs.AST.SubExpression, parent);
  };
  const visitCall = (
    call: { path: Expr; params: Expr[]; hash?: hbs.AST.Hash; loc: hbs.AST.SourceLocation },
    parent: string | undefined,
  ): void => {
    if (isPath(call.path) && call.path.original === 'default') {
      const text = `{{default ${call.params.map(exprText).join(' ')}}}`;
      for (const arm of ['value', 'fallback'] as const)
        out.push({
          key: `${id}|${branchKey(call.loc, '')}:${arm}`,
          kind: 'default',
          arm,
          line: call.loc.start.line,
          column: call.loc.start.column + 1,
          label: arm === 'value' ? `the value of ${text}` : `the fallback of ${text}`,
          signature: `default|${text}|${arm}`,
          ...(parent ? { parent } : {}),
        });
    }
    call.params.forEach((p) => visitExpr(p, parent));
    (call.hash?.pairs ?? []).forEach((p) => visitExpr(p.value, parent));
  };
  const visit = (program: hbs.AST.Program | undefined, parent: string | undefined): void => {
    for (const node of program?.body ?? []) {
      if (node.type === 'MustacheStatement') visitCall(node as hbs.AST.MustacheStatement, parent);
      else if (node.type === 'BlockStatement') {
        const b = node as hbs.AST.BlockStatement;
        b.params.forEach((p) => visitExpr(p, parent));
        const arms = ARMS[b.path.original];
        if (!arms) {
          visit(b.program, parent);
          visit(b.inverse, parent);
          continue;
        }
        const chained = (program as { chained?: boolean }).chained === true;
        const block = `{{${chained ? 'else ' : '#'}${b.path.original} ${b.params.map(exprText).join(' ')}}}`;
        const condition = `${b.path.original}|${b.params.map(exprText).join(' ')}`;
        arms.forEach((arm, i) => {
          const body = i === 0 ? b.program : b.inverse;
          const key = `${id}|${branchKey(b.loc, arm)}`;
          out.push({
            key,
            kind: b.path.original as TemplateBranch['kind'],
            arm,
            line: (i === 0 ? b.loc.start.line : (body?.loc?.start.line ?? b.loc.start.line)) || b.loc.start.line,
            column: b.loc.start.column + 1,
            label: armLabel(block, arm),
            signature: `${condition}|${arm}|${body ? printAst(body) : ''}`,
            ...(parent ? { parent } : {}),
          });
          visit(body, key);
        });
      } else if (node.type === 'PartialStatement' || node.type === 'PartialBlockStatement') {
        (node as hbs.AST.PartialStatement).params.forEach((p) => visitExpr(p, parent));
      }
    }
  };
  visit(parseTemplate(source), undefined);
  return out;
}

/** The entry of a partial, a branch of its own: reached when any render includes it. */
export function partialEntry(name: string): TemplateBranch {
  return {
    key: `p:${name}|entry`,
    kind: 'partial',
    arm: 'entry',
    line: 1,
    column: 1,
    label: `the partial {{> ${name}}}`,
    signature: `partial|${name}`,
  };
}

let recorder: Set<string> | undefined;

/** Run `fn` (synchronous renders) and add the key of every branch it takes to `into`. */
export function recordBranches<T>(into: Set<string>, fn: () => T): T {
  const outer = recorder;
  recorder = into;
  try {
    return fn();
  } finally {
    recorder = outer;
  }
}

/** The coverage env's `{{__chirpHit}}`: adds the key to the recording set, if any. */
export function recordHit(key: string): void {
  recorder?.add(key);
}

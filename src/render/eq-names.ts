// `eq` names itself: the renderer gives each `eq` call its text as written and the field it compares,
// so a refusal (helpers.ts, eqRefusal) names them (`(eq plan "pro") compares "pro " with "pro"`).
import { EQ_CALL, EQ_FIELD, EQ_NAME } from './helpers.js';
import { isPath, stringLiteral, type Expr } from './parse.js';

/** An expression as the author wrote it, for a message: `plan`, `"pro"`, `(trim plan)`. */
function written(e: Expr): string {
  if (isPath(e)) return e.original;
  if (e.type === 'StringLiteral') return JSON.stringify((e as hbs.AST.StringLiteral).value);
  if (e.type === 'SubExpression') {
    const call = e as hbs.AST.SubExpression;
    return `(${[call.path, ...call.params].map(written).join(' ')})`;
  }
  return String((e as { original?: unknown }).original);
}

/** Gives an `eq` call its own text and the field it compares (the first path among its arguments, else inside them). */
export function nameEq(
  call: { path: Expr; params: Expr[]; hash: hbs.AST.Hash },
  label: (p: hbs.AST.PathExpression) => string,
  checked: (e: Expr) => e is hbs.AST.PathExpression,
): void {
  const loc = (call as unknown as { loc: hbs.AST.SourceLocation }).loc;
  const pathOf = (e: Expr): hbs.AST.PathExpression | undefined =>
    checked(e) ? e : e.type === 'SubExpression' ? (e as hbs.AST.SubExpression).params.map(pathOf).find(Boolean) : undefined;
  const path = call.params.map(pathOf).find(Boolean);
  const pair = (key: string, value: string): hbs.AST.HashPair => ({ type: 'HashPair', key, value: stringLiteral(value, loc), loc });
  call.hash = call.hash ?? { type: 'Hash', pairs: [], loc };
  call.hash.pairs.push(pair(EQ_CALL, written(call as unknown as Expr)));
  // The field as the row names it (`items[].kind`), and as the template writes it (`kind`, for the way out).
  if (path !== undefined) call.hash.pairs.push(pair(EQ_FIELD, label(path)), pair(EQ_NAME, path.original));
}

/** Names every `eq` call inside an expression (a block's arguments, which are not otherwise rewritten). */
export function nameEqsIn(e: Expr, label: (p: hbs.AST.PathExpression) => string, checked: (e: Expr) => e is hbs.AST.PathExpression): void {
  if (e.type !== 'SubExpression') return;
  const call = e as hbs.AST.SubExpression;
  if (isPath(call.path) && call.path.original === 'eq') nameEq(call, label, checked);
  call.params.forEach((p) => nameEqsIn(p, label, checked));
}

// Helper calls whose literal arguments make them print nothing a reader can use: `{{default p ""}}`
// renders "Hi ," for a row without `p` (the fallback is blank), `{{truncate name 1}}` renders "Hi …"
// (one code point, and the ellipsis takes it). Found at validate time from the template's syntax tree.

/** Blank as the renderer's isBlank has it: spaces and invisible characters only. */
const BLANK = /^[\s\p{Default_Ignorable_Code_Point}\u2800]*$/u;

export interface HelperArgProblem {
  message: string;
  hint: string;
  /** 1-based line and 0-based column in the template text (Handlebars' own). */
  line: number;
  column: number;
}

type Call = hbs.AST.MustacheStatement | hbs.AST.SubExpression | hbs.AST.BlockStatement;

function check(call: Call, out: HelperArgProblem[]): void {
  const name = call.path.type === 'PathExpression' ? (call.path as hbs.AST.PathExpression).original : undefined;
  const at = { line: call.loc.start.line, column: call.loc.start.column };
  if (name === 'default') {
    const fallback = call.params[1];
    if (fallback?.type === 'StringLiteral' && BLANK.test((fallback as hbs.AST.StringLiteral).value))
      out.push({
        ...at,
        message: '{{default …}} has a blank fallback: a row without the value renders nothing there ("Hi ,")',
        hint: 'give a fallback a reader can use ({{default nickname "friend"}}), or make the variable required',
      });
  }
  if (name === 'truncate') {
    const [, max, suffix] = call.params;
    const tail =
      suffix === undefined ? 1 : suffix.type === 'StringLiteral' ? [...(suffix as hbs.AST.StringLiteral).value].length : undefined;
    if (max?.type === 'NumberLiteral' && tail !== undefined && (max as hbs.AST.NumberLiteral).value <= tail)
      out.push({
        ...at,
        message: `{{truncate …}} keeps at most ${(max as hbs.AST.NumberLiteral).value} code point(s), suffix included: a longer value renders as the suffix alone ("Hi …")`,
        hint: 'keep at least one character of the value: a limit greater than the suffix length',
      });
  }
}

/** Every such call in a template, in source order. */
export function helperArgProblems(program: hbs.AST.Program): HelperArgProblem[] {
  const out: HelperArgProblem[] = [];
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    const n = node as { type?: string };
    if (n.type === 'MustacheStatement' || n.type === 'SubExpression' || n.type === 'BlockStatement') check(node as Call, out);
    for (const [key, value] of Object.entries(node)) if (key !== 'loc' && value !== null && typeof value === 'object') visit(value);
  };
  visit(program);
  return out;
}

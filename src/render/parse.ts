// Handlebars' parser, with parse errors positioned (TemplateSyntaxError), and the small AST helpers the
// rewrite (template.ts) and the branch listing (branches.ts) share.
import { Handlebars } from './handlebars.js';

export type Expr = hbs.AST.Expression;

export class TemplateSyntaxError extends Error {
  constructor(
    message: string,
    /** 1-based line and column inside the template string. */
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

/** Parse a template, turning Handlebars' parse errors into a positioned TemplateSyntaxError. */
export function parseTemplate(source: string): hbs.AST.Program {
  try {
    return Handlebars.parse(source);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const lineMatch = /line (\d+)/.exec(text);
    const line = lineMatch ? Number(lineMatch[1]) : 1;
    // Jison puts a caret under the problem on the third line of its message.
    const caret = text.split('\n')[2]?.indexOf('^');
    const column = caret !== undefined && caret >= 0 ? caret + 1 : 1;
    const summary = text
      .split('\n')
      .filter((l) => !/^-*\^$/.test(l.trim()))
      .map((l) => l.trim())
      .filter(Boolean)
      .join(' ');
    throw new TemplateSyntaxError(summary.replace(/^Parse error on line \d+: ?/, ''), line, column);
  }
}

export function isPath(e: unknown): e is hbs.AST.PathExpression {
  return (e as { type?: string } | null)?.type === 'PathExpression';
}

export function stringLiteral(value: string, loc: hbs.AST.SourceLocation): hbs.AST.StringLiteral {
  return { type: 'StringLiteral', value, original: value, loc };
}

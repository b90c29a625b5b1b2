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
    /** E_HBS_SYNTAX: Handlebars cannot parse it; E_HBS_PARTIAL_FORM: it parses, but picks a partial chirp cannot check. */
    readonly code: 'E_HBS_SYNTAX' | 'E_HBS_PARTIAL_FORM' = 'E_HBS_SYNTAX',
  ) {
    super(message);
  }
}

/**
 * Parse a template, turning Handlebars' parse errors into a positioned TemplateSyntaxError, and
 * refusing the partial forms chirp cannot check (`refusePartialForms`).
 */
export function parseTemplate(source: string): hbs.AST.Program {
  let program: hbs.AST.Program;
  try {
    program = Handlebars.parse(source);
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
  refusePartialForms(program);
  return program;
}

function refused(node: hbs.AST.Node, message: string): TemplateSyntaxError {
  return new TemplateSyntaxError(message, node.loc.start.line, node.loc.start.column + 1, 'E_HBS_PARTIAL_FORM');
}

/**
 * Which partial a template renders must be written in it, so that validate checks that partial and a
 * plan shows its changes: a name is a word (`{{> signature}}`, `{{> [my sig]}}`) or a string
 * (`{{> "signature"}}`). Refused: a name computed when rendering (`{{> (lookup . "p")}}`: the data
 * would pick the partial), an `@data` name, another literal, a partial block (`{{#> x}}…{{/x}}`: its
 * content renders through `@partial-block`, unchecked) and decorators (`{{#*inline "x"}}`: a partial
 * defined in the text, shadowing the file of that name).
 */
function refusePartialForms(program: hbs.AST.Program | undefined): void {
  for (const node of program?.body ?? []) {
    if (node.type === 'BlockStatement') {
      refusePartialForms((node as hbs.AST.BlockStatement).program);
      refusePartialForms((node as hbs.AST.BlockStatement).inverse);
    } else if (node.type === 'PartialBlockStatement') {
      const name = (node as hbs.AST.PartialBlockStatement).name;
      const shown = isPath(name) ? name.original : '…';
      throw refused(
        node,
        `the partial block {{#> ${shown}}}…{{/${shown}}} is not supported: its content would render unchecked; call the partial as {{> ${shown}}}`,
      );
    } else if (node.type === 'DecoratorBlock' || node.type === 'Decorator') {
      throw refused(
        node,
        'decorators and inline partials ({{#*inline "name"}}) are not supported: put the partial in messages/_partials/NAME.hbs and call it as {{> NAME}}',
      );
    } else if (node.type === 'PartialStatement') {
      const name = (node as hbs.AST.PartialStatement).name as Expr;
      if (isPath(name) && !name.data) continue;
      if (name.type === 'StringLiteral') continue;
      throw refused(
        node,
        name.type === 'SubExpression'
          ? 'the partial name is computed when the message renders ({{> (…)}}), so the data could pick any partial, and neither validate nor a plan can see which: write the name, {{> NAME}}'
          : isPath(name)
            ? name.original === '@partial-block'
              ? '{{> @partial-block}} renders the content of a partial block ({{#> x}}…{{/x}}), which chirp does not support: call partials as {{> NAME}}'
              : `the partial name {{> ${name.original}}} comes from @data, not from the catalog: write the name, {{> NAME}}`
            : `the partial name {{> ${String((name as hbs.AST.Literal & { original: unknown }).original)}}} is not a name: write it as a word or a string, {{> NAME}} or {{> "NAME"}}`,
      );
    }
  }
}

export function isPath(e: unknown): e is hbs.AST.PathExpression {
  return (e as { type?: string } | null)?.type === 'PathExpression';
}

export function stringLiteral(value: string, loc: hbs.AST.SourceLocation): hbs.AST.StringLiteral {
  return { type: 'StringLiteral', value, original: value, loc };
}

// Handlebars for chirp, from the package's single-file build (`handlebars/dist/handlebars.js`): the same
// 4.7 parser, compiler and runtime as the CommonJS tree that `import 'handlebars'` loads (33 files, plus
// source-map's 11 for source maps chirp never asks for), in one file: ≈15 ms less at every start
// (issue #22, cold start). The one difference is the source-map stub, used only with a `srcName` option.
// `print` (coverage signatures) is not in that build: it comes from the tree, loaded on first use.
import { createRequire } from 'node:module';
import type HandlebarsModule from 'handlebars';

const require = createRequire(import.meta.url);

/** The Handlebars namespace (`parse`, `create`, ...). */
export const Handlebars = require('handlebars/dist/handlebars.js') as typeof HandlebarsModule;

let printer: { print(node: hbs.AST.Program): string } | undefined;

/** Handlebars' own `print` of an AST (its printer is loaded the first time: coverage and plans only). */
export function printAst(node: hbs.AST.Program): string {
  printer ??= require('handlebars/dist/cjs/handlebars/compiler/printer.js') as { print(node: hbs.AST.Program): string };
  return printer.print(node);
}

// `npm run docs:codes`: rewrite the code table in docs/cli.md (between the codes markers) from
// src/errors.ts, the one table of codes. test/unit/codes.test.ts fails when the two drift apart.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { errorExitCode } from '../src/cli/exit-codes.js';
import { CODES, type DiagnosticCode } from '../src/errors.js';

const DOC = fileURLToPath(new URL('../docs/cli.md', import.meta.url));
const START = '<!-- codes:start -->';
const END = '<!-- codes:end -->';

const rows = Object.entries(CODES).map(([code, title]) => {
  const exit = code.startsWith('W_') ? '— (warning)' : String(errorExitCode(code as DiagnosticCode));
  return `| \`${code}\` | ${title} | ${exit} |`;
});
const table = ['| code | meaning | as an error, exit |', '| --- | --- | --- |', ...rows].join('\n');
const text = readFileSync(DOC, 'utf8');
const i = text.indexOf(START);
const j = text.indexOf(END);
if (i < 0 || j < i) throw new Error(`${DOC} has no ${START} … ${END} block`);
writeFileSync(DOC, `${text.slice(0, i + START.length)}\n${table}\n${text.slice(j)}`);

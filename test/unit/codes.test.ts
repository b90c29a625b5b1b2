// The one table of codes, both ways: every code in src/errors.ts is documented in docs/cli.md with its
// title and exit code, every documented code exists, and every code is emitted by some code path.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorExitCode } from '../../src/cli/exit-codes.js';
import { CODES, type DiagnosticCode } from '../../src/errors.js';
import { REPO } from '../helpers/cli.js';

function sources(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path, ext) : path.endsWith(ext) ? [path] : [];
  });
}

const documented = new Map<string, { title: string; exit: string }>();
const doc = readFileSync(join(REPO, 'docs/cli.md'), 'utf8');
const table = doc.slice(doc.indexOf('<!-- codes:start -->'), doc.indexOf('<!-- codes:end -->'));
for (const match of table.matchAll(/^\| `([EW]_[A-Z0-9_]+)` \| (.+?) \| (.+?) \|$/gm))
  documented.set(match[1]!, { title: match[2]!, exit: match[3]! });

describe('the code table', () => {
  it('documents every code with its title and exit code', () => {
    expect([...documented.keys()].sort()).toEqual(Object.keys(CODES).sort());
    for (const [code, title] of Object.entries(CODES)) {
      expect(documented.get(code)?.title, code).toBe(title);
      const exit = code.startsWith('W_') ? '— (warning)' : String(errorExitCode(code as DiagnosticCode));
      expect(documented.get(code)?.exit, code).toBe(exit);
    }
  });

  it('has no code that nothing emits', () => {
    // Code paths name codes in TypeScript, or in the schemas' rule annotations (`chirpRule`).
    const files = [
      ...sources(join(REPO, 'src'), '.ts').filter((f) => !f.endsWith('errors.ts')),
      ...sources(join(REPO, 'schemas'), '.json'),
    ];
    const text = files.map((f) => readFileSync(f, 'utf8')).join('\n');
    const unused = Object.keys(CODES).filter((code) => !text.includes(`'${code}'`) && !text.includes(`"${code}"`));
    expect(unused).toEqual([]);
  });
});

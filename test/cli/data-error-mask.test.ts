// A data file's syntax error is printed by render and send (terminal, CI log): it names the row, line
// and field, never the field's value (a receiver's number quoted by csv-parse's own wording).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { makeCatalog } from '../helpers/catalog.js';

const MESSAGE = `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
  name: { type: string }
required: [phone, name]
body:
  type: text
  text:
    text: "Hi {{name}}"
`;

describe('a CSV syntax error quotes no value', () => {
  it('a stray quote after a phone number: the error names row and field, not the number', async () => {
    const root = makeCatalog({ 'messages/m.yaml': MESSAGE });
    const data = join(root, 'rows.csv');
    writeFileSync(data, 'phone,name\n+31612345678,Ada\n+31612345679",Bob\n');
    for (const args of [
      ['render', 'm', '--data', data],
      ['send', 'm', '--data', data, '--dry-run'],
    ]) {
      const result = await runCli(args, { cwd: root });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/CSV syntax error in row 2: Invalid Opening Quote: a quote is found on field 0/);
      expect(result.stdout + result.stderr).not.toContain('612345679');
    }
  });
});

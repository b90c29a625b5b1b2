// The names check behind E_COLUMN_NAME: which data names read as a declared variable.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { columnNameCheck, foldName, oneEdit } from '../../src/render/column-names.js';
import type { Row } from '../../src/types.js';

const csv = (columns: string[]): Row => ({ index: 1, line: 2, values: {}, columns });
const json = (values: Record<string, unknown>): Row => ({ index: 1, line: 1, values });
const named = (row: Row, variables = ['phone', 'name', 'vip', 'title']) =>
  columnNameCheck(variables)(row).map((p) => `${p.field ?? ''}→${/the variable "([^"]+)"/.exec(p.message)?.[1] ?? ''}`);

describe('oneEdit', () => {
  it('one replaced, inserted, removed or two neighbours swapped; not zero or two edits', () => {
    for (const [a, b] of [
      ['vipp', 'vip'],
      ['vp', 'vip'],
      ['vop', 'vip'],
      ['ivp', 'vip'],
      ['vpi', 'vip'],
      ['titel', 'title'],
    ])
      expect(oneEdit(a!, b!), `${a} ${b}`).toBe(true);
    for (const [a, b] of [
      ['vip', 'vip'],
      ['vippp', 'vip'],
      ['pv', 'vip'],
      ['segment', 'vip'],
      ['names', 'nam'],
    ])
      expect(oneEdit(a!, b!), `${a} ${b}`).toBe(false);
  });
});

describe('columnNameCheck', () => {
  it('case, spaces, no-break spaces, invisible and fullwidth forms fold to the variable', () => {
    expect(named(csv(['phone', 'name', 'VIP', ' Title\u00a0']))).toEqual(['VIP→vip', ' Title\u00a0→title']);
    expect(named(csv(['phone', 'name', 'v\u200bip', 'ｔｉｔｌｅ']))).toEqual(['v\u200bip→vip', 'ｔｉｔｌｅ→title']);
    expect(named(json({ phone: '+1', Name: 'Ada' }))).toEqual(['Name→name']);
  });

  it('a near miss counts only for a variable the data lacks, of three letters or more', () => {
    expect(named(csv(['phone', 'name', 'vipp']))).toEqual(['vipp→vip']);
    expect(named(csv(['phone', 'name', 'names', 'vip', 'title', 'titles']))).toEqual([]);
    expect(named(csv(['phone', 'id']), ['phone', 'ip'])).toEqual([]);
  });

  it('unrelated columns and dotted columns of a variable are silent', () => {
    expect(named(csv(['phone', 'name', 'segment', 'notes', 'title.x', 'crm_id']))).toEqual([]);
    expect(named(json({ phone: '+1', name: 'Ada', other: { VIP: true } }))).toEqual([]);
  });

  it('property: any folding of a variable name (case, edge and inner spaces, invisibles) is refused', () => {
    const pad = fc.constantFrom('', ' ', '\u00a0', '\u200b', '\ufeff', '\t', '\u2060');
    fc.assert(
      fc.property(
        fc.constantFrom('vip', 'title', 'name'),
        fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
        pad,
        pad,
        (v, up, a, b) => {
          const spelled = a + [...v].map((c, i) => (up[i] ? c.toUpperCase() : c)).join('') + b;
          fc.pre(spelled !== v);
          expect(named(csv(['phone', spelled]))).toContain(`${spelled}→${v}`);
        },
      ),
    );
    expect(foldName(' V\u200bI\u00a0P ')).toBe('vip');
  });
});

import { describe, expect, it } from 'vitest';
import { RecipientSet } from '../../src/render/recipient-set.js';

describe('RecipientSet', () => {
  it('remembers the first row of every recipient across growth, and tells repeats apart', () => {
    const set = new RecipientSet();
    const n = 50_000;
    for (let i = 1; i <= n; i++) expect(set.firstRowOrAdd(`+3161${String(i).padStart(7, '0')}`, i)).toBe(0);
    expect(set.size).toBe(n);
    for (let i = 1; i <= n; i += 997) expect(set.firstRowOrAdd(`+3161${String(i).padStart(7, '0')}`, n + i)).toBe(i);
    expect(set.firstRowOrAdd('ada@example.com', n + 1)).toBe(0);
    expect(set.firstRowOrAdd('ada@example.com', n + 2)).toBe(n + 1);
  });
});

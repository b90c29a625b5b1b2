// Review of recipient-hard: national numbers in the everyday national format refused as ambiguous.
// Each is the only way people in that country write a mobile number; the "other reading" is a number
// The first rule refused these (E_PHONE_AMBIGUOUS); they are taken as national numbers now.
import { describe, expect, it } from 'vitest';
import { parseRecipient } from '../../src/util/recipient.js';

describe('common national formats are not ambiguous', () => {
  it.each([
    ['CN', '13154262579'], // CN mobile 1xx (11 digits, no trunk) read as +1 315… (US)
    ['CO', '3234572461'], // CO mobile 3xx (10 digits, no trunk) read as +32 (BE)
    ['IT', '3286203091'], // IT mobile 3xx (no trunk)
    ['US', '2037593680'], // US 10 digits read as +20 (EG)
    ['MX', '2205940100'], // MX 10 digits
    ['ES', '690743445'], // ES mobile 6xx (9 digits, no trunk)
  ])('%s %s is taken', (country, text) => {
    const r = parseRecipient(text, country);
    expect(r.ok ? 'ok' : `${r.code}: ${r.reason}`).toBe('ok');
  });
});

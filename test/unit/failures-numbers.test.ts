// Adversarial review: the failures file is fed back with --data; a number must come back as the data wrote it,
// or the resend carries other text than the first send ("amount 1.10" → "amount 1.1").
import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { failuresCsv } from '../../src/send/index.js';
import { readRows } from '../../src/sources/index.js';

describe('failures file', () => {
  it('keeps numbers as the JSON data wrote them', async () => {
    const json = '[{"phone":"+31612345601","amt":1.10,"total":100.0,"nested":{"x":2.50}}]';
    const rows = readRows({ path: '-', displayName: 'd.json', format: 'json', input: Readable.from([Buffer.from(json)]) });
    const csv = await failuresCsv([{ row: 1, recipient: '+31612345601', status: 'unknown', code: 'x', message: 'y' }], rows);
    // Today: "+31612345601,1.1,100,2.5,unknown,x,y"
    // The cells show the numbers as written; chirp_json carries them as numbers, as written (fed back, exact).
    expect(csv.split('\n')[0]).toBe('phone,amt,total,nested.x,chirp_status,chirp_error_code,chirp_error_message,chirp_json');
    expect(csv.split('\n')[1]).toBe(
      '+31612345601,1.10,100.0,2.50,unknown,x,y,"{""phone"":""+31612345601"",""amt"":1.10,""total"":100.0,""nested"":{""x"":2.50}}"',
    );
  });
});

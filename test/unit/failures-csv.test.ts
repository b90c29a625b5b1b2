import { describe, expect, it } from 'vitest';
import { csvCell, failuresCsv } from '../../src/send/failures.js';
import type { Row } from '../../src/types.js';

describe('failures CSV', () => {
  it('defuses cells a spreadsheet would run as formulas, but keeps numbers and phone numbers usable', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('+cmd|calc')).toBe("'+cmd|calc");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('-5')).toBe('-5');
    expect(csvCell('+31612345678')).toBe('+31612345678');
    expect(csvCell('+31 (6) 1234-5678')).toBe('+31 (6) 1234-5678');
    expect(csvCell('Ada, "the first"')).toBe('"Ada, ""the first"""');
    expect(csvCell('\tpadded')).toBe("'\tpadded");
  });

  it('writes original columns (nested ones dotted again) plus status, code and message, in row order', async () => {
    async function* rows(): AsyncGenerator<Row> {
      await Promise.resolve();
      const values = (v: Record<string, unknown>) => Object.assign(Object.create(null) as Record<string, unknown>, v);
      yield { index: 1, values: values({ phone: '+31600000001', address: values({ city: 'Delft' }) }) };
      yield { index: 2, values: values({ phone: '+31600000002', address: values({ city: '=cmd' }) }) };
      yield { index: 3, values: values({ phone: '+31600000003', address: values({ city: 'Ede' }) }) };
    }
    const csv = await failuresCsv(
      [
        { row: 3, recipient: '+31600000003', status: 'unknown', code: 'UND_ERR_SOCKET', message: 'no answer' },
        { row: 2, recipient: '+31600000002', status: 'failed', code: 'InvalidPayload', message: 'bad' },
      ],
      rows(),
    );
    expect(csv).toBe(
      "phone,address.city,chirp_status,chirp_error_code,chirp_error_message\n+31600000002,'=cmd,failed,InvalidPayload,bad\n+31600000003,Ede,unknown,UND_ERR_SOCKET,no answer\n",
    );
  });
});

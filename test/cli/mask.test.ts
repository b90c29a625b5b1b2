// What a send report masks, as the user reads it: every receiver a diagnostic quotes, and nothing
// else — chirp's own numbers (2^53−1, the date-times of sendAt) print as written.
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeBird, type FakeBird } from '../../src/fake-bird/index.js';
import { makeCatalog } from '../helpers/catalog.js';
import { runCli } from '../helpers/cli.js';
import { CANARY_KEY } from '../helpers/send.js';

const MESSAGE = `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
  n: { type: integer }
  day: { type: string }
required: [phone, n, day]
sendAt: { date: "{{day}}", time: "09:00", timeZone: Europe/Amsterdam }
body:
  type: text
  text:
    text: "n={{n}}"
`;

let fake: FakeBird | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('send report masking', () => {
  it('a diagnostic quoting 2^53−1 or a past sendAt prints them as written; the receivers it quotes stay masked', async () => {
    fake = await startFakeBird({ accessKey: CANARY_KEY });
    const future = `${new Date().getUTCFullYear() + 1}-01-05`;
    const root = makeCatalog({
      'messages/m.yaml': MESSAGE,
      'rows.csv': [
        'phone,n,day',
        `+31612345671,9007199254740993,${future}`,
        `+31612345672,1,2020-03-10`,
        `+31 6 1234 567,1,${future}`,
        `+31612345674,2,${future}`,
      ].join('\n'),
    });
    const env = { BIRD_API_URL: fake.url, BIRD_ACCESS_KEY: CANARY_KEY };
    const result = await runCli(['send', 'm', '--data', 'rows.csv', '--journal', 'j', '--dry-run'], { cwd: root, env });
    expect(result.stdout).toContain('row 1: n: 900 7•••• 993 is beyond 2^53−1 (9007199254740991), the largest integer sent exactly');
    expect(result.stdout).toContain('row 2: sendAt: 2020-03-10 09:00 in Europe/Amsterdam (2020-03-10T08:00:00Z) has passed');
    expect(result.stdout).toMatch(/row 3: .*\+31 6•••• 567/);
    expect(result.stdout).not.toMatch(/612345671|1234 567|9007199254740993/);
    const json = await runCli(['send', 'm', '--data', 'rows.csv', '--journal', 'j', '--dry-run', '--format', 'json'], { cwd: root, env });
    const messages = (JSON.parse(json.stdout) as { samples: { invalid: { message: string }[] } }).samples.invalid.map((d) => d.message);
    expect(messages.join('\n')).toContain('2^53−1 (9007199254740991)');
    expect(messages.join('\n')).toContain('(2020-03-10T08:00:00Z)');
    expect(json.stdout).not.toMatch(/612345671|1234 567|9007199254740993/);
    expect(fake.accepted).toHaveLength(0);
  });
});

// Sending at a local time in each recipient's zone: the instant, DST gaps and repeats, invalid zones
// and past times, from the util to a rendered row.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCatalog, prepareMessage, renderMessage, validate, type RenderItem } from '../../src/index.js';
import { isTimeZone, localInstant, rfc3339 } from '../../src/util/index.js';
import { makeCatalog } from '../helpers/catalog.js';

const at = (date: string, time: string, zone: string) => {
  const r = localInstant(date, time, zone);
  return r.ok ? `${rfc3339(r.instant)}${r.shifted ? ` ${r.shifted}` : ''}` : r.reason;
};

describe('localInstant', () => {
  it('reads a wall-clock time in an IANA zone, whatever the machine TZ', () => {
    expect(at('2026-03-10', '09:00', 'Europe/Amsterdam')).toBe('2026-03-10T08:00:00Z');
    expect(at('2026-03-10', '09:00', 'Asia/Kolkata')).toBe('2026-03-10T03:30:00Z');
    expect(at('2026-03-10', '09:00', 'America/Los_Angeles')).toBe('2026-03-10T16:00:00Z');
    expect(at('2026-03-10', '09:00:30', 'UTC')).toBe('2026-03-10T09:00:30Z');
  });

  it('moves a time in a spring-forward gap forward by the gap (02:30 → 03:30)', () => {
    expect(at('2026-03-29', '02:30', 'Europe/Amsterdam')).toBe('2026-03-29T01:30:00Z gap'); // 03:30 CEST
    expect(at('2026-03-08', '02:30', 'America/New_York')).toBe('2026-03-08T07:30:00Z gap'); // 03:30 EDT
    // Lord Howe jumps 30 minutes: 02:15 → 02:45.
    expect(at('2026-10-04', '02:15', 'Australia/Lord_Howe')).toBe('2026-10-03T15:45:00Z gap');
    // The edges of the gap: 01:59 is before it, 03:00 after it.
    expect(at('2026-03-29', '01:59', 'Europe/Amsterdam')).toBe('2026-03-29T00:59:00Z');
    expect(at('2026-03-29', '03:00', 'Europe/Amsterdam')).toBe('2026-03-29T01:00:00Z');
  });

  it('takes the first of a time a fall-back repeats', () => {
    expect(at('2026-10-25', '02:30', 'Europe/Amsterdam')).toBe('2026-10-25T00:30:00Z'); // CEST, not CET
    expect(at('2026-11-01', '01:30', 'America/New_York')).toBe('2026-11-01T05:30:00Z'); // EDT, not EST
  });

  it('refuses zones, dates and times that do not exist', () => {
    expect(at('2026-03-10', '09:00', 'Mars/Olympus')).toMatch(/not an IANA time zone/);
    expect(at('2026-03-10', '09:00', 'Europe/Amsterdam; rm')).toMatch(/not an IANA time zone/);
    expect(at('2026-02-30', '09:00', 'UTC')).toMatch(/does not exist/);
    expect(at('2026-03-10', '24:00', 'UTC')).toMatch(/does not exist/);
    expect(at('10-03-2026', '09:00', 'UTC')).toMatch(/not YYYY-MM-DD/);
    expect(at('2026-03-10', '9am', 'UTC')).toMatch(/not HH:MM/);
    expect(isTimeZone('Europe/Amsterdam')).toBe(true);
    expect(isTimeZone('')).toBe(false);
  });
});

const NOW = () => new Date('2026-03-10T06:00:00Z');

function message(extra = ''): string {
  return `channel: whatsapp
to: "{{phone}}"
sendAt:
  date: "2026-03-10"
  time: "09:00"
  timeZone: "{{tz}}"
${extra}variables:
  phone: { type: string }
  tz: { type: string }
body:
  type: text
  text:
    text: "Good morning"
examples:
  - { phone: "+31612345678", tz: Europe/Amsterdam }
`;
}

async function renderRows(text: string, rows: object[]): Promise<RenderItem[]> {
  const root = makeCatalog({ 'messages/m.yaml': text });
  writeFileSync(join(root, 'rows.json'), JSON.stringify(rows));
  const catalog = await openCatalog({ cwd: root, env: {}, now: NOW });
  const prepared = await prepareMessage(catalog, 'm');
  const items: RenderItem[] = [];
  for await (const item of renderMessage(prepared, { data: { path: join(root, 'rows.json') } })) items.push(item);
  return items;
}

const ROWS = [
  { phone: '+31612345678', tz: 'Europe/Amsterdam' },
  { phone: '+31612345679', tz: 'America/New_York' },
  { phone: '+31612345670', tz: 'Asia/Tokyo' },
  { phone: '+31612345671', tz: 'Europe/Amsterdm' },
];

describe('sendAt per recipient', () => {
  it("schedules each request at 09:00 in the recipient's zone; a past time and an invalid zone are row errors", async () => {
    const items = await renderRows(message(), ROWS);
    expect(
      items.map((i) => (i.kind === 'request' ? i.request.scheduledFor : i.diagnostics.map((d) => `${d.code}:${d.field}`).join())),
    ).toEqual([
      '2026-03-10T08:00:00Z',
      '2026-03-10T13:00:00Z',
      'E_SEND_AT_PAST:tz', // 09:00 in Tokyo was 00:00 UTC, before the run's 06:00
      'E_TIME_ZONE_INVALID:tz',
    ]);
    // The bytes sent are the request's, scheduledFor included.
    for (const i of items) if (i.kind === 'request') expect(i.json).toBe(JSON.stringify(i.request));
  });

  it('`ifPast: now` sends a passed time at once, without scheduledFor', async () => {
    const items = await renderRows(message('  ifPast: now\n'), ROWS.slice(0, 3));
    expect(items.map((i) => (i.kind === 'request' ? (i.request.scheduledFor ?? 'now') : 'invalid'))).toEqual([
      '2026-03-10T08:00:00Z',
      '2026-03-10T13:00:00Z',
      'now',
    ]);
  });

  it('validate checks literal parts at their line, and sendAt with scheduledFor', async () => {
    const bad = message()
      .replace('timeZone: "{{tz}}"', 'timeZone: Europe/Amsterdm')
      .replace('time: "09:00"', 'time: "9:00"')
      .replace('body:', 'scheduledFor: "2026-03-11T09:00:00Z"\nbody:');
    const root = makeCatalog({ 'messages/m.yaml': bad });
    const errors = (await validate({ cwd: root, env: {}, now: NOW })).diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.code, d.pointer, d.line])).toEqual(
      expect.arrayContaining([
        ['E_TIME_ZONE_INVALID', '/sendAt/timeZone', 6],
        ['E_SEND_AT_INVALID', '/sendAt/time', 5],
        ['E_SCHEMA', '/sendAt', 3],
      ]),
    );
  });
});

// A wall-clock time in an IANA time zone as an instant: "09:00 on 2026-03-10 in Europe/Amsterdam".
// Node's own ICU tz data, never the machine's TZ. DST: a time in a spring-forward gap (02:30 when the
// clocks jump from 02:00 to 03:00) moves forward by the gap (03:30); a time a fall-back repeats is
// its first occurrence (as Temporal's `compatible` disambiguation does).

const zones = new Map<string, Intl.DateTimeFormat | null>();

/** The zone's formatter (numeric, 24-hour, every field), or null for a zone ICU does not know. */
function formatter(zone: string): Intl.DateTimeFormat | null {
  let f = zones.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      f = null;
    }
    if (zones.size < 10_000) zones.set(zone, f);
  }
  return f;
}

/** An IANA zone name ICU knows (`Europe/Amsterdam`, `UTC`); offsets and abbreviations like `CET` pass only where ICU has them. */
export function isTimeZone(zone: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone) && formatter(zone) !== null;
}

/** The wall clock of `instant` in the zone, as if it were UTC (ms). */
function wallClock(f: Intl.DateTimeFormat, instant: number): number {
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(instant)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p.year!, p.month! - 1, p.day, p.hour, p.minute, p.second);
}

export type LocalInstant = { ok: true; instant: number; shifted?: 'gap' } | { ok: false; reason: string };

const DAY = 86_400_000;

/** `date` (YYYY-MM-DD) and `time` (HH:MM[:SS]) on the wall clock of `zone`, as an instant. */
export function localInstant(date: string, time: string, zone: string): LocalInstant {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!d) return { ok: false, reason: `date "${date}" is not YYYY-MM-DD` };
  const t = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (!t) return { ok: false, reason: `time "${time}" is not HH:MM (24-hour)` };
  const [y, mo, da, h, mi, s] = [Number(d[1]), Number(d[2]), Number(d[3]), Number(t[1]), Number(t[2]), Number(t[3] ?? 0)];
  const wall = Date.UTC(y, mo - 1, da, h, mi, s);
  const check = new Date(wall);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== da) return { ok: false, reason: `date "${date}" does not exist` };
  if (h > 23 || mi > 59 || s > 59) return { ok: false, reason: `time "${time}" does not exist` };
  const f = formatter(zone);
  if (!f || !isTimeZone(zone)) return { ok: false, reason: `time zone "${zone}" is not an IANA time zone (such as Europe/Amsterdam)` };
  // The zone's offsets a day before and after: any transition near that wall time lies between.
  const before = wallClock(f, wall - DAY) - (wall - DAY);
  const after = wallClock(f, wall + DAY) - (wall + DAY);
  const candidates = [...new Set([before, after])].map((offset) => wall - offset).sort((a, b) => a - b);
  const exact = candidates.find((instant) => wallClock(f, instant) === wall);
  if (exact !== undefined) return { ok: true, instant: exact };
  // In the gap: the wall time never shows; read it with the offset from before the jump.
  return { ok: true, instant: wall - before, shifted: 'gap' };
}

/** RFC 3339 in UTC without milliseconds: `2026-03-10T08:00:00Z`. */
export function rfc3339(instant: number): string {
  return new Date(instant).toISOString().replace(/\.000Z$/, 'Z');
}

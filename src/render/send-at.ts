// `sendAt`: a wall-clock time in each recipient's IANA zone, rendered per row into `scheduledFor`
// (docs/message-format.md#local-send-times).
import type { DiagnosticCode } from '../errors.js';
import type { MessageDefinition } from '../schema/index.js';
import { localInstant, rfc3339, type LocalInstant } from '../util/index.js';
import type { TemplateEnv } from './template.js';

type SendAtResult = { ok: true; scheduledFor?: string } | { ok: false; problem: { code: DiagnosticCode; field: string; message: string } };

/**
 * `sendAt` per row: the local date and time in the row's zone as `scheduledFor`. Each distinct
 * (date, time, zone) is computed once: a million rows in a few zones are a few ICU calls.
 */
export function compileSendAt(
  sendAt: NonNullable<MessageDefinition['sendAt']>,
  env: TemplateEnv,
  now: (() => Date) | undefined,
  /** The variable a part is exactly (`"{{tz}}"` → `tz`), for the row error's column. */
  variableOf: (source: string) => string | undefined,
): (values: object) => SendAtResult {
  const part = (source: string, name: string) => ({
    render: env.compile(source),
    field: variableOf(source) ?? `sendAt.${name}`,
  });
  const date = part(sendAt.date, 'date');
  const time = part(sendAt.time, 'time');
  const zone = part(sendAt.timeZone, 'timeZone');
  const cache = new Map<string, LocalInstant>();
  return (values) => {
    const [d, t, z] = [date.render(values), time.render(values), zone.render(values)];
    const key = `${d}\0${t}\0${z}`;
    let instant = cache.get(key);
    if (!instant) {
      instant = localInstant(d.trim(), t.trim(), z.trim());
      if (cache.size < 100_000) cache.set(key, instant);
    }
    if (!instant.ok) {
      const zoneProblem = instant.reason.startsWith('time zone');
      const field = zoneProblem ? zone.field : instant.reason.startsWith('date') ? date.field : time.field;
      return {
        ok: false,
        problem: { code: zoneProblem ? 'E_TIME_ZONE_INVALID' : 'E_SEND_AT_INVALID', field, message: `sendAt: ${instant.reason}` },
      };
    }
    const at = rfc3339(instant.instant);
    if (now && instant.instant <= now().getTime()) {
      if (sendAt.ifPast === 'now') return { ok: true };
      return {
        ok: false,
        problem: {
          code: 'E_SEND_AT_PAST',
          field: zone.field,
          message: `sendAt: ${d} ${t} in ${z} (${at}) has passed; send earlier, pick a later date, or set \`ifPast: now\` to send it at once`,
        },
      };
    }
    return { ok: true, scheduledFor: at };
  };
}

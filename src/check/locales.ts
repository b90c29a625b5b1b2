// The per-locale and per-time-zone checks of a message file: `locale`, `defaultLocale`, the keys and
// bodies of `translations`, `sendAt`; and the template locale chooser its rendering uses.
import type { CompileOptions } from '../render/index.js';
import { templateLocaleChooser, type TemplateLock } from '../templates/index.js';
import type { MessageDefinition } from '../schema/index.js';
import type { JsonObject } from '../types.js';
import type { DiagnosticCode } from '../errors.js';
import { decodePointer, encodePointer, isObject, isTimeZone, localInstant, normalizeLocale } from '../util/index.js';

type Add = (code: DiagnosticCode, pointer: string, text: string, extra?: { key?: boolean; hint?: string; severity?: 'warning' }) => void;

/** Which body a pointer is in: '' for the default `body`, the locale for `/translations/<locale>/body`, else undefined. */
export function contentScope(pointer: string): string | undefined {
  if (pointer === '/body' || pointer.startsWith('/body/')) return '';
  const segs = decodePointer(pointer);
  return segs[0] === 'translations' && segs[2] === 'body' ? segs[1] : undefined;
}

/** `locale`, `defaultLocale` and the keys of `translations`: tags chirp can normalise, translations that fit the message. */
export function checkLocales(data: JsonObject, translations: JsonObject | undefined, add: Add): void {
  let defaultLocale: string | undefined;
  if (typeof data.defaultLocale === 'string') {
    const n = normalizeLocale(data.defaultLocale);
    if (n.ok) defaultLocale = n.locale;
    else add('E_LOCALE_INVALID', '/defaultLocale', `defaultLocale ${JSON.stringify(data.defaultLocale)} ${n.reason}`);
  }
  if (typeof data.locale === 'string' && !data.locale.includes('{{')) {
    const n = normalizeLocale(data.locale);
    if (!n.ok)
      add('E_LOCALE_INVALID', '/locale', `locale ${JSON.stringify(data.locale)} ${n.reason}`, {
        hint: 'use a variable (`locale: "{{lang}}"`) or a tag such as nl-NL',
      });
  }
  if (!translations) return;
  if (data.template !== undefined && data.template !== null) {
    add(
      'E_TRANSLATION',
      '/translations',
      "a template message has no translations: the template follows the recipient's locale (leave out `template.locale`)",
      { key: true },
    );
    return;
  }
  const bodyType = isObject(data.body) ? data.body.type : undefined;
  for (const [key, translation] of Object.entries(translations)) {
    const pointer = encodePointer(['translations', key]);
    const n = normalizeLocale(key);
    if (!n.ok) add('E_LOCALE_INVALID', pointer, `translation locale ${JSON.stringify(key)} ${n.reason}`, { key: true });
    else if (n.locale !== key)
      add('E_LOCALE_INVALID', pointer, `translation locale "${key}" is not written as BCP-47 says`, {
        key: true,
        hint: `write \`${n.locale}\``,
      });
    else if (n.locale === defaultLocale)
      add('E_TRANSLATION', pointer, `translation ${key} is the default locale: its text is \`body\``, {
        key: true,
        hint: 'remove it, or change `defaultLocale`',
      });
    const body = isObject(translation) ? translation.body : undefined;
    if (isObject(body) && typeof bodyType === 'string' && body.type !== bodyType)
      add(
        'E_TRANSLATION',
        `${pointer}/body/type`,
        `the ${key} body is of type ${JSON.stringify(body.type)}, but the message's body is ${bodyType}: a translation is a whole body of the same type`,
      );
  }
}

/** For a message with `locale`: its templates without a locale choose from the lock's approved locales. */
export function templateLocaleOption(
  definition: MessageDefinition,
  lock: TemplateLock | undefined,
): Pick<CompileOptions, 'templateLocale'> {
  const { defaultLocale, locale } = definition;
  if (!lock || locale === undefined || defaultLocale === undefined) return {};
  return { templateLocale: (template) => templateLocaleChooser(lock, template, defaultLocale, definition.localeFallback ?? 'default') };
}

/** `sendAt`: literal parts checked now (a zone from a column is checked per row); never with `scheduledFor`. */
export function checkSendAt(data: JsonObject, add: Add): void {
  const sendAt = isObject(data.sendAt) ? data.sendAt : undefined;
  if (!sendAt) return;
  if (data.scheduledFor !== undefined && data.scheduledFor !== null)
    add('E_SCHEMA', '/sendAt', '`sendAt` and `scheduledFor` both say when to send: keep one', { key: true });
  const literal = (k: string): string | undefined => {
    const v = sendAt[k];
    return typeof v === 'string' && !v.includes('{{') ? v.trim() : undefined;
  };
  const [date, time, zone] = [literal('date'), literal('time'), literal('timeZone')];
  if (zone !== undefined && !isTimeZone(zone))
    add('E_TIME_ZONE_INVALID', '/sendAt/timeZone', `time zone "${zone}" is not an IANA time zone`, {
      hint: 'use a name such as Europe/Amsterdam or America/New_York',
    });
  const probe = localInstant(date ?? '2026-01-01', time ?? '00:00', 'UTC');
  if (!probe.ok)
    add(
      'E_SEND_AT_INVALID',
      date !== undefined && probe.reason.startsWith('date') ? '/sendAt/date' : '/sendAt/time',
      `sendAt: ${probe.reason}`,
    );
}

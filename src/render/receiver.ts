// Who a rendered `receiver:` names, normalised as `to` is: the same person in another spelling
// (`+31 6 1234 5678`, `0031612345678`, `06 12345678` with NL) is one recipient, sent once and keyed
// once in the journal, and Bird gets the E.164 form, never a national number it would read in
// some country of its own choosing. An e-mail address is one recipient in any case (`Ada@x.com`,
// `ada@X.COM`): keyed case-folded, sent as written (its domain lower-cased).
import type { JsonObject } from '../types.js';
import { isObject, parseRecipient, recipientIdentity } from '../util/index.js';

export type ReceiverRecipient =
  | {
      ok: true;
      /**
       * The journal's recipient: the first contact's identifier as normalised (an e-mail address
       * case-folded whole: recipientIdentity), its id, or the receiver's JSON.
       */
      recipient: string;
      /** The identifier the receiver now carries (normalised, an address in the case written), when it is not `recipient`. */
      spelling?: string;
      /** The receiver with its first contact's identifierValue normalised, when that changed it. */
      receiver?: JsonObject;
      /** The identifier as the receiver wrote it, when that is not `recipient` (what earlier chirp versions keyed on). */
      alias?: string;
    }
  | { ok: false; message: string; code?: 'E_PHONE_AMBIGUOUS' };

/** Identifier kinds whose values are phone numbers or e-mail addresses (absent: told by the value). */
const KINDS: Record<string, 'phone' | 'email'> = { phonenumber: 'phone', emailaddress: 'email' };

/** Whether an identifierKey names a phone number or an e-mail address (absent: told by the value): the identifiers chirp normalises. */
export function namesPerson(key: unknown): boolean {
  return key === undefined || (typeof key === 'string' && Object.hasOwn(KINDS, key));
}

export function receiverRecipient(receiver: JsonObject, defaultCountry: string | undefined): ReceiverRecipient {
  const contacts = receiver.contacts;
  const contact: unknown = Array.isArray(contacts) ? contacts[0] : undefined;
  if (!isObject(contact)) return { ok: true, recipient: JSON.stringify(receiver) };
  const value = contact.identifierValue;
  if (typeof value !== 'string') return { ok: true, recipient: typeof contact.id === 'string' ? contact.id : JSON.stringify(receiver) };
  const key = contact.identifierKey;
  // Another kind of identifier (a customer id, a platform's own): compared as written.
  if (!namesPerson(key)) return { ok: true, recipient: value };
  const parsed = parseRecipient(value, defaultCountry);
  if (!parsed.ok)
    return {
      ok: false,
      message: `recipient "${value}" ${parsed.reason}${parsed.hint ? `; ${parsed.hint}` : ''}`,
      ...(parsed.code ? { code: parsed.code } : {}),
    };
  const want = typeof key === 'string' ? KINDS[key] : undefined;
  if (want !== undefined && parsed.recipient.kind !== want)
    return {
      ok: false,
      message: `recipient "${value}" is ${parsed.recipient.kind === 'email' ? 'an e-mail address' : 'a phone number'}, but its identifierKey is ${String(key)}`,
    };
  const normal = parsed.recipient.value;
  const recipient = recipientIdentity(parsed.recipient);
  const spelling = normal === recipient ? {} : { spelling: normal };
  if (normal === value) return value === recipient ? { ok: true, recipient } : { ok: true, recipient, ...spelling, alias: value };
  const rest = (contacts as JsonObject[]).slice(1);
  return {
    ok: true,
    recipient,
    ...spelling,
    alias: value,
    receiver: { ...receiver, contacts: [{ ...(contact as JsonObject), identifierValue: normal }, ...rest] },
  };
}

/** A rendered receiver with its first contact's identifierValue spelled `value`. */
export function respelled(receiver: unknown, value: string): JsonObject {
  const contacts = (receiver as { contacts: JsonObject[] }).contacts;
  return { ...(receiver as JsonObject), contacts: [{ ...contacts[0], identifierValue: value }, ...contacts.slice(1)] };
}

/** The column a receiver's first `identifierValue: "{{phone}}"` reads (`variable` of a whole-value template), so a bad number names it. */
export function receiverColumn(receiver: unknown, variable: (template: string) => string | undefined): string {
  const first: unknown = (receiver as { contacts?: unknown[] } | undefined)?.contacts?.[0];
  const value = first !== null && typeof first === 'object' ? (first as Record<string, unknown>).identifierValue : undefined;
  return (typeof value === 'string' ? variable(value) : undefined) ?? 'receiver';
}

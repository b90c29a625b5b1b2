// Recipient identifiers: phone numbers normalised to E.164 with libphonenumber-js, e-mail addresses
// lower-cased at the domain. A number that cannot be a real one, or whose digits are two real numbers,
// and an address that hides another one, are refused with the reason, never "fixed" into a different one.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { CountryCode, PhoneNumber } from 'libphonenumber-js/min';
import type * as PhoneLib from 'libphonenumber-js/min';
import { emailProblem } from './email.js';
import { e164FastPath } from './phone-fast.js';

/** What a written phone number may contain: digits, one leading +, and the usual separators. */
const PHONE_CHARS = /^\+?[\d\s\-.()/\u00a0\u2010-\u2015]+$/;
const E164 = /^\+[1-9]\d{6,14}$/;

export type Recipient = { kind: 'phone' | 'email'; value: string };
export type RecipientResult =
  | { ok: true; recipient: Recipient }
  /** `code`: a refusal with a code of its own (else the caller's, E_RECEIVER_INVALID). */
  | { ok: false; reason: string; hint?: string; code?: 'E_PHONE_AMBIGUOUS' };

// The "min" metadata (~80 kB): country codes, lengths and leading digits, which is what isValid()
// needs to refuse a number that cannot exist. "max" (~155 kB, the ranges in use per number type) loads
// slower (≈5–10 ms more): it is read only to settle a number written without + whose digits are also an
// international number (otherReading), and then once. Loaded on first use, so commands that never see a phone number do not pay for it, and only
// the three functions chirp calls: the package's entry points load AsYouType, findNumbers and the rest
// too (≈27 ms for its CommonJS entry, ≈42 ms for its ESM graph; these files take about half of that).
// Should a release move them, the public CommonJS entry is used instead.
type Lib = Pick<typeof PhoneLib, 'parsePhoneNumberFromString' | 'validatePhoneNumberLength' | 'isSupportedCountry'> & {
  /** The pattern of the national prefix libphonenumber strips after this calling code; null: none; undefined: unknown code. */
  nationalPrefixPattern?: (callingCode: string) => RegExp | null | undefined;
  /** The number an international `+<digits>` is by the full ("max") metadata, when valid there; loaded on first use. */
  validByFullMetadata: (text: string) => string | undefined;
};
let lib: Lib | undefined;
function phoneLib(): Lib {
  lib ??= loadPhoneLib();
  return lib;
}

type MetadataClass = new (json: unknown) => {
  hasCallingCode(code: string): boolean;
  selectNumberingPlan(code: string): { numberingPlan: { nationalPrefixForParsing(): string | undefined } };
};

type WithMetadata<F> = F extends (...args: infer A) => infer R ? (...args: [...A, unknown]) => R : never;

const require = createRequire(import.meta.url);
/** The package's folder and its min metadata; null when they cannot be read (then the public entry is used). */
let files: { dir: string; metadata: unknown } | null | undefined;
function phoneFiles(): { dir: string; metadata: unknown } | null {
  if (files === undefined) {
    try {
      const dir = dirname(require.resolve('libphonenumber-js/package.json'));
      files = { dir, metadata: require(join(dir, 'metadata.min.json')) as unknown };
    } catch {
      files = null;
    }
  }
  return files;
}

/**
 * Whether an E.164 number is valid as written, by the library's own metadata (false: ask the library).
 * It needs only the metadata: the library's code (≈40 files) loads when a number needs it, so a
 * catalog whose examples are plain E.164 numbers never loads it (issue #22, cold start).
 */
let fastE164: ((value: string) => boolean) | null | undefined;
function validE164(value: string): boolean {
  if (fastE164 === undefined) {
    const found = phoneFiles();
    const layout = found !== null && LIBRARY_FILES.every((file) => existsSync(join(found.dir, file)));
    fastE164 = (layout && e164FastPath(found.metadata)) || null;
  }
  return fastE164 !== null && fastE164(value);
}
/** The files loadPhoneLib takes the three functions from. */
const LIBRARY_FILES = ['build/parsePhoneNumber.js', 'build/validatePhoneNumberLength.js', 'build/metadata.js'];

function loadPhoneLib(): Lib {
  try {
    const found = phoneFiles();
    if (!found) throw new Error('no metadata');
    const { dir, metadata } = found;
    const parse = (require(join(dir, 'build/parsePhoneNumber.js')) as { default: WithMetadata<Lib['parsePhoneNumberFromString']> }).default;
    const length = (require(join(dir, 'build/validatePhoneNumberLength.js')) as { default: WithMetadata<Lib['validatePhoneNumberLength']> })
      .default;
    const supported = (require(join(dir, 'build/metadata.js')) as { isSupportedCountry: WithMetadata<Lib['isSupportedCountry']> })
      .isSupportedCountry;
    const Metadata = (require(join(dir, 'build/metadata.js')) as { default: MetadataClass }).default;
    if (typeof parse !== 'function' || typeof length !== 'function' || typeof supported !== 'function' || typeof Metadata !== 'function')
      throw new Error('layout changed');
    const plans = new Map<string, RegExp | null | undefined>();
    let full: unknown;
    return {
      validByFullMetadata: (text) => {
        full ??= require(join(dir, 'metadata.max.json')) as unknown;
        return validNumber(() => parse(text, {}, full));
      },
      nationalPrefixPattern: (callingCode) => {
        if (plans.has(callingCode)) return plans.get(callingCode);
        const meta = new Metadata(metadata);
        let pattern: RegExp | null | undefined;
        if (meta.hasCallingCode(callingCode)) {
          const prefix = meta.selectNumberingPlan(callingCode).numberingPlan.nationalPrefixForParsing();
          pattern = prefix ? new RegExp(`^(?:${prefix})`) : null;
        }
        plans.set(callingCode, pattern);
        return pattern;
      },
      parsePhoneNumberFromString: ((text: string, options: object) => parse(text, options, metadata)) as Lib['parsePhoneNumberFromString'],
      validatePhoneNumberLength: ((text: string, options: object) => length(text, options, metadata)) as Lib['validatePhoneNumberLength'],
      isSupportedCountry: ((country: string) => supported(country, metadata)) as Lib['isSupportedCountry'],
    };
  } catch {
    const min = require('libphonenumber-js/min') as typeof PhoneLib;
    return {
      parsePhoneNumberFromString: min.parsePhoneNumberFromString,
      validatePhoneNumberLength: min.validatePhoneNumberLength,
      isSupportedCountry: min.isSupportedCountry,
      validByFullMetadata: (text) =>
        validNumber(() => (require('libphonenumber-js/max') as typeof PhoneLib).parsePhoneNumberFromString(text)),
    };
  }
}

/** The E.164 number a parse gives, when it is a valid number without extension. */
function validNumber(parse: () => PhoneNumber | undefined): string | undefined {
  try {
    const parsed = parse();
    return parsed && !parsed.ext && parsed.isValid() ? parsed.number : undefined;
  } catch {
    return undefined;
  }
}

/** Whether libphonenumber-js knows this ISO 3166-1 alpha-2 country. */
export function isKnownCountry(country: string): boolean {
  return /^[A-Z]{2}$/.test(country) && phoneLib().isSupportedCountry(country);
}

const LENGTH_REASONS: Record<string, string> = {
  TOO_SHORT: 'is too short',
  TOO_LONG: 'is too long',
  INVALID_LENGTH: 'has a length no number there has',
  NOT_A_NUMBER: 'is not a phone number',
  INVALID_COUNTRY: 'has no known country code',
};

function phone(raw: string, defaultCountry: string | undefined): RecipientResult {
  // Already E.164 and plainly valid by the metadata: the library would return the same number.
  if (raw.charCodeAt(0) === 43 /* + */ && validE164(raw)) return { ok: true, recipient: { kind: 'phone', value: raw } };
  if (!PHONE_CHARS.test(raw))
    return {
      ok: false,
      reason:
        'contains characters that are not part of a phone number (only digits, a leading +, spaces, dots, dashes, slashes and brackets)',
    };
  // `00` is the international prefix in most of the world: 0031… is +31….
  const text = raw.startsWith('00') ? `+${raw.slice(2)}` : raw;
  const international = text.startsWith('+');
  if (!international && !defaultCountry) {
    return {
      ok: false,
      reason: 'has no country code',
      hint: 'write it as +<country code><number>, or set `defaultCountry` (e.g. NL) in chirp.config.yaml or in the message',
    };
  }
  const country = international ? undefined : (defaultCountry as CountryCode);
  const { parsePhoneNumberFromString, validatePhoneNumberLength } = phoneLib();
  let parsed: PhoneNumber | undefined;
  try {
    parsed = parsePhoneNumberFromString(text, country ? { defaultCountry: country } : {});
  } catch {
    parsed = undefined;
  }
  const where = international ? '' : ` (read as a number in ${defaultCountry})`;
  if (!parsed) {
    const length = validatePhoneNumberLength(text, country ? { defaultCountry: country } : {});
    return { ok: false, reason: `${LENGTH_REASONS[length ?? 'NOT_A_NUMBER'] ?? 'is not a phone number'}${where}` };
  }
  const region = parsed.country ?? `+${parsed.countryCallingCode}`;
  if (parsed.ext) return { ok: false, reason: 'has an extension, which cannot receive messages' };
  if (!parsed.isPossible()) {
    const length = validatePhoneNumberLength(text, country ? { defaultCountry: country } : {});
    return { ok: false, reason: `${LENGTH_REASONS[length ?? 'INVALID_LENGTH'] ?? 'is not a possible number'} for ${region}${where}` };
  }
  if (!parsed.isValid()) return { ok: false, reason: `is not a valid number for ${region}${where}` };
  const value = parsed.number;
  // libphonenumber-js only returns E.164; the check guards the promise made to the rest of chirp.
  if (!E164.test(value)) return { ok: false, reason: 'is not a phone number' };
  const other = international ? undefined : otherReading(text, value);
  if (other !== undefined) {
    // Where the trunk prefix is 0, the national spelling with it is unambiguous too (no calling code starts with 0).
    const trunk = phoneLib().nationalPrefixPattern?.(parsed.countryCallingCode)?.test('0') ? ' (or the national number with its 0)' : '';
    return {
      ok: false,
      code: 'E_PHONE_AMBIGUOUS',
      reason: `could be two numbers: ${value} read as a number in ${defaultCountry}, or ${other} read as an international number written without its +`,
      hint: `write ${value}${trunk} if the number in ${defaultCountry} is meant, or ${other} if the other one is`,
    };
  }
  return { ok: true, recipient: { kind: 'phone', value } };
}

/**
 * The other number a number written without + or 00 is, when its digits are also a whole international
 * number (`4915112345678` in DE: +49 4915112345678 by DE's lengths, or +49 151 12345678 without its +).
 * Such digits say nothing of which one was meant, so neither is taken (fail closed), but only when both
 * are real numbers: the min metadata knows only lengths and leading digits, so the other reading must be
 * valid by the full ("max") metadata as well, which knows the ranges in use. A trunk 0 starts no calling
 * code: numbers written with it (0612345678 in NL, 015112345678 in DE) have one reading and skip this.
 */
function otherReading(text: string, read: string): string | undefined {
  const digits = text.replace(/\D/g, '');
  if (digits.charCodeAt(0) === 48 /* 0 */) return undefined;
  const plus = `+${digits}`;
  if (plus === read) return undefined;
  // The min metadata first (valid by max is valid by min, as a test holds): the max one loads only for
  // the few numbers whose digits read internationally are a number at all.
  const lib = phoneLib();
  const min = validE164(plus) ? plus : validNumber(() => lib.parsePhoneNumberFromString(plus));
  if (min === undefined || min === read) return undefined;
  const full = lib.validByFullMetadata(plus);
  return full !== undefined && full !== read ? full : undefined;
}

/** Normalise a rendered `to` value: an E.164 phone number or an e-mail address, or the reason it is neither. */
export function parseRecipient(raw: string, defaultCountry?: string): RecipientResult {
  const value = raw.trim();
  if (value.includes('@')) {
    const problem = emailProblem(value);
    if (problem !== undefined) return { ok: false, reason: problem };
    const at = value.lastIndexOf('@');
    return { ok: true, recipient: { kind: 'email', value: value.slice(0, at) + value.slice(at).toLowerCase() } };
  }
  if (value === '') return { ok: false, reason: 'is empty' };
  return phone(value, defaultCountry);
}

/**
 * Who a normalised recipient is, for everything that tells recipients apart (duplicates, journal keys,
 * saved plans, status): a phone number as normalised (E.164), an e-mail address case-folded whole, as the
 * suppression lists compare it (`Ada@x.com` and `ada@X.COM` are one mailbox). The address sent stays
 * as the data wrote it (its domain lower-cased).
 */
export function recipientIdentity(recipient: Recipient): string {
  return recipient.kind === 'email' ? recipient.value.toLowerCase() : recipient.value;
}

/** Normalise a rendered `to` value, or return undefined when it is neither a valid phone number nor an e-mail address. */
export function normalizeRecipient(raw: string, defaultCountry?: string): Recipient | undefined {
  const result = parseRecipient(raw, defaultCountry);
  return result.ok ? result.recipient : undefined;
}

/**
 * The key a suppression list compares on: a phone number as `parseRecipient` normalises it (E.164), an
 * e-mail address case-folded whole (a list may spell the local part in other case than the data).
 * A number already written as `+<digits>` skips the full parse (≈7 µs) when libphonenumber would
 * change nothing in it: its calling code is known and no national prefix follows it (`+310612…`
 * still goes through the parse, which drops the 0). A property test holds this equal to the parse.
 */
export function suppressionKey(raw: string, defaultCountry?: string): RecipientResult {
  const value = raw.trim();
  if (E164.test(value)) {
    const fast = canonicalE164(value);
    if (fast !== undefined) return { ok: true, recipient: { kind: 'phone', value: fast } };
  }
  const parsed = parseRecipient(value, defaultCountry);
  // A `+<digits>` entry that is no valid number can match no recipient chirp sends to: kept as written.
  if (!parsed.ok && E164.test(value)) return { ok: true, recipient: { kind: 'phone', value } };
  if (parsed.ok && parsed.recipient.kind === 'email')
    return { ok: true, recipient: { kind: 'email', value: parsed.recipient.value.toLowerCase() } };
  return parsed;
}

/**
 * Whether a written receiver is a phone number without a country code (`06 1234 5678`): what it names
 * depends on the country it is read in. Not: an e-mail address, `+…` or `00…` (international), or
 * text that is no phone number at all.
 */
export function isNationalNumber(raw: string): boolean {
  const value = raw.trim();
  return value !== '' && !value.startsWith('+') && !value.startsWith('00') && PHONE_CHARS.test(value);
}

/** `value` (E.164-shaped) when libphonenumber's parse would return it unchanged; undefined: parse it. */
function canonicalE164(value: string): string | undefined {
  const lib = phoneLib();
  if (!lib.nationalPrefixPattern) return undefined;
  for (let length = 1; length <= 3; length++) {
    const pattern = lib.nationalPrefixPattern(value.slice(1, 1 + length));
    if (pattern === undefined) continue;
    // Calling codes are prefix-free: the first known one is the one.
    return pattern === null || !pattern.test(value.slice(1 + length)) ? value : undefined;
  }
  return undefined;
}

export { maskRecipient, maskText } from './mask.js';

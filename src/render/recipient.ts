// Recipient identifiers: phone numbers normalised to E.164, e-mail addresses lower-cased at the domain.

const E164 = /^\+[1-9]\d{6,14}$/;
// Deliberately simple: one @, no spaces, a dot in the domain. Bird does the real check.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_NOISE = /[\s\-.()\u00a0]/g;

export type Recipient = { kind: 'phone' | 'email'; value: string };

/** Normalise a rendered `to` value, or return undefined when it is neither E.164 nor an e-mail address. */
export function normalizeRecipient(raw: string): Recipient | undefined {
  const value = raw.trim();
  if (value.includes('@')) {
    if (!EMAIL.test(value)) return undefined;
    const at = value.lastIndexOf('@');
    return { kind: 'email', value: value.slice(0, at) + value.slice(at).toLowerCase() };
  }
  let phone = value.replace(PHONE_NOISE, '');
  if (phone.startsWith('00')) phone = `+${phone.slice(2)}`;
  return E164.test(phone) ? { kind: 'phone', value: phone } : undefined;
}

/** `+31 6•••• 678`: enough to recognise a number in a review, not enough to use it. */
export function maskRecipient(value: string): string {
  if (value.includes('@')) {
    const at = value.lastIndexOf('@');
    const local = value.slice(0, at);
    return `${local.slice(0, 1)}•••@${value.slice(at + 1)}`;
  }
  if (value.length < 8) return '•'.repeat(value.length);
  return `${value.slice(0, 3)} ${value.slice(3, 4)}•••• ${value.slice(-3)}`;
}

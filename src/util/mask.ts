// Masking receivers (phone numbers, e-mail addresses) in texts meant for a log, a pull request or a
// terminal: a problem message may quote a recipient (`recipient "+31612345678" is …`), a Bird error
// may name one. The rule fails closed: every phone-like digit run (7+ digits, with the separators
// people write numbers with) and every e-mail address is masked, except a span that is provably no
// receiver and that reveals nothing from the data:
// - chirp's own constants, as chirp writes them (`2^53−1 (9007199254740991)`): fixed text;
// - an RFC 3339 / ISO 8601 date with a time (`2026-12-07T09:00:00Z`, `2026-12-07 10:00`): a receiver
//   holds no `:`, and a date-time is what sendAt diagnostics quote (a fraction of a second of at most 6
//   digits: a longer one could carry a number, and is masked);
// - a plain number the caller says the text's own location already prints (a diagnostic's row, line
//   and column: `row 1000000: …`).
// Such a span is kept only when no other digit touches it through a separator (`+31 2026-12-07 10:00`
// is masked whole): a number cut in two by a kept span could otherwise show more than its ends.

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

/**
 * `json` (a request's JSON) with a recipient's own identifier masked. An address is one recipient in any
 * case (src/util/recipient.ts, recipientIdentity): the request carries it in the case the data wrote,
 * the recipient is case-folded, so it is matched in any case.
 */
export function maskRecipientIn(json: string, recipient: string): string {
  const text = JSON.stringify(recipient).slice(1, -1);
  const masked = maskRecipient(recipient);
  if (!recipient.includes('@')) return json.replaceAll(text, masked);
  return json.replace(new RegExp(escape(text), 'giu'), masked);
}

/** What may stand between the digits of a written phone number. */
const SEP = String.raw`[\s().\-/\u00a0]`;
const PHONE_RUN = /\+?\d[\d\s().\-/\u00a0]{4,}\d/g;
// The domain part may hold another `@`: two addresses glued together are masked as one (never half).
const EMAIL_RUN = /[^\s@"'<>()[\]]+@[^\s"'<>()[\]]+\.[A-Za-z]{2,}/g;

/** chirp's own texts holding long digit runs (src/util/numbers.ts): printed as written. */
const CONSTANTS = ['2^53−1 (9007199254740991)'];
const DATE_TIME = String.raw`(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])[T ](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,6})?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)?`;
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A kept span: not reached by another digit (or a `+`) through separators, on either side. */
const KEPT = new RegExp(String.raw`(?<![\d+]${SEP}*)(?:${[...CONSTANTS.map(escape), DATE_TIME].join('|')})(?!${SEP}*\d)`, 'g');

export interface MaskOptions {
  /** Numbers the text's own location prints anyway (a diagnostic's row, line, column): kept when a run is exactly one. */
  keep?: readonly (number | undefined)[];
}

/**
 * Every receiver in a text masked: phone-like digit runs (7+ digits) and e-mail addresses, except the
 * spans that are provably no receiver (see the file's head). Reporters apply it unless --reveal.
 */
export function maskText(text: string, options: MaskOptions = {}): string {
  // E-mail addresses first, over the whole text: a kept span inside one must not cut it apart.
  const masked = text.replace(EMAIL_RUN, (m) => maskRecipient(m));
  const keep = new Set((options.keep ?? []).filter((n): n is number => n !== undefined && Number.isSafeInteger(n)).map(String));
  let out = '';
  let last = 0;
  for (const m of masked.matchAll(KEPT)) {
    out += maskRuns(masked.slice(last, m.index), keep) + m[0];
    last = m.index + m[0].length;
  }
  return out + maskRuns(masked.slice(last), keep);
}

function maskRuns(text: string, keep: ReadonlySet<string>): string {
  return text.replace(PHONE_RUN, (m) => {
    if (keep.has(m)) return m;
    const digits = m.replace(/\D/g, '');
    if (digits.length < 7) return m;
    return maskRecipient(`${m.startsWith('+') ? '+' : ''}${digits}`);
  });
}

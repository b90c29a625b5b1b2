// Whether a text is a plausible e-mail address (an RFC 5322 dot-atom addr-spec, with RFC 6531's
// non-ASCII letters), or why not. Not a full check (Bird does that): a refusal of the spellings that
// hide another address from the suppression list and the duplicate check: an invisible or control
// character, a `mailto:` scheme, a trailing dot, a compatibility form (fullwidth letters). Such an
// address is refused, never quietly rewritten into the one it hides.

/** Control, format, unassigned and private-use characters, separators, whitespace, the invisible ones (as src/render/helpers.ts). */
const HIDDEN = /[\p{C}\p{Z}\s\p{Default_Ignorable_Code_Point}\u2800]/u;
/** A dot-atom's atom: RFC 5322 atext, and letters, marks and digits of any script (RFC 6531). */
const ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-\p{L}\p{M}\p{N}]+$/u;
/** A domain label: letters, marks and digits of any script, hyphens inside. */
const LABEL = /^[\p{L}\p{M}\p{N}](?:[\p{L}\p{M}\p{N}-]*[\p{L}\p{M}\p{N}])?$/u;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** Why `value` (trimmed, holding an `@`) is no plausible e-mail address; undefined: it is one. */
export function emailProblem(value: string): string | undefined {
  const hidden = HIDDEN.exec(value);
  if (hidden)
    return `contains an invisible, control or space character (U+${hidden[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}); remove it`;
  const scheme = SCHEME.exec(value);
  if (scheme) return `starts with "${scheme[0]}"; write the address alone`;
  if (value.normalize('NFKC') !== value)
    return 'is not in its composed form (a fullwidth letter, or a letter and a separate accent); type the address again';
  const at = value.indexOf('@');
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  const plain = 'is not an e-mail address (name@domain.tld, without brackets, quotes or a second @)';
  if (at <= 0 || domain.includes('@')) return plain;
  if (value.length > 254 || local.length > 64) return 'is too long for an e-mail address';
  const atoms = local.split('.');
  const labels = domain.split('.');
  if (atoms.includes('') || labels.includes('')) return 'has a dot at the start or end of a part, or two dots in a row';
  if (!atoms.every((a) => ATOM.test(a))) return plain;
  if (labels.some((l) => l.length > 63)) return 'is too long for an e-mail address (a part of its domain has over 63 characters)';
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return plain;
  // A top-level domain is never all digits: `1.2.3.4` is an IP address.
  if (/^\d+$/.test(labels[labels.length - 1]!)) return plain;
  return undefined;
}

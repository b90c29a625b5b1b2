// A fast path for phone numbers already written in E.164 (`+31612345678`), the common case of a
// send list. It answers only "valid, and the library would return this very number" or "not sure";
// every "not sure" (and every invalid number, so the reason stays the library's) goes through
// libphonenumber-js as before. It takes only the branch of the library's own algorithm that is
// plain for such an input (libphonenumber-js 1.x, metadata version 4):
//   - the calling code is the first 1–3 digit prefix the metadata knows (as extractCountryCallingCode);
//   - the code belongs to exactly one country (no NANPA-style choice by leading digits), and is not a
//     non-geographic code;
//   - that country's national prefix for parsing does not match the start of the national number
//     (so nothing would be stripped: the library would keep the digits as written);
//   - the country has no per-type data (the min metadata has it only for shared codes);
//   - the length is one of the country's possible lengths (isPossible) and the national number
//     matches the country's national number pattern (isValid).
// test/unit/phone-fast.test.ts checks it against the library with random and adversarial numbers.

/** The shape of libphonenumber-js's metadata JSON that the fast path reads (version 4). */
interface MetadataJson {
  version?: number;
  country_calling_codes: Record<string, string[]>;
  countries: Record<string, unknown[]>;
  nonGeographic?: Record<string, unknown>;
}

interface Plan {
  /** `^(?:national number pattern)$` */
  valid: RegExp;
  /** `^(?:national prefix for parsing)`, when the country has one. */
  prefix: RegExp | undefined;
  lengths: readonly number[];
}

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * A checker for E.164 input built from the metadata; `undefined` when the metadata is not the
 * layout this was written for (then every number goes through the library).
 */
export function e164FastPath(metadata: unknown): ((value: string) => boolean) | undefined {
  const m = metadata as MetadataJson;
  if (
    m === null ||
    typeof m !== 'object' ||
    m.version !== 4 ||
    typeof m.country_calling_codes !== 'object' ||
    typeof m.countries !== 'object'
  )
    return undefined;
  // Per calling code: the plan of its only country, or null (not sure: shared code, per-type data…).
  const plans = new Map<string, Plan | null>();
  const planFor = (code: string): Plan | null => {
    let plan = plans.get(code);
    if (plan !== undefined) return plan;
    plan = null;
    const countries = m.country_calling_codes[code]!;
    const data = countries.length === 1 ? m.countries[countries[0]!] : undefined;
    if (Array.isArray(data) && data[0] === code && typeof data[2] === 'string' && Array.isArray(data[3]) && !data[11]) {
      const national = data[5];
      const forParsing = data[7] || national;
      if (forParsing === undefined || forParsing === 0 || typeof forParsing === 'string') {
        plan = {
          valid: new RegExp(`^(?:${data[2]})$`),
          prefix: typeof forParsing === 'string' && forParsing !== '' ? new RegExp(`^(?:${forParsing})`) : undefined,
          lengths: data[3] as number[],
        };
      }
    }
    plans.set(code, plan);
    return plan;
  };
  return (value) => {
    if (!E164.test(value)) return false;
    for (let end = 2; end <= 4; end++) {
      const code = value.slice(1, end);
      if (Object.hasOwn(m.country_calling_codes, code)) {
        const plan = planFor(code);
        if (plan === null) return false;
        const national = value.slice(end);
        if (plan.prefix?.test(national)) return false;
        return plan.lengths.includes(national.length) && plan.valid.test(national);
      }
      if (m.nonGeographic && Object.hasOwn(m.nonGeographic, code)) return false;
    }
    return false;
  };
}

/**
 * Member names a message definition may not use (`E_PROTO_KEY`): `__proto__` is no member of a plain
 * object but its prototype, so `out["__proto__"] = v` builds a request JSON.stringify would print
 * without it; `constructor` and `prototype` name what every object inherits. Refused where a
 * definition is read (src/catalog/yaml-source.ts) and again where it is compiled (src/render/compile.ts).
 */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

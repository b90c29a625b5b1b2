// Instances generated from a JSON Schema, branch by branch: one minimal instance, then one instance
// per choice a schema offers (each oneOf/anyOf branch, enum value, nullable, optional property) with
// everything else minimal. Enough to meet every branch once; not a full product of choices.
// Understands JSON Schema draft-07 and the OpenAPI 3.0 bits Bird uses (`nullable`, `discriminator`).
type Schema = Record<string, unknown>;
type Json = unknown;

export interface SchemaSet {
  /** The document a ref without a file part resolves in, and the way to find other documents. */
  docs: Map<string, Schema>;
}

interface Where {
  doc: string;
  schema: Schema;
}

const MAX_VARIANTS = 60;
const MAX_DEPTH = 14;

function resolvePointer(doc: Schema, pointer: string): Schema {
  let node: unknown = doc;
  for (const raw of pointer
    .replace(/^#?\/?/, '')
    .split('/')
    .filter(Boolean)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = (node as Record<string, unknown>)[seg];
    if (node === undefined) throw new Error(`cannot resolve ${pointer}`);
  }
  return node as Schema;
}

function deref(set: SchemaSet, where: Where): Where {
  let { doc, schema } = where;
  for (let i = 0; i < 20 && typeof schema.$ref === 'string'; i++) {
    const ref = schema.$ref;
    const [file, pointer = ''] = ref.split('#');
    if (file) doc = file;
    const target = set.docs.get(doc);
    if (!target) throw new Error(`unknown document ${doc}`);
    // Siblings of $ref (draft-07 ignores them, chirp uses them for descriptions only).
    schema = absolute(resolvePointer(target, pointer), doc);
  }
  return { doc, schema };
}

const absolutes = new WeakMap<Schema, Schema>();

/** The schema with its local refs (`#/...`) naming their document, so it can be merged into another. */
function absolute(schema: Schema, doc: string): Schema {
  const cached = absolutes.get(schema);
  if (cached) return cached;
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!isObject(node)) return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#') ? `${doc}${v}` : walk(v);
    return out;
  };
  const result = walk(schema) as Schema;
  absolutes.set(schema, result);
  return result;
}

function isObject(v: Json): v is Record<string, Json> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Two schemas as one: properties of both (a shared one must satisfy both), required of both. */
function mergeSchemas(a: Schema, b: Schema): Schema {
  const out: Schema = { ...a, ...b };
  if (a.type !== undefined && b.type === undefined) out.type = a.type;
  const pa = (a.properties ?? {}) as Record<string, Schema>;
  const pb = (b.properties ?? {}) as Record<string, Schema>;
  if (a.properties || b.properties) {
    const props: Record<string, Schema> = { ...pa };
    for (const [k, v] of Object.entries(pb)) props[k] = k in pa ? { allOf: [pa[k]!, v] } : v;
    out.properties = props;
  }
  const required = [...new Set([...((a.required ?? []) as string[]), ...((b.required ?? []) as string[])])];
  if (required.length > 0) out.required = required;
  return out;
}

function uniq(values: Json[], depth = MAX_DEPTH): Json[] {
  const seen = new Set<string>();
  const out: Json[] = [];
  for (const v of values) {
    const key = JSON.stringify(v);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(v);
    }
  }
  // Deep down, a few variants do; near the top every branch counts.
  return depth <= 4 ? out : out.slice(0, MAX_VARIANTS);
}

/** A string a property of this name is expected to hold (what the schema cannot say). */
function stringFor(schema: Schema, name: string | undefined): string {
  const format = schema.format;
  if (format === 'uri') return name === 'url' ? 'https://example.com/offer' : 'https://example.com/media/photo.jpg';
  if (format === 'date-time') return '2030-01-10T10:00:00Z';
  if (format === 'uuid') return 'ce6a2fd6-b2fa-4f5a-a2cd-f3bd15883318';
  if (format === 'email') return 'ada@example.com';
  if (format === 'locale-bcp47') return 'en';
  if (name === 'contentType') return 'application/pdf';
  if (name === 'identifierValue') return '+31612345678';
  if (name === 'currency') return 'EUR';
  if (name === 'projectId' || name === 'id') return 'ce6a2fd6-b2fa-4f5a-a2cd-f3bd15883318';
  if (name === 'version') return 'latest';
  if (name === 'locale') return 'en';
  if (name === 'mediaUrl') return 'https://example.com/media/photo.jpg';
  const min = typeof schema.minLength === 'number' ? schema.minLength : 1;
  return 'x'.repeat(Math.max(min, 1));
}

function typesOf(schema: Schema): string[] {
  const t = schema.type;
  const list = Array.isArray(t) ? (t as string[]) : typeof t === 'string' ? [t] : [];
  if (schema.nullable === true && !list.includes('null')) list.push('null');
  if (list.length === 0 && schema.properties) list.push('object');
  if (list.length === 0 && schema.items) list.push('array');
  return list;
}

function variants(set: SchemaSet, where: Where, name: string | undefined, depth: number): Json[] {
  const { doc, schema } = deref(set, where);
  if (depth > MAX_DEPTH) return [];
  const sub = (s: unknown, n = name): Json[] => variants(set, { doc, schema: s as Schema }, n, depth + 1);
  if ('const' in schema) return [schema.const];
  if (Array.isArray(schema.enum)) return uniq([...(schema.enum as Json[]), ...(schema.nullable === true ? [null] : [])], depth);
  if (Array.isArray(schema.allOf)) {
    // Merge the parts as schemas (a `required` in one part names a property of another), then generate.
    const { allOf: parts, ...rest } = schema;
    const merged = [rest, ...(parts as Schema[]).map((p) => deref(set, { doc, schema: p }).schema)].reduce(mergeSchemas);
    return variants(set, { doc, schema: merged }, name, depth + 1);
  }
  for (const key of ['oneOf', 'anyOf'] as const) {
    if (Array.isArray(schema[key])) {
      const { [key]: branches, discriminator: _d, ...rest } = schema;
      const shared = rest.properties !== undefined || rest.required !== undefined;
      const out = (branches as Schema[]).flatMap((b) =>
        shared ? variants(set, { doc, schema: mergeSchemas(rest, deref(set, { doc, schema: b }).schema) }, name, depth + 1) : sub(b),
      );
      return uniq(schema.nullable === true ? [...out, null] : out, depth);
    }
  }
  const types = typesOf(schema);
  const out: Json[] = [];
  for (const type of types) {
    if (type === 'null') out.push(null);
    else if (type === 'boolean') out.push(true, false);
    else if (type === 'integer' || type === 'number') {
      const min = typeof schema.minimum === 'number' ? schema.minimum : 0;
      out.push(
        type === 'integer'
          ? Math.ceil(min)
          : min + 0.5 <= (typeof schema.maximum === 'number' ? schema.maximum : Infinity)
            ? min + 0.5
            : min,
      );
    } else if (type === 'string') out.push(stringFor(schema, name));
    else if (type === 'array') {
      const items = schema.items ? sub(schema.items, undefined) : ['x'];
      const count = Math.max(typeof schema.minItems === 'number' ? schema.minItems : 1, 1);
      for (const item of items) out.push(Array.from({ length: count }, () => item));
      if (items.length === 0) out.push([]);
    } else if (type === 'object') {
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      const required = (schema.required ?? []) as string[];
      const base: Record<string, Json> = {};
      for (const r of required) if (props[r]) base[r] = sub(props[r], r)[0];
      out.push(base);
      for (const [key, prop] of Object.entries(props)) {
        for (const v of sub(prop, key)) if (v !== undefined) out.push({ ...base, [key]: v });
      }
    }
  }
  return uniq(out, depth);
}

/** The instances of the schema at `ref` (a `$ref` string) in `set`. */
export function samples(set: SchemaSet, doc: string, ref: string): Json[] {
  if (ref.startsWith('#')) ref = `${doc}${ref}`;
  return variants(set, { doc, schema: { $ref: ref } }, undefined, 0);
}

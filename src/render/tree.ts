// The compiled tree of a message definition (compile.ts builds it, renders it per row): its node
// kinds, the frozen constants every row shares, and its JSON serialiser compiled once per node.

export type Node =
  | { kind: 'const'; value: unknown }
  | { kind: 'text'; render: (data: object, locale?: string) => string }
  | { kind: 'typed'; path: string[]; label: string }
  | { kind: 'object'; entries: [string, Node][] }
  | { kind: 'array'; items: Node[] };

/**
 * A constant subtree goes into every row's request as it is, shared: frozen (a copy, so the definition
 * stays the catalog's), so code that changed one row's request in place would throw instead of
 * changing the message of every later row (a template's locale once leaked from the examples so).
 */
export function constant(value: unknown): Node {
  return { kind: 'const', value: deepFreeze(structuredClone(value)) };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** A subtree's JSON from its rendered value (undefined where JSON.stringify leaves the member out). */
export type JsonOf = (value: unknown) => string | undefined;

const stringifyValue: JsonOf = (value) => JSON.stringify(value);

/**
 * JSON.stringify of a rendered subtree, compiled once per node: constant parts and member names are
 * serialised here, once per definition, so a row only serialises what it rendered. The same bytes as
 * JSON.stringify(value) for a value renderNode(node) produced and nothing changed since (fixType):
 * members in the node's order, which is the order renderNode creates them in.
 */
export function compileJson(node: Node): JsonOf {
  switch (node.kind) {
    case 'const': {
      const json = JSON.stringify(node.value);
      return () => json;
    }
    case 'text':
    case 'typed':
      return stringifyValue;
    case 'object': {
      const names = node.entries.map(([k]) => k);
      const quoted = names.map((k) => `${JSON.stringify(k)}:`);
      const parts = node.entries.map(([, child]) => compileJson(child));
      const n = names.length;
      return (value) => {
        const out = value as Record<string, unknown>;
        let json = '';
        for (let i = 0; i < n; i++) {
          const part = parts[i]!(out[names[i]!]);
          if (part === undefined) continue; // JSON.stringify leaves out undefined members
          json += json === '' ? quoted[i]! + part : `,${quoted[i]!}${part}`;
        }
        return `{${json}}`;
      };
    }
    case 'array': {
      const items = node.items.map((child) => compileJson(child));
      return (value) => {
        const out = value as unknown[];
        let json = '';
        for (let i = 0; i < items.length; i++) json += `${i === 0 ? '' : ','}${items[i]!(out[i]) ?? 'null'}`;
        return `[${json}]`;
      };
    }
  }
}

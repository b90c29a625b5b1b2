// Turns a CSV header into a row builder, validating it once so each row is a cheap loop.
import { dataError, nullObject } from './data-error.js';

type Values = Record<string, unknown>;

/** One step of building a row: set `key` on slot `parent` to field `col`, or to a new object (col -1) kept in `slot`. */
interface Step {
  parent: number;
  key: string;
  col: number;
  slot: number;
}

interface Node {
  /** Column index of a leaf, -1 for a group of dotted names. */
  col: number;
  /** Header of the first column placed in this node, for conflict messages. */
  name: string;
  children: Map<string, Node>;
}

export interface RowBuilder {
  width: number;
  build(record: string[]): Values;
}

/** Validates header names (non-empty, unique, no `a` next to `a.b`) and plans the nesting. */
export function planHeader(names: string[], file: string, line: number): RowBuilder {
  const fail = (message: string, field?: string): never => {
    throw dataError(file, message, { line, field });
  };
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    if (name.trim() === '') fail(`column ${i + 1} of the header has no name`);
    const first = seen.get(name);
    if (first !== undefined) fail(`header "${name}" appears twice (columns ${first + 1} and ${i + 1})`, name);
    seen.set(name, i);
  });
  if (!names.some((name) => name.includes('.'))) return flatBuilder(names);

  const root: Node = { col: -1, name: '', children: new Map() };
  names.forEach((name, col) => {
    const parts = name.split('.');
    if (parts.some((part) => part === '')) fail(`header "${name}" has an empty part (check the dots)`, name);
    let node = root;
    parts.forEach((part, depth) => {
      const last = depth === parts.length - 1;
      const existing = node.children.get(part);
      if (existing !== undefined && (last || existing.col >= 0)) {
        fail(`header "${name}" conflicts with "${existing.name}": a name cannot be both a value and an object`, name);
      }
      const next = existing ?? { col: last ? col : -1, name, children: new Map<string, Node>() };
      node.children.set(part, next);
      node = next;
    });
  });
  return nestedBuilder(names.length, flatten(root));
}

function flatBuilder(keys: string[]): RowBuilder {
  const width = keys.length;
  return {
    width,
    build(record) {
      const values = nullObject();
      for (let i = 0; i < width; i++) values[keys[i]!] = record[i];
      return values;
    },
  };
}

function nestedBuilder(width: number, steps: Step[]): RowBuilder {
  const slots: Values[] = [];
  return {
    width,
    build(record) {
      const values = nullObject();
      slots[0] = values;
      for (const step of steps) {
        const target = slots[step.parent]!;
        if (step.col >= 0) {
          target[step.key] = record[step.col];
        } else {
          const child = nullObject();
          target[step.key] = child;
          slots[step.slot] = child;
        }
      }
      return values;
    },
  };
}

/** Depth-first in header order, so keys keep the order of their first column. */
function flatten(root: Node): Step[] {
  const steps: Step[] = [];
  let slots = 1;
  const walk = (node: Node, parent: number): void => {
    for (const [key, child] of node.children) {
      if (child.col >= 0) {
        steps.push({ parent, key, col: child.col, slot: -1 });
      } else {
        const slot = slots++;
        steps.push({ parent, key, col: -1, slot });
        walk(child, slot);
      }
    }
  };
  walk(root, 0);
  return steps;
}

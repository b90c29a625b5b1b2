// Ids for messages, batches and contacts.
import { randomUUID } from 'node:crypto';

/**
 * A random prefix plus a counter: still a well-formed v4 UUID, unique per server. Not
 * randomUUID() per id: Node builds those by concatenation, and V8 keeps each as a tree of
 * string pieces (~500 bytes); holding a few hundred thousand made the batch benchmark GC-bound.
 */
export function uuidSequence(): () => string {
  const prefix = randomUUID().slice(0, 24);
  let next = 0;
  return () => prefix + (next++).toString(16).padStart(12, '0');
}

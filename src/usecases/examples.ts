// A message's examples as data rows: apart from prepare.ts so that `validate --coverage` does not load
// the send stage, the transport and the data readers behind it (prepare.ts re-exports this).
import type { MessageDefinition } from '../check/index.js';
import type { Row } from '../types.js';
import { encodePointer } from '../util/index.js';

/** A message's `examples` as rows (copies: rendering coerces values in place), with their lines when known. */
export async function* exampleRows(
  definition: Pick<MessageDefinition, 'examples'>,
  locate?: (pointer: string) => { line: number },
): AsyncGenerator<Row> {
  await Promise.resolve();
  let index = 0;
  for (const example of definition.examples) {
    index++;
    const line = locate?.(encodePointer(['examples', String(index - 1)])).line;
    yield { index, ...(line !== undefined ? { line } : {}), values: structuredClone(example) };
  }
}

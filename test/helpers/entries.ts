// Spool entries as text: read back from the spool file, a request is its UTF-8 bytes (they go into the
// batch body as they are); from memory, the renderer's string. Both are the same request.
import type { Entry } from '../../src/send/spool.js';

export const entryAsText = (e: Entry): Entry => ({
  ...e,
  json: typeof e.json === 'string' ? e.json : Buffer.from(e.json).toString('utf8'),
});

// A request to an address sent with capitals, as the address's own spelling (lower case) gives it: the
// journal records its hash (src/send/run.ts), so a row re-spelled in another case is the same request.
import type { JsonObject } from '../types.js';
import { shortKey } from '../util/index.js';
import { referenceFor } from './compile.js';
import { respelled } from './receiver.js';

/** The hash of `body` (a saved request: chirp's own reference comes last) sent to `identity` instead of `sent`. */
export function identityHash(messageId: string, body: JsonObject, sent: string, identity: string): string {
  const { reference, ...rest } = body;
  // A reference the message sets itself stays as it is; chirp's own is made from the identifier sent.
  if (typeof reference !== 'string' || reference !== referenceFor(messageId, sent, JSON.stringify(rest)))
    return shortKey(JSON.stringify({ ...body, receiver: respelled(body.receiver, identity) }));
  const json = JSON.stringify({ ...rest, receiver: respelled(rest.receiver, identity) });
  return shortKey(`${json.slice(0, -1)},"reference":${JSON.stringify(referenceFor(messageId, identity, json))}}`);
}

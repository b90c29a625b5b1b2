// A run's header for journals written by hand in unit tests: a finished WhatsApp run of message `m`
// against the fake's origin; each test names what it is about (`planned`, `startedAt`, …).
import type { HeaderFields } from '../../src/journal/records.js';

export function testHeader(fields: Pick<HeaderFields, 'startedAt' | 'planned'> & Partial<HeaderFields>): HeaderFields {
  return {
    runId: 'r1',
    messageId: 'm',
    definitionHash: 'sha256:0',
    dataHash: 'sha256:1',
    chirpVersion: '0.0.0-test',
    channelId: 'c',
    workspace: 'w',
    apiOrigin: 'http://127.0.0.1:9',
    platform: 'whatsapp',
    options: {},
    ...fields,
  };
}

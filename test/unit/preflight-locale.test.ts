// Adversarial review: the send preflight compares a locale's approval by the request's (canonical) tag,
// but the lock keeps Bird's spelling; the locale chooser and the offline checks normalise, the preflight does not.
import { describe, expect, it } from 'vitest';
import { templateChanges } from '../../src/templates/preflight.js';
import type { LockedTemplate } from '../../src/templates/index.js';

const template = (status: string): LockedTemplate =>
  ({
    id: 't',
    status: 'active',
    defaultLocale: 'en',
    variables: {},
    locales: { en: { status: 'active', platformStatuses: [] }, pt_BR: { status, platformStatuses: [] } },
  }) as unknown as LockedTemplate;

describe('preflight', () => {
  it('sees a locale that lost its approval when the lock spells it pt_BR and the request pt-BR', () => {
    // Today: [] — the run goes on.
    expect(templateChanges(template('active'), template('rejected'), 'pt-BR')).not.toEqual([]);
  });
});

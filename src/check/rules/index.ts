// The rules no JSON Schema can say (cross-field, clock), one a file, grouped by platform.
import type { Platform } from '../../types.js';
import { capFrequency } from './cap-frequency.js';
import { carouselMedia } from './carousel-media.js';
import { linkButtons } from './link-buttons.js';
import { listRowIds } from './list-row-ids.js';
import { locationRequest } from './location-request.js';
import { mediaTypes } from './media-types.js';
import { scheduledFor } from './scheduled-for.js';
import type { Rule } from './types.js';

export type { Rule, RuleContext, RuleProblem } from './types.js';
export { scheduledFor } from './scheduled-for.js';

/** Bird's own rules, for every platform. */
const BIRD: Rule[] = [capFrequency, scheduledFor];
const WHATSAPP: Rule[] = [linkButtons, locationRequest, listRowIds, mediaTypes, carouselMedia];

export function rulesFor(platform: Platform): Rule[] {
  return platform === 'whatsapp' ? [...BIRD, ...WHATSAPP] : BIRD;
}

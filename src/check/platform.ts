// Which platform a message goes to, and the checks of that platform: its schema layer (WhatsApp:
// schemas/whatsapp.schema.json) and its rules (src/check/rules/), on top of Bird's generic schema.
import { schemaProblems, validatorFor } from '../schema/index.js';
import type { JsonObject, Platform } from '../types.js';
import { UUID } from './definition.js';
import { rulesFor, type RuleProblem } from './rules/index.js';

export interface PlatformContext {
  /** Alias → channel id. */
  channels: Record<string, string>;
  /** Alias → platform, for channels that name one (the others are WhatsApp). */
  platforms?: Record<string, Platform>;
  /** The clock rules compare with (`scheduledFor`). */
  now: () => Date;
}

/** The platform of a message's `channel` (an alias or an id); WhatsApp unless the config says otherwise. */
export function platformOf(channel: string, ctx: Pick<PlatformContext, 'channels' | 'platforms'>): Platform {
  const platforms = ctx.platforms ?? {};
  if (Object.hasOwn(platforms, channel)) return platforms[channel]!;
  if (UUID.test(channel)) {
    const alias = Object.keys(ctx.channels).find((a) => ctx.channels[a]?.toLowerCase() === channel.toLowerCase());
    if (alias !== undefined && Object.hasOwn(platforms, alias)) return platforms[alias]!;
  }
  return 'whatsapp';
}

/** The schema layer of a platform, if chirp knows one. */
export function platformSchema(platform: Platform): string | undefined {
  return platform === 'whatsapp' ? 'whatsapp' : undefined;
}

/** Problems of a rendered request for `platform`: its schema layer, then its rules (at `now()`). */
export function requestChecker(platform: Platform, now: () => Date): (request: JsonObject) => RuleProblem[] {
  const name = platformSchema(platform);
  const validate = name ? validatorFor(name) : undefined;
  const rules = rulesFor(platform);
  // Read the clock only for a rule that needs it (a Date per row is most of the cost).
  const ctx = {
    get now(): Date {
      return now();
    },
  };
  return (request) => {
    const out: RuleProblem[] = [];
    if (validate && !validate(request))
      out.push(...schemaProblems(validate.errors ?? [], request).map(({ code, pointer, message }) => ({ code, pointer, message })));
    for (const rule of rules) {
      const problems = rule(request, ctx);
      if (problems.length > 0) out.push(...problems);
    }
    return out;
  };
}

/** The checker for a message's rendered requests, from its channel. */
export function messageRequestChecker(definition: { channel: string }, ctx: PlatformContext): (request: JsonObject) => RuleProblem[] {
  return requestChecker(platformOf(definition.channel, ctx), ctx.now);
}

// Saved plans: the exact requests a reviewer approved, sealed with a hash of their own content. The
// seal is a check against accidental edits, not a signature: a reviewed plan's protection is git
// review of the plan file, and the plan records the commit it was made from.
// `chirp send plan.json` sends those bytes without rendering anything again.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { UserError } from '../errors.js';
import { sha256Tagged } from '../util/index.js';
import { identityHash, namesPerson, type RenderItem } from '../render/index.js';
import { normalizeRecipient, recipientIdentity } from '../util/index.js';
import { validatorFor } from '../schema/index.js';
import type { DiagnosticCode } from '../errors.js';
import type { JsonObject, Row } from '../types.js';
import { isObject } from '../util/index.js';

export const PLAN_KIND = 'chirp-plan';

export interface SavedRequest {
  row: number;
  recipient: string;
  /** The request body exactly as rendered and validated. */
  body: Record<string, unknown>;
  /**
   * A `receiver`'s identifier as the data wrote it, or a `to` address as sent, when it is not `recipient`
   * (an address is keyed case-folded): the journal key of earlier chirp versions.
   */
  alias?: string;
}

export interface SavedPlan {
  kind: typeof PLAN_KIND;
  version: 1;
  createdAt: string;
  chirpVersion: string;
  message: string;
  channelId: string;
  workspace: string;
  inputs: { definitionHash: string; dataHash: string; data: string };
  git: { commit: string; dirty: boolean } | null;
  /**
   * The suppression lists the plan was made against (names and content hashes) and how many rows they
   * (and opt-in) kept out. `chirp send plan.json` checks the lists as they are then, whatever these say.
   * Absent in plans of a chirp without consent, and when no list and no opt-in applied.
   */
  suppress?: { lists: { file: string; sha256: string }[]; suppressed: number };
  /**
   * The message's rule for a `sendAt` time that has passed (`ifPast`), so that `chirp send plan.json`
   * after that time does what a fresh send would: `error` refuses the request (nothing is sent), `now`
   * sends it at once. null: the message has no `sendAt` (a `scheduledFor` of its own that has passed
   * goes at once, as Bird does with any past time). Absent in plans of an older chirp: a passed
   * `scheduledFor` is then refused, since chirp cannot tell where it came from.
   */
  sendAt?: { ifPast: 'error' | 'now' } | null;
  /**
   * The message's `defaultCountry` (its own, else the config's) the plan was made with; null: none.
   * `chirp send plan.json` reads the suppression lists' numbers without a country code in it. Absent in
   * plans of an older chirp: then the message's as the catalog holds it at send time.
   */
  defaultCountry?: string | null;
  requests: SavedRequest[];
  /** sha256 of the plan serialised without this field. */
  hash: string;
}

function contentHash(plan: Omit<SavedPlan, 'hash'>): string {
  return sha256Tagged(JSON.stringify({ ...plan, hash: undefined }));
}

export function sealPlan(plan: Omit<SavedPlan, 'hash'>): SavedPlan {
  return { ...plan, hash: contentHash(plan) };
}

export function serializePlan(plan: SavedPlan): string {
  return `${JSON.stringify(plan, null, 1)}\n`;
}

/**
 * A request whose `scheduledFor` has passed by the send's clock, as a fresh send would treat it:
 * from `sendAt` with `ifPast: error` (or a plan that does not say) it is refused; with `ifPast: now`,
 * or a message's own `scheduledFor`, it goes at once (Bird sends a past time at once). The request's
 * bytes stay as reviewed either way.
 */
function passed(plan: SavedPlan, body: Record<string, unknown>, now: Date): { refuse: boolean; message: string } | undefined {
  const at = typeof body.scheduledFor === 'string' ? Date.parse(body.scheduledFor) : Number.NaN;
  if (Number.isNaN(at) || at > now.getTime()) return undefined;
  const when = `its scheduledFor ${String(body.scheduledFor)} has passed (the plan was made at ${String(plan.createdAt)})`;
  if (plan.sendAt === null) return { refuse: false, message: when };
  if (plan.sendAt?.ifPast === 'now') return { refuse: false, message: when };
  const why =
    plan.sendAt === undefined
      ? "this plan does not record the message's `sendAt` rule (an older chirp made it), so chirp cannot tell whether it may go at once"
      : "the message's `sendAt` has `ifPast: error`, so a fresh send would refuse it too";
  return { refuse: true, message: `${when}; ${why}: make the plan again (for a later date, or with \`ifPast: now\` to send it at once)` };
}

/** Whether a file looks like a saved plan (checked before treating a send argument as a message). */
export async function readSavedPlan(path: string): Promise<SavedPlan | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  let plan: SavedPlan;
  try {
    plan = JSON.parse(text) as SavedPlan;
  } catch (error) {
    throw new UserError('E_PLAN_FILE', `${path} is not valid JSON, so it is not a plan chirp wrote`, { cause: error });
  }
  if (plan?.kind !== PLAN_KIND) return undefined;
  if (plan.version !== 1)
    throw new UserError('E_PLAN_FILE', `${path} is a version ${String(plan.version)} plan; this chirp reads version 1`);
  const { hash, ...rest } = plan;
  if (typeof hash !== 'string' || contentHash(rest) !== hash) {
    throw new UserError('E_PLAN_FILE', `${path} was changed after chirp wrote it (its content hash does not match); refusing to send it`);
  }
  // Made by `plan MESSAGE --out` without --data (chirp before this check): its requests go to the examples' numbers.
  if (plan.inputs?.data === 'examples')
    throw new UserError(
      'E_PLAN_FILE',
      `${path} was made from the message's examples, not from data: sending it would message the example numbers; make it again with \`chirp plan ${plan.message} --data FILE --out ${basename(path)}\` (a data file named "examples": give it as ./examples)`,
    );
  return plan;
}

/**
 * The plan's requests as render items, for the send pipeline. Nothing in the file is taken on trust:
 * the seal only catches accidental edits (anyone can recompute it), so every request is validated
 * again like a rendered one, its recipient (the journal key) is read from its own receiver, and a
 * plan with two requests to one recipient, or whose `recipient` fields disagree with the receivers,
 * is refused (invalid rows: nothing is sent).
 */
export async function* planItems(
  plan: SavedPlan,
  file = 'plan',
  platformCheck?: (request: JsonObject) => { code: DiagnosticCode; pointer: string; message: string }[],
  /** The send's clock (a `scheduledFor` that has passed, see `passed`) and where to say what goes at once. */
  timing: { now?: () => Date; warn?: (text: string) => void } = {},
): AsyncGenerator<RenderItem> {
  await Promise.resolve();
  const validate = validatorFor('request');
  const seen = new Map<string, number>();
  let atOnce = 0;
  let index = 0;
  for (const r of Array.isArray(plan.requests) ? plan.requests : []) {
    index++;
    const row: Row = { index, values: {} };
    const invalid = (code: DiagnosticCode, message: string, pointer = ''): RenderItem => ({
      kind: 'invalid',
      row,
      diagnostics: [
        {
          code,
          severity: 'error',
          file,
          line: 0,
          column: 0,
          pointer: `/requests/${index - 1}${pointer}`,
          message: `request ${index}: ${message}`,
          row: index,
        },
      ],
    });
    if (!isObject(r) || !isObject(r.body)) {
      yield invalid('E_REQUEST_INVALID', 'not a request object');
      continue;
    }
    if (!validate(r.body)) {
      const first = validate.errors?.[0];
      yield invalid(
        first?.keyword === 'maxLength' || first?.keyword === 'maxItems' ? 'E_LIMIT' : 'E_REQUEST_INVALID',
        `${first?.instancePath || 'request'} ${first?.message ?? 'is invalid'}`,
        `/body${first?.instancePath ?? ''}`,
      );
      continue;
    }
    // The platform's own limits (WhatsApp's text length, buttons…), as for a rendered request.
    const broken = platformCheck?.(r.body as JsonObject)[0];
    if (broken !== undefined) {
      yield invalid(broken.code, broken.message, `/body${broken.pointer}`);
      continue;
    }
    const contacts = isObject(r.body.receiver) ? r.body.receiver.contacts : undefined;
    const contact: unknown = Array.isArray(contacts) ? contacts[0] : undefined;
    const raw = isObject(contact) ? (typeof contact.identifierValue === 'string' ? contact.identifierValue : contact.id) : undefined;
    const normal = typeof raw === 'string' ? normalizeRecipient(raw) : undefined;
    const sent = normal?.value ?? (typeof raw === 'string' ? raw : undefined);
    // An address is one recipient in any case: keyed case-folded (a plan of an earlier chirp records it as sent).
    const recipient =
      normal !== undefined && namesPerson(isObject(contact) ? contact.identifierKey : undefined) ? recipientIdentity(normal) : sent;
    if (recipient === undefined || (Array.isArray(contacts) && contacts.length !== 1)) {
      yield invalid('E_RECEIVER_INVALID', 'the request needs exactly one receiver contact', '/body/receiver');
      continue;
    }
    // A number or address an earlier chirp wrote as the data spelled it (`06 12345678`): its journal key is
    // that spelling, while this chirp's sends to the same person are keyed on E.164, so neither would see the other.
    const fields = isObject(contact) ? contact : undefined;
    if (
      typeof fields?.identifierValue === 'string' &&
      namesPerson(fields.identifierKey) &&
      normalizeRecipient(fields.identifierValue)?.value !== fields.identifierValue
    ) {
      yield invalid(
        'E_RECEIVER_INVALID',
        `its receiver "${String(raw)}" is not written as chirp sends one (E.164, or an e-mail address): an earlier chirp wrote this plan; make it again with \`chirp plan ${String(plan.message)} --data FILE --out FILE\``,
        '/body/receiver/contacts/0/identifierValue',
      );
      continue;
    }
    if (r.recipient !== recipient && r.recipient !== sent) {
      yield invalid(
        'E_RECEIVER_INVALID',
        `its recipient field (${String(r.recipient)}) is not the receiver the request goes to (${recipient})`,
        '/recipient',
      );
      continue;
    }
    const first = seen.get(recipient);
    if (first !== undefined) {
      yield invalid(
        'W_DUPLICATE_RECIPIENT',
        `a second request to the recipient of request ${first}: a plan sends each recipient one message`,
        '/body/receiver',
      );
      continue;
    }
    const late = timing.now ? passed(plan, r.body, timing.now()) : undefined;
    if (late?.refuse) {
      yield invalid('E_SEND_AT_PAST', late.message, '/body/scheduledFor');
      continue;
    }
    if (late) atOnce++;
    seen.set(recipient, index);
    const json = JSON.stringify(r.body);
    const reference = typeof r.body.reference === 'string' ? r.body.reference : '';
    yield {
      kind: 'request',
      row: { index: typeof r.row === 'number' ? r.row : index, values: {} },
      recipient,
      reference,
      request: r.body as never,
      json,
      ...(typeof r.alias === 'string' ? { alias: r.alias } : sent !== recipient && sent !== undefined ? { alias: sent } : {}),
      ...(sent !== recipient && sent !== undefined
        ? { identityHash: identityHash(String(plan.message), r.body as JsonObject, sent, recipient) }
        : {}),
    };
  }
  // What a fresh send says of a past time it sends at once: nothing would be scheduled. Say so.
  if (atOnce > 0) {
    const one = atOnce === 1;
    const rule = plan.sendAt?.ifPast === 'now' ? " (the message's `sendAt` has `ifPast: now`)" : '';
    timing.warn?.(
      `${atOnce} request${one ? '' : 's'} of ${file} ${one ? 'was' : 'were'} scheduled for a time that has passed since the plan was made (${String(plan.createdAt)}): Bird sends ${one ? 'it' : 'them'} at once${rule}`,
    );
  }
}

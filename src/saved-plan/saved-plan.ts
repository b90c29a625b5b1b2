// Saved plans: the exact requests a reviewer approved, sealed with a hash of their own content.
// `chirp send plan.json` sends those bytes without rendering anything again.
import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { sha256Tagged } from '../util/index.js';
import type { RenderItem } from '../render/index.js';

export const PLAN_KIND = 'chirp-plan';

export interface SavedRequest {
  row: number;
  recipient: string;
  /** The request body exactly as rendered and validated. */
  body: Record<string, unknown>;
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
  if (plan.version !== 1) throw new UserError('E_PLAN_FILE', `${path} is a version ${String(plan.version)} plan; this chirp reads version 1`);
  const { hash, ...rest } = plan;
  if (typeof hash !== 'string' || contentHash(rest) !== hash) {
    throw new UserError('E_PLAN_FILE', `${path} was changed after chirp wrote it (its content hash does not match); refusing to send it`);
  }
  return plan;
}

/** The plan's requests as render items, for the send pipeline. */
export async function* planItems(plan: SavedPlan): AsyncGenerator<RenderItem> {
  await Promise.resolve();
  for (const r of plan.requests) {
    const json = JSON.stringify(r.body);
    const reference = typeof r.body.reference === 'string' ? r.body.reference : '';
    yield { kind: 'request', row: { index: r.row, values: {} }, recipient: r.recipient, reference, request: r.body as never, json };
  }
}

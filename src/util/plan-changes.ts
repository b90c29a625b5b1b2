// Whether a plan changes anything. Here, below the diff stage, so that `chirp`'s exit codes can ask
// without loading the diff stage (and the catalog, the checks and render behind it) at start-up.

/** The parts of a PlanDiff (diff/compare.ts) that say whether it changes anything. */
export interface ChangeCounts {
  summary: { added: number; removed: number; renamed: number; changed: number; problemsIntroduced: number };
  templates?: { changes: readonly unknown[] } | undefined;
  /** Suppression lists or opt-in columns that changed (consent/). */
  consent?: { lists: readonly unknown[]; messages: readonly unknown[] } | undefined;
}

export function hasChanges(plan: ChangeCounts): boolean {
  const s = plan.summary;
  return (
    s.added + s.removed + s.renamed + s.changed > 0 ||
    s.problemsIntroduced > 0 ||
    (plan.templates?.changes.length ?? 0) > 0 ||
    (plan.consent ? plan.consent.lists.length + plan.consent.messages.length > 0 : false)
  );
}

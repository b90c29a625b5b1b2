// The saved-plan stage's public face: other folders import only from here.
export { sealPlan, serializePlan, planItems, readSavedPlan } from './saved-plan.js';
export type { SavedPlan, SavedRequest } from './saved-plan.js';

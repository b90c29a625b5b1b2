// The templates stage's public face: the lock (templates.lock.json), pulling it from Bird, the offline
// checks `validate` runs, the per-row checks at render, the send preflight, and the recipient's text.
export { LOCK_FILE, LOCK_VERSION, localeApproved, resolveVersion, serializeLock } from './lock.js';
export type { LockedButton, LockedLocale, LockedProject, LockedTemplate, LockedVariable, TemplateLock } from './lock.js';
export { parseLock } from './parse-lock.js';
export { DEFAULT_LOCK_MAX_AGE_DAYS, lockFromText, lockPath, readLockFile, staleLockWarning, writeLockFile } from './lock-file.js';
export type { LoadedLock } from './lock-file.js';
export { checkTemplates, lockedTemplateFor, parameterTextProblem, PULL_HINT, templateUses } from './checks.js';
export type { TemplateMessage, TemplateProblem, TemplateUse } from './checks.js';
export { checkRenderedTemplate } from './rows.js';
export type { RenderedTemplateProblem } from './rows.js';
export { pullTemplates } from './pull.js';
export type { PullOptions, PullProblem, PullResult } from './pull.js';
export { preflightRefusal, preflightTemplates, templateChanges, unusedNote } from './preflight.js';
export type { PreflightEntry, PreflightOptions, PreflightUse, TemplatePreflight } from './preflight.js';
export { templateText } from './text.js';
export type { TemplateText, TemplateTextInput } from './text.js';
export { ShapeError } from './shape.js';
export { projectFromBird, templateFromBird } from './bird.js';
export { approvedLocales, templateLocaleChooser, usedTemplateLocales } from './locales.js';

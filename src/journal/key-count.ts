// Counting distinct recipient keys in bounded memory (`journal check`): the journal's compact key index
// (key-index.ts), exact: two keys count once only when they are the same key.
export { KeyIndex as KeyCounter } from './key-index.js';

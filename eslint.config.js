// Type-aware lint over everything tsc sees (src, test, bench, scripts), plus the rules that keep the
// layout (docs/design.md): stages import each other only through index.ts, nothing imports cli/, the
// core never imports the fake Bird, and only cli/ (and dev scripts) touch process or the console.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const STAGES = [
  'catalog',
  'check',
  'schema',
  'render',
  'sources',
  'diff',
  'saved-plan',
  'consent',
  'send',
  'journal',
  'transport',
  'status',
  'report',
  'usecases',
  'templates',
  'preview',
  'util',
  'fake-bird',
  'cli',
];
const throughIndex = (prefix) =>
  STAGES.map((stage) => ({
    group: [`${prefix}${stage}/*`, `!${prefix}${stage}/index.js`],
    message: `Import ${stage}/ through its index.ts (a folder owns its inside).`,
  }));
const noCli = { group: ['**/cli/*', './cli/*'], message: 'Nothing imports cli/: it is the outermost layer.' };
const noFake = { group: ['**/fake-bird/*', './fake-bird/*'], message: 'The library core never imports the fake Bird.' };
const noProcessImport = { name: 'node:process', message: 'Only cli/ touches the process: take what you need as an option.' };
const processGlobals = ['process', { name: 'console', message: 'Only cli/ prints.' }].map((g) =>
  typeof g === 'string' ? { name: g, message: 'Only cli/ touches the process: take env, argv, streams and the clock as options.' } : g,
);

// eslint-disable-next-line no-restricted-syntax -- ESLint reads the default export
export default tseslint.config(
  { ignores: ['dist/**', 'build/**', 'node_modules/**', 'coverage/**', '**/*.js', '!eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  // Files at src/ root (index.ts, types.ts, errors.ts) see stages through their index.ts.
  {
    files: ['src/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noProcessImport], patterns: [...throughIndex('./'), noCli, noFake] }],
      'no-restricted-globals': ['error', ...processGlobals],
      'no-console': 'error',
    },
  },
  // Stage folders: other stages through index.ts, never cli/, never the fake (except the fake itself).
  ...STAGES.filter((s) => s !== 'cli').map((stage) => ({
    files: [`src/${stage}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noProcessImport],
          patterns: [
            ...throughIndex('../').filter((p) => !p.group[0].startsWith(`../${stage}/`)),
            noCli,
            ...(stage === 'fake-bird' ? [] : [noFake]),
          ],
        },
      ],
      'no-restricted-globals': ['error', ...processGlobals],
      'no-console': 'error',
    },
  })),
  {
    files: ['src/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: throughIndex('../').filter((p) => !p.group[0].startsWith('../cli/')) }] },
  },
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  // The GitHub Action's scripts: plain JavaScript that the runner's node runs as is.
  {
    files: ['action/**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false, project: false },
      globals: { process: 'readonly', console: 'readonly', fetch: 'readonly' },
    },
  },
);

// ESLint for the whole repository: typescript-eslint's recommended rules everywhere, the Lit and web-component
// rules on the element floor. `npm run lint` (part of npm test) allows no warning.
import js from '@eslint/js';
import globals from 'globals';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'server/dist/',
      'storybook-static/',
      'node_modules/',
      'custom-elements.json',
      'bench/results/',
      'test/hosts/vue/**/*.vue',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Browser and Node code live side by side (the element, the server, the scripts); each set is real where its code runs.
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    files: ['**/*.worklet.js'],
    languageOptions: { globals: globals.audioWorklet },
  },
  {
    // chai's property assertions (`expect(x).to.exist`) are expressions by design.
    files: ['test/**/*.{ts,tsx,mjs}'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
  {
    files: ['src/element/**/*.ts', 'src/p2p-call.ts', 'stories/**/*.ts'],
    ...lit.configs['flat/recommended'],
  },
  {
    files: ['src/element/**/*.ts', 'src/p2p-call.ts'],
    ...wc.configs['flat/recommended'],
  },
  // The floors: the element builds on the session, the session on signaling; an import never runs back up.
  {
    files: ['src/session/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/element/**'], message: 'The session sits below the element.' }] },
      ],
    },
  },
  {
    files: ['src/signaling/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/element/**', '**/session/**'], message: 'Signaling sits below the session and the element.' },
          ],
        },
      ],
    },
  },
);

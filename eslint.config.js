import js from '@eslint/js'
import vitest from '@vitest/eslint-plugin'
import globals from 'globals'
import tseslint from 'typescript-eslint'
import unicorn from 'eslint-plugin-unicorn'

export default tseslint.config(
  // .scratch/: throwaway projects (npm run size:template).
  { ignores: ['**/dist/**', '**/node_modules/**', 'bench/results/**', '**/*.d.ts', '.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', '*.mjs', 'bench/*.js', 'scripts/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { unicorn },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/non-nullable-type-assertion-style': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      'max-params': ['error', 3],
      'unicorn/filename-case': ['error', { case: 'kebabCase' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@faust/*/src/*', '@faust/*/dist/*'],
              message: 'Import a package by its name, not its files.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Issue 10: a function longer than this splits into named steps, or says beside it
    // (eslint-disable-next-line max-lines-per-function -- <reason>) why it stays whole.
    files: ['packages/*/src/**/*.ts', 'packages/*/src/**/*.tsx'],
    ignores: ['**/*.test.ts', '**/*.test.tsx'],
    rules: {
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // Plain scripts served to browsers as they are.
    files: ['examples/*/*.js'],
    languageOptions: { globals: { ...globals.browser } },
    // wrap_crowd_source.js is the name Mephisto's pages load.
    rules: { 'unicorn/filename-case': 'off' },
  },
  {
    // What the examples share (the Vite preset), type-checked as Node code.
    files: ['examples/shared/**/*.ts'],
    languageOptions: {
      parserOptions: {
        projectService: false,
        project: ['examples/shared/tsconfig.node.json'],
      },
    },
  },
  {
    // The static-form example: a browser page and its Node side (task, Vite config),
    // each with its own tsconfig.
    files: ['examples/static-form/**/*.ts', 'examples/static-form/**/*.tsx'],
    languageOptions: {
      parserOptions: {
        projectService: false,
        project: ['examples/static-form/tsconfig.json', 'examples/static-form/tsconfig.node.json'],
      },
    },
  },
  {
    // The model-in-the-loop example, set up like static-form.
    files: ['examples/model-in-the-loop/**/*.ts', 'examples/model-in-the-loop/**/*.tsx'],
    languageOptions: {
      parserOptions: {
        projectService: false,
        project: [
          'examples/model-in-the-loop/tsconfig.json',
          'examples/model-in-the-loop/tsconfig.node.json',
        ],
      },
    },
  },
  {
    // The chat example, laid out like static-form.
    files: ['examples/chat/**/*.ts', 'examples/chat/**/*.tsx'],
    languageOptions: {
      parserOptions: {
        projectService: false,
        project: ['examples/chat/tsconfig.json', 'examples/chat/tsconfig.node.json'],
      },
    },
  },
  {
    // create-faust's React template: its page and its Node side, each with its tsconfig.
    files: [
      'packages/create-faust/templates/react/**/*.ts',
      'packages/create-faust/templates/react/**/*.tsx',
    ],
    languageOptions: {
      parserOptions: {
        projectService: false,
        project: [
          'packages/create-faust/templates/react/tsconfig.json',
          'packages/create-faust/templates/react/tsconfig.node.json',
        ],
      },
    },
  },
  {
    // The plain-HTML template's page, served to browsers as it is.
    files: ['packages/create-faust/templates/*/page/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The console's browser UI (packages/console/ui) and its Vite config, each with its tsconfig.
    files: ['packages/console/ui/**/*.ts', 'packages/console/ui/**/*.tsx'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: {
        projectService: false,
        project: ['packages/console/ui/tsconfig.json', 'packages/console/ui/tsconfig.node.json'],
      },
    },
    rules: {
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // Tests, and the test kit they share.
    files: ['**/*.test.ts', '**/*.test-d.ts', 'tests/**/*.ts', 'packages/testing/src/**/*.ts'],
    plugins: { vitest },
    rules: {
      ...vitest.configs.recommended.rules,
      'vitest/consistent-test-it': ['error', { fn: 'it' }],
      'vitest/expect-expect': 'off',
      // it.each spreads its rows into parameters.
      'max-params': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
)

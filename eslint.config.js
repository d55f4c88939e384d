import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

// The entries other than the engine reach it by its public name, so that the built entries share
// one engine (its error classes, timers and managers) instead of bundling a copy each.
const NO_PARENT_IMPORTS = {
  regex: '^(\\.\\./)+',
  message: "Import the engine as 'token-refresh-kit', and nothing from another src folder.",
}
const ONLY_THE_ENGINE_ENTRY = {
  regex: '^token-refresh-kit/',
  message: "An entry may import the engine ('token-refresh-kit') only.",
}

export default tseslint.config(
  {
    ignores: [
      'dist',
      'lib',
      'dist-extension',
      'coverage',
      'public/mockServiceWorker.js',
      'tests/e2e/artifacts',
      'reports',
      '.stryker-tmp*',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': ['error', { allow: ['warn', 'error', 'info'] }],
    },
  },
  {
    // The engine is framework-free and HTTP-client-free: no React, no axios, no other entry.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(react|react-dom)(/|$)|^zustand(/react.*)?$',
              message: 'src/core is framework-free: React bindings belong in src/react.',
            },
            {
              group: ['axios', 'axios/*'],
              message: 'src/core has no axios: the interceptor lives in src/axios.',
            },
            {
              regex:
                '^(token-refresh-kit(/|$)|(\\.\\./)+(react|axios|devtools|app|extension)(/|$)|(\\.\\./)+mocks/)',
              message: 'src/core depends on no other entry, on no app and on no mocks.',
            },
          ],
        },
      ],
    },
  },
  {
    // Each other entry reaches the engine through its public name, so that the built entries
    // share one engine (its error classes, timers and managers) instead of bundling a copy each.
    files: ['src/react/**/*.{ts,tsx}', 'src/devtools/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [NO_PARENT_IMPORTS, ONLY_THE_ENGINE_ENTRY],
        },
      ],
    },
  },
  {
    // The bridge names the failures the mocks simulate with their type: types only, so /devtools
    // ships none of the mocks' code (tests/package checks its d.ts needs no msw).
    files: ['src/devtools/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(?!\\.\\./|mocks/auth/failRefreshStatus$)',
              message: NO_PARENT_IMPORTS.message,
            },
            {
              regex: '^(\\.\\./)+mocks/',
              allowTypeImports: true,
              message: 'src/devtools may take types from the mocks, never their code.',
            },
            ONLY_THE_ENGINE_ENTRY,
          ],
        },
      ],
    },
  },
  {
    files: ['src/axios/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            NO_PARENT_IMPORTS,
            {
              regex: '^(token-refresh-kit/|react|zustand|jwt-decode)',
              message: "src/axios may import only axios and the engine ('token-refresh-kit').",
            },
          ],
        },
      ],
    },
  },
  {
    // The app and the extension use the kit as another team would: through its public entries.
    files: ['src/app/**/*.{ts,tsx}', 'src/extension/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(core|axios|react|devtools)(/|$)|^token-refresh-kit/.+/',
              message:
                "Import the kit's public entries: 'token-refresh-kit', 'token-refresh-kit/axios', '/react' or '/devtools'.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['tests/**/*.{ts,tsx}', 'bench/**/*.ts', 'mocks/server.ts'],
    rules: { 'no-console': 'off' },
  },
)

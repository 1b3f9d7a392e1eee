import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Import boundaries (issue 12). `src/` reaches connectors only through the registries, so adding a CRM or
 * a usage source is one entry and one folder; the worker never reaches into the CLI. The same rules
 * are checked, dynamic imports included, by test/unit/boundaries/imports.test.ts.
 */
const REGISTRY_ONLY = {
  regex: String.raw`(^|/)connectors/(?!(index|crm-registry|usage-registry)\.ts$)`,
  message:
    'src/ reaches connectors only through their registries: connectors/index.ts, crm-registry.ts or usage-registry.ts.',
};
const NO_CLI = {
  regex: String.raw`(^|/)cli(/|$)`,
  message: 'The worker does not import the CLI: move what it needs into src/engine or src/config.',
};

export default tseslint.config(
  { ignores: ['node_modules/', 'coverage/', '.data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // The CLI, the benchmark, the eval and the demo own the terminal.
    files: ['src/cli/**', 'bench/**', 'eval/**', 'bin/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['src/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [REGISTRY_ONLY] }] },
  },
  {
    files: ['src/worker/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [REGISTRY_ONLY, NO_CLI] }] },
  },
);

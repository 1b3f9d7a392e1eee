import { defineConfig } from 'vitest/config';

/**
 * Unit tests that start child processes: they check what only separate processes can show (the run lock
 * across processes, the store opened by two processes at once, the CLI end to end), so they run with the
 * end-to-end tests. Name a new one `*.e2e.test.ts` rather than adding it here.
 */
const SPAWNING_UNIT_TESTS = [
  'test/unit/demo/demo-cli.test.ts',
  'test/unit/state/sqlite-store-lifecycle.test.ts',
  'test/unit/state/sqlite-store-lock.test.ts',
  'test/unit/state/sqlite-store-open-race.test.ts',
];

// `npm run test:unit` runs the fast project alone; `npm test` runs both.
export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    env: { TZ: 'UTC' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // Pure code, in-process commands and sqlite files: no emulator, no child process, no fixed port.
          include: ['test/unit/**/*.test.ts'],
          exclude: ['**/*.e2e.test.ts', ...SPAWNING_UNIT_TESTS],
          pool: 'forks',
          // Files share a worker's module cache instead of re-importing zod, the scoring core and the store per
          // file: that import time was half of this project's wall time. So a unit test restores whatever
          // global it changes (environment variables, spies, registry entries) in its own afterEach.
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          // Every folder but test/unit (hubspot, salesforce, worker, contract, ...), plus the spawning unit tests.
          include: ['test/!(unit)/**/*.test.ts', 'test/unit/**/*.e2e.test.ts', ...SPAWNING_UNIT_TESTS],
          // Emulator-backed tests open real ports and sqlite files; files run in parallel, tests inside a file in order.
          pool: 'forks',
        },
      },
    ],
  },
});

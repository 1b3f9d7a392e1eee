import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Emulator-backed tests open real ports and sqlite files; files run in parallel, tests inside a file in order.
    pool: 'forks',
    env: { TZ: 'UTC' },
  },
});

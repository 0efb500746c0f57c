import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // DuckDB, sharp and the loopback servers are real; two workers fit this 2-core machine.
    maxWorkers: 2,
  },
});

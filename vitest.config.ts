import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (pure functions, fixtures; no database) and `store` (anything that opens
 * PostGIS, the API and the browser). Only the second pays for the seeded template database that
 * tests/setup/global.ts builds once per run.
 */
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    // Test files in one worker share its loaded modules (a third of the run went to loading them
    // again per file); nothing a file leaves behind may matter to the next, stores are per file.
    isolate: false,
    testTimeout: 60_000,
    // What a browser test waits for (a redraw, a lazily loaded panel) can take seconds on a loaded 2-core machine.
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 180_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'store',
          include: ['tests/store/**/*.test.ts', 'tests/api/**/*.test.ts', 'tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/setup/global.ts'],
        },
      },
    ],
  },
});

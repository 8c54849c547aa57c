import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'ui/src/**/*.test.ts'],
    // e2e tests spawn real processes; two cores are shared, so keep parallelism modest.
    maxWorkers: 2,
    // They wait on events, never on time; a bound only turns a hang into a failure. On a shared,
    // loaded 2-core machine starting a real pool and its verbs can take longer than 30 s.
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});

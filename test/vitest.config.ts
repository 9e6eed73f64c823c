import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['*.test.ts', 'security/*.test.ts'],
    globalSetup: ['./global-setup.ts'],
    // One browser at a time: the journeys are slow enough without fighting over the CPU,
    // and a quiet machine keeps live-update waits honest.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

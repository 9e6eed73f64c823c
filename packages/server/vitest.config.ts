import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    // scrypt runs on every sign-up and sign-in; a slow CI machine needs the room.
    testTimeout: 15_000,
    hookTimeout: 15_000,
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    restoreMocks: true,
    projects: [
      {
        test: { name: 'unit', include: ['src/**/*.test.ts'], setupFiles: ['test/setup.ts'] },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          setupFiles: ['test/setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // `npm run test:fast` leaves slow tests out (vitest --tags-filter='!slow').
          tags: [{ name: 'slow', description: 'takes tens of seconds: concurrent ingests of 200k-row files' }],
        },
      },
    ],
  },
});

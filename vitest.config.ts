import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    restoreMocks: true,
    projects: [
      {
        test: { name: 'unit', include: ['src/**/*.test.ts'], setupFiles: ['test/setup.ts'] },
      },
      {
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], setupFiles: ['test/setup.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
      },
    ],
  },
});

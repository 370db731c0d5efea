// One test run for the whole project: unit tests beside the code, integration and end-to-end
// tests under test/. Each file runs in its own process so servers and browsers never leak.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{common,server,renderer,electron,test,build}/**/*.test.{ts,tsx}'],
    exclude: ['node_modules/**', 'dist/**'],
    pool: 'forks',
    globalSetup: ['test/support/build-server.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

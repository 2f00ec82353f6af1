import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './fixtures/environment';

/**
 * End-to-end tests. `browser`: Debian's Chromium against `quire serve` serving the renderer's test
 * build (dist/renderer-test/: the product's code plus `window.__quire` for reading the stores;
 * e2e/testHooks.spec.ts checks that the product build has no such global). `electron`: the desktop
 * app itself; those tests report skipped-with-reason when the Electron binary is absent (never
 * passed). The suite builds nothing: run `npm run build:test` first (`npm test` does).
 */
export default defineConfig({
  testDir: '.',
  // Playwright empties this folder when a run starts; QUIRE_E2E_OUTPUT keeps parallel runs apart.
  outputDir: process.env.QUIRE_E2E_OUTPUT ?? '../e2e-results',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  workers: 2,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  use: {
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 15_000,
  },
  projects: [
    {
      name: 'browser',
      testIgnore: ['electron/**'],
      use: {
        browserName: 'chromium',
        launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
      },
    },
    {
      name: 'electron',
      testMatch: ['electron/**/*.spec.ts'],
    },
  ],
});

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// One runner for every unit and integration suite: src/, kernels/ and main/ in Node, renderer/ in a DOM.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['src/**/*.test.ts', 'kernels/**/*.test.ts', 'main/**/*.test.ts', 'scripts/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // Runs in tests (and the CLIs they start) record to a throwaway run index, not the user's.
          env: { QUIRE_DATA_DIR: join(tmpdir(), `quire-test-data-${process.pid}`) },
        },
      },
      {
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          include: ['renderer/**/*.test.ts', 'renderer/**/*.test.tsx'],
          testTimeout: 15_000,
        },
      },
    ],
  },
});

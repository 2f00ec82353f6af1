/**
 * Builds the renderer (renderer/) into dist/renderer/. The HTML template with the CSP lives in
 * assets/index.html; vite's root is assets/ so that file is the entry, and the source is reached
 * through the `/renderer` alias. Monaco's editor worker is bundled as a same-origin module file so
 * `worker-src 'self'` suffices (no eval, no blob: scripts needed).
 */
import { defineConfig } from 'vite';

// No node:path here: renderer/ lint forbids Node modules, and URLs do the job.
const dir = (rel: string): string => decodeURIComponent(new URL(rel, import.meta.url).pathname).replace(/\/$/, '');
const here = dir('.');
const repo = dir('..');
const resolve = (...parts: string[]): string => parts.join('/');

export default defineConfig({
  root: resolve(repo, 'assets'),
  base: './',
  publicDir: false,
  resolve: { alias: { '/renderer': here } },
  server: { fs: { allow: [repo] } },
  worker: { format: 'es' },
  build: {
    outDir: resolve(repo, 'dist/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 8000,
    rollupOptions: { input: resolve(repo, 'assets/index.html') },
  },
});

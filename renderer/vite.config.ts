/**
 * Builds the renderer (renderer/) into dist/renderer/. The HTML template with the CSP lives in
 * assets/index.html; vite's root is assets/ so that file is the entry, and the source is reached
 * through the `/renderer` alias. Monaco's editor worker is bundled as a same-origin module file so
 * `worker-src 'self'` suffices (no eval, no blob: scripts needed).
 *
 * Start-up: the entry (renderer/main.tsx) is small and imports the app (startApp.tsx) dynamically;
 * monaco is a chunk of its own (renderer/monaco/loadMonaco.ts), preloaded from index.html.
 *
 * Two variants. The product (`vite build`, what `npm run build`, `npm start` and `npm run dist`
 * use) into dist/renderer/. The test variant (`vite build --mode test`, built by `npm test` and
 * `npm run bench` only) into dist/renderer-test/: the same app with `__QUIRE_TEST_HOOKS__` true, so
 * it sets `window.__quire` for e2e tests and benchmarks to read the stores (renderer/testHooks.ts).
 * In the product the flag is false and that code is removed from the bundle. `quire serve` serves
 * the test variant only when its environment says so (QUIRE_RENDERER_DIR, set by the test fixtures).
 */
import { defineConfig, type Plugin } from 'vite';

// No node:path here: renderer/ lint forbids Node modules, and URLs do the job.
const dir = (rel: string): string => decodeURIComponent(new URL(rel, import.meta.url).pathname).replace(/\/$/, '');
const here = dir('.');
const repo = dir('..');
const resolve = (...parts: string[]): string => parts.join('/');

/**
 * `<link rel="modulepreload">` in index.html for chunks the app imports dynamically soon after it
 * starts (and what they import): the browser fetches and parses them while the entry and the app
 * load, and only running them waits for the `import()`. Same-origin files, so the CSP is unchanged.
 */
function preloadDynamicChunks(sourceFiles: string[]): Plugin {
  return {
    name: 'quire-preload-dynamic-chunks',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, { bundle }) {
        if (!bundle) return html;
        const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
        // In the order given (the browser parses what arrives first first), without the entry itself.
        const files = new Set<string>();
        const add = (fileName: string): void => {
          const chunk = chunks.find((c) => c.fileName === fileName);
          if (files.has(fileName) || !chunk || chunk.isEntry) return;
          files.add(fileName);
          chunk.imports.forEach(add);
        };
        for (const source of sourceFiles) {
          const chunk = chunks.find((c) => c.isDynamicEntry && c.facadeModuleId === resolve(here, source));
          if (!chunk) throw new Error(`preloadDynamicChunks: no chunk is imported dynamically from ${source}`);
          add(chunk.fileName);
        }
        // Their styles are linked too: vite's import() waits for a chunk's CSS before running it,
        // which would put monaco's evaluation after that round trip instead of in idle time. They go
        // before the entry's own stylesheet, later chunks first, so the cascade is the one a single
        // bundle had (monaco's styles, then the components', then app.css, which wins ties).
        const styles = [...files].reverse().flatMap((f) => [...(chunks.find((c) => c.fileName === f)?.viteMetadata?.importedCss ?? [])]);
        const styleLinks = styles.map((f) => `<link rel="stylesheet" crossorigin href="./${f}">`).join('\n    ');
        const at = html.indexOf('<link rel="stylesheet"');
        return {
          html: at < 0 ? html.replace('</head>', `  ${styleLinks}\n  </head>`) : `${html.slice(0, at)}${styleLinks}\n    ${html.slice(at)}`,
          tags: [...files].map((f) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `./${f}` }, injectTo: 'head' as const })),
        };
      },
    },
  };
}

export default defineConfig(({ mode }) => ({
  root: resolve(repo, 'assets'),
  base: './',
  publicDir: false,
  resolve: { alias: { '/renderer': here } },
  server: { fs: { allow: [repo] } },
  worker: { format: 'es' },
  define: { __QUIRE_TEST_HOOKS__: JSON.stringify(mode === 'test') },
  plugins: [preloadDynamicChunks(['startApp.tsx', 'monaco/monaco.ts'])],
  build: {
    outDir: resolve(repo, mode === 'test' ? 'dist/renderer-test' : 'dist/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: mode !== 'test',
    chunkSizeWarningLimit: 8000,
    rollupOptions: { input: resolve(repo, 'assets/index.html') },
  },
}));

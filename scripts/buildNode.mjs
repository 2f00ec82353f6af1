// Bundles the Node-side entry points with esbuild. npm packages stay external (zeromq is native).
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  packages: 'external',
  logLevel: 'warning',
  define: { __QUIRE_VERSION__: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version) },
};

const entries = [
  // Split: each command is a dynamic import (kernels/cli.ts), so `quire run` loads only its own
  // code. Chunks sit beside cli.js, so import.meta.url-relative paths (../renderer/) still hold.
  // bin/quire.js imports dist/kernels/cli.js.
  { entryPoints: ['kernels/cli.ts'], outdir: 'dist/kernels', format: 'esm', splitting: true, metafile: true },
  { entryPoints: ['main/main.ts'], outfile: 'dist/main/main.js', format: 'esm' },
  // The worker thread that reads large notebooks, beside each bundle that starts it
  // (kernels/files/readNotebookOffThread.ts looks for it next to its own code).
  { entryPoints: ['kernels/files/notebookReadWorker.ts'], outfile: 'dist/kernels/notebookReadWorker.js', format: 'esm' },
  { entryPoints: ['kernels/files/notebookReadWorker.ts'], outfile: 'dist/main/notebookReadWorker.js', format: 'esm' },
  // Sandboxed preloads cannot be ES modules; electron is provided by the runtime.
  { entryPoints: ['main/preload/preload.ts'], outfile: 'dist/main/preload.cjs', format: 'cjs', platform: 'browser', external: ['electron'], packages: undefined },
];

const results = await Promise.all(entries.filter((e) => existsSync(e.entryPoints[0])).map((e) => build({ ...common, ...e })));

// Chunk names carry content hashes: remove the chunks an earlier build left that this one does not use.
for (const result of results) {
  if (!result.metafile) continue;
  const outputs = new Set(Object.keys(result.metafile.outputs).map((p) => p.replace(/\\/g, '/')));
  for (const name of readdirSync('dist/kernels')) {
    const path = `dist/kernels/${name}`;
    if (/-[A-Z0-9]{8}\.js(\.map)?$/.test(name) && !outputs.has(path) && !outputs.has(path.replace(/\.map$/, ''))) rmSync(join('dist/kernels', name));
  }
}

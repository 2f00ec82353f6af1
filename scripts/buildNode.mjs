// Bundles the Node-side entry points with esbuild. npm packages stay external (zeromq is native).
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';

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
  { entryPoints: ['kernels/cli.ts'], outfile: 'dist/kernels/cli.js', format: 'esm' },
  { entryPoints: ['main/main.ts'], outfile: 'dist/main/main.js', format: 'esm' },
  // Sandboxed preloads cannot be ES modules; electron is provided by the runtime.
  { entryPoints: ['main/preload/preload.ts'], outfile: 'dist/main/preload.cjs', format: 'cjs', platform: 'browser', external: ['electron'], packages: undefined },
];

await Promise.all(entries.filter((e) => existsSync(e.entryPoints[0])).map((e) => build({ ...common, ...e })));

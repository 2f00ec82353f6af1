#!/usr/bin/env node
// The `quire` command. The CLI is bundled to dist/ by `npm run build:node` (also run by `npm ci`).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../dist/kernels/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error('quire: the CLI is not built yet. Run `npm run build:node` (or `npm ci`) in the Quire folder first.');
  process.exit(2);
}
const { main } = await import(pathToFileURL(cli).href);
process.exitCode = await main(process.argv.slice(2));

// Regenerates assets/icons/* from assets/icons/quire.svg with ImageMagick's `convert`:
// PNGs at 16..1024 (Linux icon theme sizes; electron-builder reads the folder), quire.ico
// (Windows, multi-size) and quire.icns (macOS, assembled here: ImageMagick cannot write ICNS).
// Run: node scripts/makeIcons.mjs
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = new URL('../assets/icons/', import.meta.url).pathname;
const svg = join(dir, 'quire.svg');
const sizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

for (const size of sizes) {
  // Render large and downsample: small icons stay crisp and the edges antialiased.
  execFileSync('convert', ['-background', 'none', '-density', '384', svg, '-resize', `${size}x${size}`, '-strip', join(dir, `${size}x${size}.png`)]);
}
execFileSync('convert', [16, 24, 32, 48, 64, 128, 256].map((s) => join(dir, `${s}x${s}.png`)).concat(join(dir, 'quire.ico')));

// ICNS: 'icns' + length, then (type, length, PNG bytes) entries; modern macOS reads PNG payloads.
const entries = [['icp4', 16], ['icp5', 32], ['icp6', 64], ['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic10', 1024]];
const chunks = entries.map(([type, size]) => {
  const png = readFileSync(join(dir, `${size}x${size}.png`));
  const header = Buffer.alloc(8);
  header.write(type, 0, 'ascii');
  header.writeUInt32BE(png.length + 8, 4);
  return Buffer.concat([header, png]);
});
const body = Buffer.concat(chunks);
const head = Buffer.alloc(8);
head.write('icns', 0, 'ascii');
head.writeUInt32BE(body.length + 8, 4);
writeFileSync(join(dir, 'quire.icns'), Buffer.concat([head, body]));
console.log(`wrote ${sizes.length} PNGs, quire.ico and quire.icns to ${dir}`);

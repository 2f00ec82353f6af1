#!/usr/bin/env node
// `node scripts/setup.mjs [--dry-run] [--packages-only | --npm-only]`: makes a fresh Debian machine ready for
// `npm test` (which runs this first): installs the Debian packages the tests use through apt-get (as
// root, or with password-less `sudo -n`; otherwise prints the exact command and fails), then runs
// `npm ci` when node_modules is missing or incomplete (again with ELECTRON_SKIP_BINARY_DOWNLOAD=1 when
// Electron's binary cannot be downloaded). `--dry-run` says what it would do and changes nothing;
// `--packages-only` skips npm (CI installs npm packages itself). Exit 0 when everything is in place.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aptPlan, isElectronDownloadFailure, missingPackages, npmInstallReason, TEST_PACKAGES } from './setupLib.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dryRun = process.argv.includes('--dry-run');
const packagesOnly = process.argv.includes('--packages-only');
// `--npm-only`: what `npm start` needs before it can build (the app itself needs no test packages).
const npmOnly = process.argv.includes('--npm-only');
const log = (text) => console.log(`setup: ${text}`);
const fail = (text) => {
  console.error(`setup: ${text}`);
  process.exit(1);
};

const onPath = (name) => spawnSync('sh', ['-c', 'command -v "$0"', name], { encoding: 'utf8' }).status === 0;

function run(argv, env = {}) {
  log(`running: ${argv.join(' ')}`);
  if (dryRun) return { status: 0, output: '' };
  const result = spawnSync(argv[0], argv.slice(1), { cwd: repo, encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  process.stdout.write(result.stdout ?? '');
  process.stderr.write(result.stderr ?? '');
  return { status: result.status ?? 1, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error?.message ?? ''}` };
}

function setUpDebianPackages() {
  if (!onPath('dpkg-query') || !onPath('apt-get')) {
    log(`not a Debian-family system: make sure these (or their equivalents) are installed: ${TEST_PACKAGES.join(' ')}`);
    return;
  }
  const query = spawnSync('dpkg-query', ['-W', '-f=${Package} ${Status}\\n', ...TEST_PACKAGES], { encoding: 'utf8' });
  const missing = missingPackages(query.stdout ?? '');
  if (missing.length === 0) {
    log('Debian packages: all installed');
    return;
  }
  const isRoot = process.getuid?.() === 0;
  const sudoWorks = !isRoot && onPath('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  const plan = aptPlan(missing, { isRoot, sudoWorks });
  if (plan.manual) fail(`the tests need Debian packages that are not installed (${missing.join(', ')}), and this user cannot install them (not root, no password-less sudo). Run:\n\n  ${plan.manual}\n\nthen run npm test again.`);
  log(`installing Debian packages: ${missing.join(' ')}`);
  for (const argv of plan.run) if (run(argv).status !== 0) fail(`\`${argv.join(' ')}\` failed (see above).`);
}

function setUpNpmPackages() {
  const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8'));
  const lockPackages = Object.keys(lock.packages ?? {}).filter((p) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(p)).map((p) => p.slice('node_modules/'.length));
  const reason = npmInstallReason({
    nodeModulesExists: existsSync(join(repo, 'node_modules')),
    lockPackages: lockPackages.filter((name) => !lock.packages[`node_modules/${name}`].optional),
    installed: (name) => existsSync(join(repo, 'node_modules', name, 'package.json')),
  });
  if (!reason) {
    log('npm packages: installed');
    return;
  }
  log(`npm ci (${reason})`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const args = [npm, 'ci', '--no-audit', '--no-fund'];
  let result = run(args);
  if (result.status !== 0 && !process.env.ELECTRON_SKIP_BINARY_DOWNLOAD && isElectronDownloadFailure(result.output)) {
    log("Electron's binary could not be downloaded; installing without it (the app then opens in Chromium; see README)");
    result = run(args, { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
  }
  if (result.status !== 0) fail('npm ci failed (see above).');
}

if (dryRun) log('dry run: nothing is installed');
if (!npmOnly) setUpDebianPackages();
if (!packagesOnly) setUpNpmPackages();
log('ready');

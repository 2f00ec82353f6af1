// `npm test`: set-up on a fresh machine (scripts/setup.mjs: Debian packages, npm ci), build (the
// product, then the renderer's test variant), typecheck, lint, every unit/integration suite
// (Vitest) and the e2e suite (Playwright), then one plain summary line `N passed, N failed` for
// all of them together.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

const results = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
mkdirSync('test-results', { recursive: true });

function step(name, command, args, env = {}) {
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const run = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  console.log(`=== ${name}: exit ${run.status ?? run.signal} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return run.status === 0;
}

function check(name, ok) {
  if (ok) results.passed++;
  else {
    results.failed++;
    failures.push(name);
  }
}

// Nothing else can run without the packages: a failed set-up ends here, saying what to install.
if (!step('setup', process.execPath, ['scripts/setup.mjs'])) {
  console.log('\nFailed steps: setup (see the command above)');
  console.log('\n0 passed, 1 failed');
  process.exit(1);
}

const npx = 'npx';
check('build', step('build', 'npm', ['run', '--silent', 'build']));
// The renderer's test variant (dist/renderer-test/, with `window.__quire`), which the e2e suite serves.
check('build (test variant)', step('build (test variant)', 'npm', ['run', '--silent', 'build:renderer-test']));
check('typecheck', step('typecheck', 'npm', ['run', '--silent', 'typecheck']));
check('lint', step('lint', npx, ['eslint', '.', '--max-warnings=0']));

// Vitest: unit and integration suites (real kernels, real files).
const vitestJson = 'test-results/vitest.json';
rmSync(vitestJson, { force: true });
const vitestOk = step('unit+integration', npx, ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
if (existsSync(vitestJson)) {
  const report = JSON.parse(readFileSync(vitestJson, 'utf8'));
  results.passed += report.numPassedTests ?? 0;
  results.failed += report.numFailedTests ?? 0;
  results.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  const suiteFailures = (report.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0);
  for (const f of suiteFailures) check(`vitest file ${f.name}`, false);
  if (!vitestOk && report.numFailedTests === 0 && suiteFailures.length === 0) check('vitest', false);
} else check('vitest (no report)', false);

// Playwright: end-to-end in real Chromium against the browser host.
// Absolute: Playwright resolves a relative report path against the config's folder.
const pwJson = resolve('test-results/playwright.json');
rmSync(pwJson, { force: true });
if (existsSync('e2e/playwright.config.ts')) {
  const pwOk = step('e2e', npx, ['playwright', 'test', '-c', 'e2e/playwright.config.ts', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson });
  if (existsSync(pwJson)) {
    const stats = JSON.parse(readFileSync(pwJson, 'utf8')).stats ?? {};
    results.passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
    results.failed += stats.unexpected ?? 0;
    results.skipped += stats.skipped ?? 0;
    if (!pwOk && !stats.unexpected) check('playwright', false);
  } else check('playwright (no report)', false);
}

if (failures.length) console.log(`\nFailed steps: ${failures.join(', ')}`);
console.log(`\n${results.passed} passed, ${results.failed} failed${results.skipped ? `, ${results.skipped} skipped` : ''}`);
process.exit(results.failed > 0 ? 1 : 0);

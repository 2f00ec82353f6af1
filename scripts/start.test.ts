import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { descendantPids, isAlive, waitForExit } from '../e2e/fixtures/processes';
import { browserArgs, buildReason, findBrowser, findElectron, parseLaunchUrl, parseServeUrl, removeStaleProfiles } from './startLib.mjs';

const repoRoot = resolve(__dirname, '..');
const temps: string[] = [];
const temp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'quire-start-'));
  temps.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const touch = (path: string, seconds: number) => {
  mkdirSync(resolve(path, '..'), { recursive: true });
  writeFileSync(path, 'x');
  utimesSync(path, seconds, seconds);
};

describe('start helpers', () => {
  it('asks for a build when outputs are missing or older than a source', () => {
    const repo = temp();
    touch(join(repo, 'src', 'a.ts'), 1000);
    expect(buildReason(repo, ['dist/out.js'], ['src'])).toMatch(/^missing dist\/out.js/);
    touch(join(repo, 'dist', 'out.js'), 2000);
    expect(buildReason(repo, ['dist/out.js'], ['src'])).toBeUndefined();
    touch(join(repo, 'src', 'deep', 'b.ts'), 3000);
    expect(buildReason(repo, ['dist/out.js'], ['src'])).toMatch(/changed/);
    touch(join(repo, 'dist', 'out.js'), 4000);
    touch(join(repo, 'src', 'deep', 'b.test.ts'), 5000); // tests are not build inputs
    expect(buildReason(repo, ['dist/out.js'], ['src'])).toBeUndefined();
  });

  it('finds Electron only when its binary exists (never by downloading)', () => {
    const repo = temp();
    expect(findElectron(repo, {})).toBeUndefined();
    mkdirSync(join(repo, 'node_modules', 'electron'), { recursive: true });
    writeFileSync(join(repo, 'node_modules', 'electron', 'path.txt'), 'electron');
    expect(findElectron(repo, {})).toBeUndefined();
    touch(join(repo, 'node_modules', 'electron', 'dist', 'electron'), 1);
    expect(findElectron(repo, {})).toBe(join(repo, 'node_modules', 'electron', 'dist', 'electron'));
    const elsewhere = temp();
    expect(findElectron(temp(), { ELECTRON_OVERRIDE_DIST_PATH: elsewhere }, 'linux')).toBeUndefined();
    touch(join(elsewhere, 'electron'), 1);
    expect(findElectron(temp(), { ELECTRON_OVERRIDE_DIST_PATH: elsewhere }, 'linux')).toBe(join(elsewhere, 'electron'));
  });

  it('finds a Chromium-family browser on PATH, or the one QUIRE_BROWSER names', () => {
    const dir = temp();
    const fake = join(dir, 'google-chrome');
    writeFileSync(fake, '#!/bin/sh\n');
    chmodSync(fake, 0o755);
    expect(findBrowser({ PATH: dir }, 'linux')).toBe(fake);
    expect(findBrowser({ QUIRE_BROWSER: fake, PATH: '' }, 'linux')).toBe(fake);
    expect(findBrowser({ QUIRE_BROWSER: join(dir, 'nope'), PATH: dir }, 'linux')).toBeUndefined();
  });

  it('turns the sandbox off only as root, and opens a debugging port only when asked', () => {
    const user = browserArgs({ url: 'http://127.0.0.1:1/?token=ab', userDataDir: '/tmp/p', isRoot: false });
    expect(user).toContain('--app=http://127.0.0.1:1/?token=ab');
    expect(user).toContain('--user-data-dir=/tmp/p');
    for (const flag of ['--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']) expect(user).toContain(flag);
    expect(user).not.toContain('--no-sandbox');
    expect(user.some((a) => a.startsWith('--remote-debugging-port'))).toBe(false);
    const root = browserArgs({ url: 'u', userDataDir: 'd', isRoot: true, remoteDebuggingPort: 9333 });
    expect(root).toEqual(expect.arrayContaining(['--no-sandbox', '--test-type', '--remote-debugging-port=9333']));
  });

  it('parses the URL quire serve prints', () => {
    expect(parseServeUrl('Quire is serving /x\nOpen this URL (it contains the access token): http://127.0.0.1:4312/?token=0af3\n')).toBe('http://127.0.0.1:4312/?token=0af3');
    expect(parseServeUrl('nothing yet')).toBeUndefined();
    expect(parseLaunchUrl('Launch page (works once; keeps the token off command lines): file:///run/user/1/quire-launch-x/launch.html\n')).toBe('file:///run/user/1/quire-launch-x/launch.html');
    expect(parseLaunchUrl('Open this URL (it contains the access token): http://127.0.0.1:4312/?token=0af3\n')).toBeUndefined();
  });

  it('removes throwaway profiles whose launcher is dead, and only those', () => {
    const dir = temp();
    for (const name of ['quire-browser-111-aaaa', 'quire-browser-222-bbbb', 'quire-browser-x-cccc', 'other-333-dddd']) mkdirSync(join(dir, name));
    const removed = removeStaleProfiles(dir, (pid) => pid === 222);
    expect(removed).toEqual([join(dir, 'quire-browser-111-aaaa')]);
    expect(existsSync(join(dir, 'quire-browser-222-bbbb'))).toBe(true);
    expect(existsSync(join(dir, 'quire-browser-x-cccc'))).toBe(true);
    expect(existsSync(join(dir, 'other-333-dddd'))).toBe(true);
  });
});

describe('npm start with Electron installed', () => {
  it('launches Electron on the app folder with the notebook, and exits with it', () => {
    // A stand-in binary records how it was called (the real one is absent here).
    const dist = temp();
    const record = join(dist, 'args.txt');
    writeFileSync(join(dist, 'electron'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${record}'\nexit 3\n`);
    chmodSync(join(dist, 'electron'), 0o755);
    const workspace = temp();
    const run = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'start.mjs'), 'demo.ipynb'], {
      cwd: repoRoot, encoding: 'utf8',
      env: { ...process.env, QUIRE_SKIP_BUILD: '1', QUIRE_FORCE_BROWSER: '', ELECTRON_OVERRIDE_DIST_PATH: dist, INIT_CWD: workspace },
    });
    expect(run.stdout).toContain('starting the desktop app (Electron');
    expect(readFileSync(record, 'utf8').trim().split('\n')).toEqual([repoRoot, join(workspace, 'demo.ipynb')]);
    expect(run.status).toBe(3);
  });
});

describe('npm start without a browser', () => {
  it('prints the URL, and Ctrl+C stops the host', async () => {
    expect(existsSync(join(repoRoot, 'dist', 'kernels', 'cli.js')), 'run `npm run build` first').toBe(true);
    const workspace = temp();
    const child = spawn(process.execPath, [join(repoRoot, 'scripts', 'start.mjs'), workspace], {
      cwd: repoRoot,
      env: { ...process.env, QUIRE_SKIP_BUILD: '1', QUIRE_FORCE_BROWSER: '1', QUIRE_BROWSER: join(workspace, 'no-browser'), XDG_CONFIG_HOME: join(workspace, '.config'), QUIRE_DATA_DIR: join(workspace, '.data') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    await new Promise<void>((done, fail) => {
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
        if (/Ctrl\+C stops Quire:\nhttp:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}/.test(stdout)) done();
      });
      child.once('exit', (code) => fail(new Error(`start.mjs exited early (${code}): ${stdout}`)));
    });
    expect(stdout).toContain('browser mode');
    expect(stdout).toContain(`Quire is serving ${workspace}`);
    // It says how to get a browser (this machine has apt-get).
    expect(stdout).toMatch(/no Chromium or Chrome found \(set QUIRE_BROWSER to one, or install Chromium: .*apt-get install -y chromium/);
    const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    child.kill('SIGINT');
    expect(await exit).toBe(0);
  });

  it('opens the browser on the launch page (no token in its arguments) and removes its profile when npm start is killed outright', async () => {
    const workspace = temp();
    // A stand-in browser: records its arguments, then waits to be stopped.
    const record = join(workspace, 'browser-args.txt');
    const fake = join(workspace, 'fake-browser');
    writeFileSync(fake, `#!/bin/sh\nprintf '%s\\n' "$@" > '${record}.tmp' && mv '${record}.tmp' '${record}'\nexec tail -f /dev/null\n`);
    chmodSync(fake, 0o755);
    const child = spawn(process.execPath, [join(repoRoot, 'scripts', 'start.mjs'), workspace], {
      cwd: repoRoot,
      env: { ...process.env, QUIRE_SKIP_BUILD: '1', QUIRE_FORCE_BROWSER: '1', QUIRE_BROWSER: fake, XDG_CONFIG_HOME: join(workspace, '.config'), QUIRE_DATA_DIR: join(workspace, '.data') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    await expect.poll(() => existsSync(record), { timeout: 20_000, message: 'the browser should start' }).toBe(true);
    const token = /token=([0-9a-f]{64})/.exec(stdout)![1];
    const args = readFileSync(record, 'utf8').trim().split('\n');
    expect(args.join(' ')).not.toContain(token);
    const app = args.find((a) => a.startsWith('--app='))!;
    expect(app).toMatch(/^--app=file:\/\/.+\/launch\.html$/);
    const profile = args.find((a) => a.startsWith('--user-data-dir='))!.slice('--user-data-dir='.length);
    expect(existsSync(profile)).toBe(true);
    const processes = descendantPids(child.pid!);
    child.kill('SIGKILL');
    expect(await waitForExit(processes, 15_000)).toEqual([]);
    expect(existsSync(profile), 'the browser profile is removed').toBe(false);
  });

  it('stops the host when npm start itself is killed outright', async () => {
    const workspace = temp();
    const child = spawn(process.execPath, [join(repoRoot, 'scripts', 'start.mjs'), workspace], {
      cwd: repoRoot,
      env: { ...process.env, QUIRE_SKIP_BUILD: '1', QUIRE_FORCE_BROWSER: '1', QUIRE_BROWSER: join(workspace, 'no-browser'), XDG_CONFIG_HOME: join(workspace, '.config'), QUIRE_DATA_DIR: join(workspace, '.data') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    await new Promise<void>((done) => child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (/token=[0-9a-f]{64}/.test(stdout)) done();
    }));
    const host = descendantPids(child.pid!);
    expect(host.length).toBeGreaterThan(0);
    child.kill('SIGKILL');
    expect(await waitForExit(host, 10_000)).toEqual([]);
    expect(host.some(isAlive)).toBe(false);
  });
});

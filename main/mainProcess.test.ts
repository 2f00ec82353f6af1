import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The Electron binary is absent here, so the real main-process code (main.ts, windows.ts, …) runs
// under Node with `electron` replaced by main/testing/fakeElectron.ts. This checks the glue:
// what Electron itself does (rendering, real IPC, dialogs) is not exercised.
const repo = resolve(__dirname, '..');
const outDir = join(repo, 'node_modules', '.cache', 'quire-main-smoke');
let dir: string;

beforeAll(async () => {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: ['mainSmoke', 'sharedHostSmoke'].map((name) => ({ in: join(repo, 'main', 'testing', `${name}.ts`), out: name })),
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'silent',
    alias: { electron: join(repo, 'main', 'testing', 'fakeElectron.ts') },
  });
  dir = mkdtempSync(join(tmpdir(), 'quire-main-'));
  const empty = JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] });
  writeFileSync(join(dir, 'demo.ipynb'), empty);
  writeFileSync(join(dir, 'other.ipynb'), empty);
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub', 'other.ipynb'), empty);
  // A run that waits in its cell until the test lets it finish (a file named `go` appears).
  const wait = `import os, time\nwhile not os.path.exists(${JSON.stringify(join(dir, 'go'))}):\n    time.sleep(0.02)\n`;
  writeFileSync(join(dir, 'slow.ipynb'), JSON.stringify({
    nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: [{ cell_type: 'code', id: 'c1', metadata: {}, execution_count: null, outputs: [], source: wait }],
  }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runMain(env: Record<string, string> = {}, script = 'mainSmoke') {
  const run = spawnSync(process.execPath, [join(outDir, `${script}.mjs`), join(dir, 'demo.ipynb'), '--enable-logging'], {
    cwd: dir, encoding: 'utf8', timeout: 60_000,
    env: { ...process.env, FAKE_ELECTRON_USER_DATA: dir, XDG_CONFIG_HOME: join(dir, 'config'), QUIRE_DATA_DIR: join(dir, 'data'), ...env },
  });
  const line = run.stdout.split('\n').find((l) => l.startsWith('RESULTS '));
  expect(line, `${run.stdout}\n${run.stderr}`).toBeDefined();
  return JSON.parse(line!.slice('RESULTS '.length));
}

describe('Electron main process (under a fake electron module)', () => {
  it('runs a whole session: window, RPC, menus, hand-offs, unsaved changes, quit', () => {
    const r = runMain();
    expect(r.error).toBeUndefined();
    expect(r.window.url).toBe('quire://app/index.html');
    expect(r.window.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(r.window.webPreferences.preload).toMatch(/preload\.cjs$/);
    expect(r.window.privileged).toEqual([expect.objectContaining({ scheme: 'quire', privileges: expect.objectContaining({ standard: true, secure: true }) })]);
    expect(r.window.permissionHandlers).toBe(2);
    expect(r.workspace).toMatchObject({ root: dir, openPath: join(dir, 'demo.ipynb'), shell: 'electron' });
    expect(r.forgedFrameAnswered).toBe(false);
    expect(r.menuEvent).toEqual({ t: 'evt', id: 7, d: { command: 'cell.runAll' } });
    expect(r.protocol404).toBe(404);
    // demo.ipynb (argv), other.ipynb (second instance), mac.ipynb (open-file); demo again only focuses.
    expect(r.windowsAfterHandOff).toEqual(['"demo.ipynb"', '"other.ipynb"', '"mac.ipynb"']);
    expect(r.unsaved).toMatchObject({ keptAfterCancel: true, closedAfterDontSave: true, title: '● other.ipynb — Quire' });
    expect(r.unsaved.dialog).toMatchObject({ buttons: ['Save', "Don't Save", 'Cancel'], cancelId: 2 });
    expect(r.kernelStarted, 'python3 kernel (install python3-ipykernel)').toBe(true);
    expect(r.quit).toMatchObject({ prevented: true, quitCalledAgain: true, kernelAlive: false });
    expect(r.quit.recent).toEqual(expect.arrayContaining([join(dir, 'demo.ipynb'), join(dir, 'other.ipynb')]));
  });

  it('serves every window from one host: own notebooks, shared kernels and runs that outlive a closed window, menu shortcuts from the settings', () => {
    const r = runMain({}, 'sharedHostSmoke');
    expect(r.workspaces).toEqual([
      expect.objectContaining({ root: dir, openPath: join(dir, 'demo.ipynb'), shell: 'electron' }),
      expect.objectContaining({ root: join(dir, 'sub'), openPath: join(dir, 'sub', 'other.ipynb'), shell: 'electron' }),
    ]);
    expect(r.listedInSecond, "the first window's kernel is listed in the second").toBe(true);
    expect(r.error).toBeUndefined();
    expect(r.afterFirstClosed).toEqual({ firstKernelAlive: false, secondKernelAlive: true, secondKernelListed: true, runAfterClose: 'running', runFinal: 'completed' });
    expect(r.acceleratorBefore).toBe('CmdOrCtrl+O');
    expect(r.acceleratorsFollowed).toBe(true);
    expect(r.afterQuit).toEqual({ secondKernelAlive: false });
  });

  it('quits at once when another instance holds the lock', () => {
    const r = runMain({ FAKE_ELECTRON_LOCK: 'taken' });
    expect(r.lockTaken).toEqual({ quitCalls: 1, windows: 0 });
  });
});

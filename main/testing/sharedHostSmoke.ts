/**
 * Drives the real main process (bundled with `electron` → fakeElectron.ts) with two windows: both
 * are clients of the app's one host. Each is told its own notebook; a kernel started in one is
 * listed in the other; closing the first stops its kernel but not the second's, nor a run it
 * started; a shortcut override in the settings reaches the menu's accelerators; quitting stops
 * the rest. Prints one JSON line of named results for main/mainProcess.test.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { app, recorded } from './fakeElectron';
import { findMenuItem, report, result, until, waitFor } from './smokeRpc';

const results: Record<string, unknown> = {};

interface Kernel { id: string; pid: number }
interface Run { runId: string; status: string; currentCellIndex?: number }

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function main(): Promise<void> {
  const dir = process.env.FAKE_ELECTRON_USER_DATA!;
  await import('../main');
  await waitFor(() => recorded.windows.length > 0 && recorded.menuTemplate !== undefined);
  app.emit('second-instance', {}, ['/opt/quire', join('sub', 'other.ipynb')], dir);
  await waitFor(() => recorded.windows.length === 2);
  const [first, second] = recorded.windows;
  results.workspaces = [await result(first, 'files', 'getWorkspace', []), await result(second, 'files', 'getWorkspace', [])];

  const [kernelA, kernelB] = await Promise.all([
    result<Kernel>(first, 'kernels', 'startKernel', [{ specName: 'python3' }]),
    result<Kernel>(second, 'kernels', 'startKernel', [{ specName: 'python3' }]),
  ]);
  results.listedInSecond = (await result<Kernel[]>(second, 'kernels', 'listKernels', [])).map((k) => k.id).includes(kernelA.id);

  // A run started from the first window, in its cell when the window closes.
  const run = await result<Run>(first, 'runs', 'startRun', [{ inputPath: join(dir, 'slow.ipynb'), outputPath: join(dir, 'slow-out.ipynb'), parameters: {} }]);
  const getRun = () => result<Run>(second, 'runs', 'getRun', [run.runId]);
  const ended = (r: Run) => ['completed', 'failed', 'cancelled'].includes(r.status);
  const inCell = await until('the run to be in its cell', getRun, (r) => (r.status === 'running' && r.currentCellIndex === 0) || ended(r));
  if (ended(inCell)) throw new Error(`the run ended early: ${JSON.stringify(inCell)}`);
  first.close();
  const listKernels = async () => (await result<Kernel[]>(second, 'kernels', 'listKernels', [])).map((k) => k.id);
  const listed = await until("the first window's kernel to stop", listKernels, (ids) => !ids.includes(kernelA.id));
  await waitFor(() => !alive(kernelA.pid), 20_000, "the first window's kernel process to exit");
  const runAfterClose = (await getRun()).status;
  writeFileSync(join(dir, 'go'), '');
  const final = await until('the run to end', getRun, ended);
  results.afterFirstClosed = { firstKernelAlive: alive(kernelA.pid), secondKernelAlive: alive(kernelB.pid), secondKernelListed: listed.includes(kernelB.id), runAfterClose, runFinal: final.status };

  // Shortcut overrides reach the menu: from a window's Settings, and from settings.json edited on disk.
  const accelerator = () => findMenuItem(recorded.menuTemplate, 'notebook.open')?.accelerator;
  results.acceleratorBefore = accelerator();
  const settings = await result<{ path: string }>(second, 'settings', 'update', [{ keybindings: { 'notebook.open': 'CmdOrCtrl+Alt+O' } }]);
  await waitFor(() => accelerator() === 'CmdOrCtrl+Alt+O', 20_000, 'the menu to show the override set in Settings');
  const file = JSON.parse(readFileSync(settings.path, 'utf8')) as Record<string, unknown>;
  writeFileSync(settings.path, JSON.stringify({ ...file, keybindings: { 'notebook.open': 'CmdOrCtrl+Shift+Alt+O' } }));
  await waitFor(() => accelerator() === 'CmdOrCtrl+Shift+Alt+O', 20_000, 'the menu to show the override written to settings.json');
  results.acceleratorsFollowed = true;

  // Quit: the host stops the second window's kernel.
  second.close();
  const quitsBefore = recorded.quitCalls;
  app.emit('will-quit', { preventDefault: () => undefined });
  await waitFor(() => recorded.quitCalls > quitsBefore);
  results.afterQuit = { secondKernelAlive: alive(kernelB.pid) };
}

report(results, main);

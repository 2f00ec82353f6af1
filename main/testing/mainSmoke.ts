/**
 * Drives the real main process (main/main.ts, bundled with `electron` → fakeElectron.ts) through
 * a session: start with a notebook on argv, renderer RPC over the IPC bridge, a forged frame,
 * a menu click, second-instance and open-file hand-offs, the unsaved-changes dialog, and quit with
 * a running kernel. Prints one JSON line of named results for main/mainProcess.test.ts.
 */
import { join } from 'node:path';
import { ipcMain, app, recorded } from './fakeElectron';
import { APP_FRAME, call, findMenuItem, report, waitFor } from './smokeRpc';

const results: Record<string, unknown> = {};

async function main(): Promise<void> {
  const dir = process.env.FAKE_ELECTRON_USER_DATA!;
  await import('../main');
  if (!recorded.singleInstanceLock) {
    await new Promise((r) => setTimeout(r, 50));
    results.lockTaken = { quitCalls: recorded.quitCalls, windows: recorded.windows.length };
    return;
  }
  await waitFor(() => recorded.windows.length > 0 && recorded.menuTemplate !== undefined);
  const [first] = recorded.windows;
  results.window = { url: first.loadedUrl, webPreferences: first.options.webPreferences, privileged: recorded.privilegedSchemes, permissionHandlers: recorded.permissionHandlers };
  results.workspace = (await call(first, 'files', 'getWorkspace', [])).r;

  // A frame from another origin gets no answer; the next good one does.
  const before = first.webContents.sent.length;
  ipcMain.emit('nb:rpc', { sender: { id: first.webContents.id }, senderFrame: { url: 'https://evil.example/' } }, JSON.stringify({ t: 'req', id: 1, ch: 'files', m: 'getWorkspace', a: [] }));
  await call(first, 'files', 'getWorkspace', []);
  results.forgedFrameAnswered = first.webContents.sent.slice(before).some((s) => JSON.parse(String(s[1])).id === 1);

  // A menu click reaches the focused window's renderer as a command event.
  ipcMain.emit('nb:rpc', { sender: { id: first.webContents.id }, senderFrame: APP_FRAME }, JSON.stringify({ t: 'sub', id: 7, ch: 'native', ev: 'onDidRequestCommand' }));
  await call(first, 'files', 'getWorkspace', []);
  findMenuItem(recorded.menuTemplate, 'cell.runAll')?.click?.();
  await waitFor(() => first.webContents.sent.some((s) => JSON.parse(String(s[1])).id === 7));
  results.menuEvent = first.webContents.sent.map((s) => JSON.parse(String(s[1]))).find((f) => f.id === 7);

  // The protocol serves only from the renderer folder.
  results.protocol404 = (await recorded.protocolHandler!({ url: 'quire://app/../../package.json' })).status;

  // Second launch with another notebook: a new window; with the same one: no new window.
  app.emit('second-instance', {}, ['/opt/quire', 'other.ipynb'], dir);
  app.emit('second-instance', {}, ['/opt/quire', join(dir, 'demo.ipynb')], '/');
  app.emit('open-file', { preventDefault() {} }, join(dir, 'mac.ipynb'));
  await waitFor(() => recorded.windows.length >= 3);
  results.windowsAfterHandOff = recorded.windows.map((w) => ((w.loadedUrl ? (JSON.stringify(w.options.title)) : '')));

  // Unsaved changes: closing asks; Cancel keeps the window, Don't Save closes it.
  const second = recorded.windows[1];
  await call(second, 'native', 'setDocumentState', [{ path: join(dir, 'other.ipynb'), title: 'other.ipynb', edited: true }]);
  recorded.messageBoxAnswers.push(2);
  second.close();
  await waitFor(() => recorded.messageBoxes.length === 1);
  await new Promise((r) => setTimeout(r, 20));
  const keptAfterCancel = !second.destroyed;
  recorded.messageBoxAnswers.push(1);
  second.close();
  await waitFor(() => second.destroyed);
  results.unsaved = { keptAfterCancel, closedAfterDontSave: second.destroyed, title: second.title, dialog: recorded.messageBoxes[0] };

  // Quit with a running kernel: will-quit waits for the kernels, then quits.
  const kernel = (await call(first, 'kernels', 'startKernel', [{ specName: 'python3' }])) as { r?: { pid: number }; e?: { message: string } };
  results.kernelStarted = kernel.r ? true : kernel.e?.message;
  for (const w of recorded.windows.filter((x) => !x.destroyed)) w.close();
  const quitsBefore = recorded.quitCalls;
  let prevented = false;
  app.emit('will-quit', { preventDefault: () => (prevented = true) });
  await waitFor(() => recorded.quitCalls > quitsBefore);
  let alive: boolean;
  try {
    if (kernel.r) process.kill(kernel.r.pid, 0);
    alive = !!kernel.r;
  } catch {
    alive = false;
  }
  results.quit = { prevented, quitCalledAgain: recorded.quitCalls > quitsBefore, kernelAlive: alive, recent: recorded.recentDocuments };
}

report(results, main);

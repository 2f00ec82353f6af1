/**
 * The app, started by the entry (main.tsx) once its code has loaded: build the store on the host
 * connection, install the keyboard and kernel language features, render, and ask for the
 * workspace's notebook (already on its way: see host/startupReads.ts).
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Provider } from 'react-redux';
import type { HostApi } from '../src/host/contract';
import { createAppStore } from './store/store';
import type { HostConnection } from './host/reconnectingHost';
import { storageRecoveryStore } from './features/files/recoveryStore';
import { connectionActions } from './features/connection/connectionSlice';
import { filesActions } from './features/files/filesSlice';
import { workspaceActions } from './features/workspace/workspaceSlice';
import { installKeyboard } from './features/ui/keyboard';
import { runCommand } from './features/ui/commands';
import { monacoLoaded } from './monaco/loadMonaco';
import { App } from './components/App';
import { installLinkGuard } from './markdown/linkGuard';
import { platform } from './components/Panels';
import { applySettings } from './features/settings/applySettings';
import { settingsActions } from './features/settings/settingsSlice';
import { exposeTestHooks } from './testHooks';

export async function startApp(connecting: Promise<{ host: HostApi; connection?: HostConnection }>): Promise<void> {
  // Links in notebook content never navigate the app (markdown/linkGuard.ts).
  installLinkGuard(document);
  const root = createRoot(document.getElementById('root')!);
  let connected;
  try {
    connected = await connecting;
  } catch (error) {
    root.render(<div className="quire-page quire-error-page" role="alert"><h1>Cannot reach the Quire host</h1><p>{String(error)}</p></div>);
    return;
  }
  const { host, connection } = connected;
  const { store, kernels, activeDocument } = createAppStore({ host, connection, recovery: storageRecoveryStore(globalThis.localStorage) });
  connection?.onDidChangeState((state) => {
    store.dispatch(state === 'lost' ? connectionActions.connectionLost({ at: Date.now() }) : connectionActions.connectionRestored());
  });
  // Settings first: the theme and editor font apply before the notebook paints.
  applySettings(store);
  store.dispatch(settingsActions.loadRequested());
  // Only the Electron shell provides `host.native` (menus, native dialogs).
  // Keys, menus and commands act on the active tab's document.
  installKeyboard(activeDocument, platform, host.native ? 'electron' : 'browser');
  // Electron menus send registry command ids; they run the same thunks as the shortcuts.
  host.native?.onDidRequestCommand(({ command, args }) => {
    if (command === 'notebook.openPath' && typeof args === 'string') store.dispatch(workspaceActions.openPathRequested({ path: args }));
    else activeDocument.dispatch(runCommand(command));
  });
  // For tests and benchmarks, in the test build only: the product bundle has no such global.
  if (typeof __QUIRE_TEST_HOOKS__ !== 'undefined' && __QUIRE_TEST_HOOKS__) exposeTestHooks({ store: activeDocument, window: store, kernels });
  root.render(
    <StrictMode>
      <Provider store={store}>
        <App host={host} />
      </Provider>
    </StrictMode>,
  );
  // Kernel specs are listed when the picker opens: not on the way to the first paint.
  activeDocument.dispatch(filesActions.workspaceRequested());
  // Monaco loads when the first cell asks for an editor (monaco/loadMonaco.ts); completion and
  // hover from the kernel come with it.
  void monacoLoaded().then(async () => {
    const { registerKernelLanguageFeatures } = await import('./monaco/kernelLanguageFeatures');
    registerKernelLanguageFeatures(() => kernels.get(activeDocument.getState().kernels.kernelId));
  });
}

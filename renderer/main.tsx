/**
 * Bootstrap: connect to the host (Electron bridge or WebSocket), build the store, install the
 * keyboard and kernel language features, render, and ask for the workspace's notebook.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Provider } from 'react-redux';
import { connectHost } from './host/connectHost';
import { createAppStore } from './store/store';
import { filesActions } from './features/files/filesSlice';
import { installKeyboard } from './features/ui/keyboard';
import { runCommand } from './features/ui/commands';
import { registerKernelLanguageFeatures } from './monaco/kernelLanguageFeatures';
import { setupMonaco, warmUpMonaco } from './monaco/monaco';
import { EDITOR_FONT, EDITOR_LINE_HEIGHT } from './components/CodeEditor';
import { App } from './components/App';
import { platform } from './components/Panels';
import './styles/app.css';

async function main(): Promise<void> {
  const root = createRoot(document.getElementById('root')!);
  let connected;
  try {
    connected = await connectHost();
  } catch (error) {
    root.render(<div className="quire-page quire-error-page" role="alert"><h1>Cannot reach the Quire host</h1><p>{String(error)}</p></div>);
    return;
  }
  const { host } = connected;
  const { store, kernels } = createAppStore({ host });
  setupMonaco();
  registerKernelLanguageFeatures(() => kernels.get(store.getState().kernels.kernelId));
  // Only the Electron shell provides `host.native` (menus, native dialogs).
  installKeyboard(store, platform, host.native ? 'electron' : 'browser');
  // Electron menus send registry command ids; they run the same thunks as the shortcuts.
  host.native?.onDidRequestCommand(({ command, args }) => {
    if (command === 'notebook.openPath' && typeof args === 'string') store.dispatch(filesActions.openRequested({ path: args }));
    else store.dispatch(runCommand(command));
  });
  // For tests and benchmarks: the store, read-only use.
  (window as unknown as { __quire?: unknown }).__quire = { store, kernels };
  root.render(
    <StrictMode>
      <Provider store={store}>
        <App host={host} kernels={kernels} />
      </Provider>
    </StrictMode>,
  );
  // Kernel specs are listed when the picker opens: not on the way to the first paint.
  store.dispatch(filesActions.workspaceRequested());
  // While the host reads the notebook, pay monaco's first-editor cost off screen.
  warmUpMonaco(EDITOR_FONT, EDITOR_LINE_HEIGHT);
}

void main();

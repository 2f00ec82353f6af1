/** Kernel name and status (with the last stderr lines when it died and a one-click restart), save state. */
import { kernelsActions } from '../features/kernels/kernelsSlice';
import { uiActions } from '../features/ui/uiSlice';
import { selectIsDirty } from '../features/notebook/selectors';
import { useAppDispatch, useAppSelector } from '../store/hooks';

export function StatusBar(): React.JSX.Element {
  const dispatch = useAppDispatch();
  const k = useAppSelector((s) => s.kernels);
  const view = useAppSelector((s) => s.files.view);
  const dirty = useAppSelector(selectIsDirty);
  const lastSavedAt = useAppSelector((s) => s.files.lastSavedAt);
  const saveError = useAppSelector((s) => s.files.saveError);
  const paused = useAppSelector((s) => s.files.conflict || s.files.deleted);
  const mode = useAppSelector((s) => s.ui.mode);
  // Without the host nothing is known about the kernel: say so rather than show its last status.
  const disconnected = useAppSelector((s) => s.connection.state === 'lost');
  const status = disconnected ? 'disconnected' : k.status;
  // A kernelspec that does not exist is explained by NoKernelPanel; restarting would only fail again.
  const dead = !disconnected && (k.status === 'dead' || (k.status === 'failed' && !k.missing));
  const unresponsive = !disconnected && k.status === 'unresponsive';
  // A settings change that could not be saved (read-only folder, unparseable file) is said here
  // too, wherever it was made (Shift+L, the explorer's switch), not only on the settings page.
  const settingsUnsaved = useAppSelector((s) => s.settings.updateError ?? s.settings.saveError);
  // A large notebook's first screen shows before the whole file arrived: read-only until it has.
  const partial = useAppSelector((s) => s.files.partial === true);
  return (
    <footer className="quire-statusbar">
      {view === 'notebook' ? (
        <>
          <button type="button" className="quire-kernel-name" title="Change kernel" onClick={() => dispatch(uiActions.panelOpened('kernelPicker'))}
            data-testid="kernel-name">
            {k.displayName ?? k.specName ?? 'No kernel'}
          </button>
          <span className={`quire-kernel-status status-${status}`} data-testid="kernel-status" data-status={status}>
            <span className="quire-dot" /> {status === 'none' || (status === 'failed' && k.missing) ? 'no kernel' : unresponsive ? 'not responding' : status}
          </span>
          {dead ? (
            <span className="quire-kernel-dead" role="alert">
              {k.error ? <span className="quire-kernel-error">{k.error}</span> : null}
              <button type="button" className="quire-link" onClick={() => dispatch(kernelsActions.restartRequested({}))} data-testid="kernel-restart">
                Restart kernel
              </button>
            </span>
          ) : unresponsive ? (
            <span className="quire-kernel-dead" role="status" title="No heartbeat from the kernel for about a second: it may be stopped or the machine overloaded">
              <button type="button" className="quire-link" onClick={() => dispatch(kernelsActions.restartRequested({}))} data-testid="kernel-restart">
                Restart kernel
              </button>
            </span>
          ) : null}
          <span className="quire-mode" data-testid="mode">{mode === 'edit' ? 'Edit' : 'Command'}</span>
          <span className="quire-statusbar-spacer" />
          {saveError ? <span className="quire-save-error" role="alert">Save failed: {saveError}</span> : null}
          <span className="quire-save-state" data-testid="save-state">
            {partial ? 'Reading the rest of the notebook…' : paused ? 'Not saved' : dirty ? 'Unsaved changes' : lastSavedAt ? `Saved ${new Date(lastSavedAt).toLocaleTimeString()}` : 'Saved'}
          </span>
        </>
      ) : <span className="quire-statusbar-spacer" />}
      {settingsUnsaved ? (
        <button type="button" className="quire-link quire-settings-unsaved" role="alert" title={settingsUnsaved} data-testid="settings-unsaved"
          onClick={() => dispatch(uiActions.panelOpened('settings'))}>Settings not saved</button>
      ) : null}
      {dead && k.stderrTail && k.stderrTail.length > 0 ? (
        <pre className="quire-stderr-tail" data-testid="kernel-stderr">{k.stderrTail.slice(-8).join('\n')}</pre>
      ) : null}
    </footer>
  );
}

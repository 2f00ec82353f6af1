/** Modal panels: kernel picker and the keyboard shortcut sheet. */
import { useEffect, useRef } from 'react';
import { COMMANDS } from '../../src/commands/commands';
import { formatAccelerator, type Platform } from '../../src/commands/keybindings';
import { kernelsActions } from '../features/kernels/kernelsSlice';
import { uiActions } from '../features/ui/uiSlice';
import { useAppDispatch, useAppSelector } from '../store/hooks';

export const platform: Platform = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform) ? 'mac' : 'other';

export function Modal({ title, children, testId }: { title: string; children: React.ReactNode; testId: string }): React.JSX.Element {
  const dispatch = useAppDispatch();
  const close = () => dispatch(uiActions.panelOpened('none'));
  // The keyboard goes to the dialog when it opens (by shortcut too), so Escape closes it at once.
  const dialog = useRef<HTMLDivElement>(null);
  useEffect(() => { if (!dialog.current?.contains(document.activeElement)) dialog.current?.focus(); }, []);
  return (
    <div className="quire-modal-backdrop" onMouseDown={close}>
      <div className="quire-modal" role="dialog" aria-label={title} data-testid={testId} ref={dialog} tabIndex={-1} onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); close(); } }}>
        <div className="quire-modal-head">
          <h2>{title}</h2>
          <button type="button" className="quire-tool" aria-label="Close" onClick={close}>✕</button>
        </div>
        <div className="quire-modal-body">{children}</div>
      </div>
    </div>
  );
}

export function KernelPicker(): React.JSX.Element {
  const dispatch = useAppDispatch();
  const { specs, specsLoaded, specName } = useAppSelector((s) => s.kernels);
  const cwd = useAppSelector((s) => s.files.path?.replace(/[\\/][^\\/]+$/, ''));
  useEffect(() => { dispatch(kernelsActions.specsRequested()); }, [dispatch]);
  return (
    <Modal title="Select a kernel" testId="kernel-picker">
      {!specsLoaded ? <p className="quire-muted">Looking for kernels…</p> : null}
      {specsLoaded && specs.length === 0 ? <p className="quire-muted" data-testid="kernel-picker-empty">No kernels found. Install ipykernel for a Python (the notice above the notebook has the commands); Quire picks the new kernel up by itself.</p> : null}
      <ul className="quire-kernel-list">
        {specs.map((spec) => (
          <li key={`${spec.source}:${spec.name}`}>
            <button type="button" disabled={spec.status === 'broken'} className={spec.name === specName ? 'is-current' : ''}
              data-testid="kernel-option" data-name={spec.name}
              onClick={() => { dispatch(kernelsActions.launchRequested({ specName: spec.name, cwd })); dispatch(uiActions.panelOpened('none')); }}>
              <span className="quire-kernel-display">{spec.displayName}</span>
              <span className="quire-muted"> {spec.name} · {spec.language} · {spec.source}</span>
              {spec.status === 'broken' ? <span className="quire-kernel-problem" data-testid="kernel-problem">{spec.problem ?? 'broken'}</span> : null}
            </button>
          </li>
        ))}
      </ul>
    </Modal>
  );
}

const NAVIGATION_KEYS: Array<[string, string]> = [
  ['Enter', 'Edit the selected cell'],
  ['Escape', 'Leave the editor (command mode)'],
  ['Up / K', 'Select the cell above'],
  ['Down / J', 'Select the cell below'],
  ['Shift+Up / Shift+Down', 'Extend the selection'],
];

export function ShortcutSheet(): React.JSX.Element {
  const bound = COMMANDS.filter((c) => 'keys' in c && c.keys && c.keys.length > 0 && !('electronRole' in c && c.electronRole));
  return (
    <Modal title="Keyboard shortcuts" testId="shortcut-sheet">
      <p className="quire-muted">Command mode: no editor focused (press Escape). Edit mode: typing in a cell.</p>
      <table className="quire-shortcuts">
        <tbody>
          {NAVIGATION_KEYS.map(([keys, label]) => (
            <tr key={keys}><td><kbd>{keys}</kbd></td><td>{label}</td><td className="quire-muted">command</td></tr>
          ))}
          {bound.map((c) => (
            <tr key={c.id}>
              <td>{(c.keys ?? []).map((k) => <kbd key={k}>{formatAccelerator(k, platform)}</kbd>)}</td>
              <td>{c.label}</td>
              <td className="quire-muted">{'keyMode' in c && c.keyMode ? c.keyMode : 'any'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Modal>
  );
}

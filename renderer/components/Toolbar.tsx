/** The window's main toolbar: file, insert, run and kernel actions, and the title with the unsaved marker. */
import { useState } from 'react';
import { runCommand } from '../features/ui/commands';
import { uiActions } from '../features/ui/uiSlice';
import { selectIsDirty } from '../features/notebook/selectors';
import { useAppDispatch, useAppSelector } from '../store/hooks';
import { Icon, type IconName } from './Icon';

export function baseName(path: string | undefined): string {
  if (!path) return 'Quire';
  return path.split(/[\\/]/).pop() || path;
}

function ToolButton({ icon, label, command, text }: { icon: IconName; label: string; command: string; text?: string }): React.JSX.Element {
  const dispatch = useAppDispatch();
  return (
    <button type="button" className="quire-tool" title={label} aria-label={label} onClick={() => dispatch(runCommand(command))}>
      <Icon name={icon} />{text ? <span>{text}</span> : null}
    </button>
  );
}

/** A small menu for the run commands that have no button of their own. */
function RunMenu(): React.JSX.Element {
  const dispatch = useAppDispatch();
  const [open, setOpen] = useState(false);
  const item = (command: string, label: string) => (
    <button type="button" role="menuitem" onMouseDown={(e) => e.preventDefault()} onClick={() => { setOpen(false); dispatch(runCommand(command)); }}>{label}</button>
  );
  return (
    <div className="quire-menu-anchor" onBlur={(e) => { if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOpen(false); }}>
      <button type="button" className="quire-tool" aria-label="More run actions" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)}>
        <Icon name="chevronDown" />
      </button>
      {open ? (
        <div className="quire-menu" role="menu">
          {item('cell.runAbove', 'Run all above')}
          {item('cell.runBelow', 'Run selected and all below')}
          {item('cell.run', 'Run selected cells')}
          {item('cell.clearOutputs', 'Clear selected outputs')}
        </div>
      ) : null}
    </div>
  );
}

export function Toolbar(): React.JSX.Element {
  const dispatch = useAppDispatch();
  const path = useAppSelector((s) => s.files.path);
  const view = useAppSelector((s) => s.files.view);
  const dirty = useAppSelector(selectIsDirty);
  const saving = useAppSelector((s) => s.files.saving);
  const notebook = view === 'notebook';
  return (
    <header className="quire-toolbar">
      <div className="quire-brand" aria-hidden="true">Q</div>
      <div className="quire-title" data-testid="title" title={path}>
        {notebook || view === 'error' ? baseName(path) : 'Quire'}
        {notebook && dirty ? <span className="quire-dirty" data-testid="dirty-marker" title="Unsaved changes"> ●</span> : null}
        {saving ? <span className="quire-saving"> saving…</span> : null}
      </div>
      <div className="quire-toolbar-group">
        <ToolButton icon="newFile" label="New notebook" command="notebook.new" />
        <ToolButton icon="folder" label="Open…" command="notebook.open" />
        {notebook ? <ToolButton icon="save" label="Save (Ctrl+S)" command="notebook.save" /> : null}
      </div>
      {notebook ? (
        <>
          <div className="quire-toolbar-group">
            <ToolButton icon="plus" label="Insert cell below" command="cell.insertBelow" />
            <ToolButton icon="undo" label="Undo cell operation (Z)" command="cell.undo" />
          </div>
          <div className="quire-toolbar-group">
            <ToolButton icon="play" label="Run cell (Shift+Enter)" command="cell.runAndAdvance" text="Run" />
            <ToolButton icon="playAll" label="Run all cells" command="cell.runAll" text="Run all" />
            <RunMenu />
            <ToolButton icon="stop" label="Interrupt kernel" command="kernel.interrupt" />
            <ToolButton icon="restart" label="Restart kernel" command="kernel.restart" />
            <ToolButton icon="playAll" label="Restart kernel and run all" command="kernel.restartAndRunAll" text="Restart & run all" />
            <ToolButton icon="clear" label="Clear all outputs" command="cell.clearAllOutputs" />
          </div>
          <div className="quire-toolbar-group">
            <ToolButton icon="tag" label="Run with parameters… (Ctrl+Alt+P)" command="run.withParameters" text="Parameters…" />
            <ToolButton icon="file" label="Runs panel (Ctrl+Alt+R)" command="run.showRuns" text="Runs" />
            <ToolButton icon="playAll" label="All runs (Ctrl+Shift+R)" command="view.runs" text="All runs" />
          </div>
          <div className="quire-toolbar-spacer" />
          <div className="quire-toolbar-group">
            <ToolButton icon="search" label="Find and replace (Ctrl+F)" command="notebook.find" />
            <button type="button" className="quire-tool" title="Keyboard shortcuts (H)" aria-label="Keyboard shortcuts"
              onClick={() => dispatch(uiActions.panelOpened('shortcuts'))}><Icon name="keyboard" /></button>
            <ToolButton icon="settings" label="Settings (Ctrl+,)" command="app.settings" />
          </div>
        </>
      ) : (
        <>
          <div className="quire-toolbar-spacer" />
          <div className="quire-toolbar-group">
            <ToolButton icon="playAll" label="All runs (Ctrl+Shift+R)" command="view.runs" />
            <ToolButton icon="settings" label="Settings (Ctrl+,)" command="app.settings" />
          </div>
        </>
      )}
    </header>
  );
}

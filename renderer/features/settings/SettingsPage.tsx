/**
 * The settings page: every setting of settings.json with its control, what is wrong with the file,
 * and the list of keyboard shortcuts (with the user's overrides and their conflicts). Each change is
 * sent to the host at once; every window applies it when the host confirms.
 */
import { useEffect, useState } from 'react';
import { COMMANDS } from '../../../src/commands/commands';
import { keybindingConflicts, withKeybindingOverrides } from '../../../src/commands/keybindingOverrides';
import { formatAccelerator, parseAccelerator } from '../../../src/commands/keybindings';
import { SETTING_DESCRIPTORS, type Settings, type ThemeSetting } from '../../../src/settings/settings';
import { settingValueProblem } from '../../../src/settings/validateSettings';
import { Modal, platform } from '../../components/Panels';
import { useAppDispatch, useAppSelector } from '../../store/hooks';
import { kernelsActions } from '../../features/kernels/kernelsSlice';
import { settingsActions } from './settingsSlice';
import './settings.css';

type IntegerKey = 'editor.fontSize' | 'files.autosaveDelayMs' | 'explorer.rowLimit' | 'outputs.maxLines';
type BooleanKey = 'editor.lineNumbers' | 'editor.wordWrap' | 'explorer.pandasTableSchema';

function useChange(): (partial: Partial<Settings>) => void {
  const dispatch = useAppDispatch();
  return (partial) => dispatch(settingsActions.updateRequested(partial));
}

/** A text or number field that applies on Enter or when it loses focus, if the value is valid. */
function DraftField({ settingKey, value, type, onCommit }: { settingKey: keyof Settings; value: string; type: 'text' | 'number'; onCommit(raw: string): string | undefined }): React.JSX.Element {
  const [draft, setDraft] = useState(value);
  const [problem, setProblem] = useState<string | undefined>();
  useEffect(() => { setDraft(value); setProblem(undefined); }, [value]);
  const commit = () => { if (draft !== value) setProblem(onCommit(draft)); };
  return (
    <span className="quire-setting-field">
      <input type={type} value={draft} data-testid={`setting-${settingKey}`} aria-invalid={problem ? true : undefined}
        onChange={(e) => setDraft(e.target.value)} onBlur={commit} onKeyDown={(e) => { if (e.key === 'Enter') commit(); }} />
      {problem ? <span className="quire-setting-problem" role="alert">{problem}</span> : null}
    </span>
  );
}

function IntegerSetting({ settingKey }: { settingKey: IntegerKey }): React.JSX.Element {
  const value = useAppSelector((s) => s.settings.settings[settingKey]);
  const change = useChange();
  return (
    <DraftField settingKey={settingKey} type="number" value={String(value)} onCommit={(raw) => {
      const n = raw.trim() === '' ? NaN : Number(raw);
      const problem = settingValueProblem(settingKey, n);
      if (problem) return `${SETTING_DESCRIPTORS[settingKey].label} ${problem}`;
      change({ [settingKey]: n });
      return undefined;
    }} />
  );
}

function BooleanSetting({ settingKey }: { settingKey: BooleanKey }): React.JSX.Element {
  const value = useAppSelector((s) => s.settings.settings[settingKey]);
  const change = useChange();
  return <input type="checkbox" checked={value} data-testid={`setting-${settingKey}`} onChange={(e) => change({ [settingKey]: e.target.checked })} />;
}

function Row({ settingKey, children }: { settingKey: keyof Settings; children: React.ReactNode }): React.JSX.Element {
  return (
    <label className="quire-setting-row">
      <span className="quire-setting-label">{SETTING_DESCRIPTORS[settingKey].label}<code className="quire-setting-key">{settingKey}</code></span>
      <span className="quire-setting-control">{children}</span>
    </label>
  );
}

function FileStatus(): React.JSX.Element | null {
  const { path, parseError, saveError, readOnly, problems, updateError, loaded } = useAppSelector((s) => s.settings);
  if (!loaded) return <p className="quire-muted">Reading settings…</p>;
  return (
    <div className="quire-settings-status">
      <p className="quire-muted">Saved in <code data-testid="settings-path">{path}</code></p>
      {parseError ? (
        <div className="quire-settings-alert" role="alert" data-testid="settings-parse-error">
          This file does not parse (line {parseError.line}, column {parseError.column}): {parseError.message.replace(/ at line \d+, column \d+$/, '')}.
          Quire uses the defaults and will not overwrite the file; fix it in a text editor. Changes made here apply until Quire closes.
        </div>
      ) : null}
      {updateError || saveError ? <div className="quire-settings-alert" role="alert" data-testid="settings-save-error">{updateError ?? saveError}</div> : null}
      {readOnly && !saveError && !updateError ? <div className="quire-settings-alert" role="note">The settings folder cannot be written: changes apply until Quire closes.</div> : null}
      {problems.length > 0 ? (
        <ul className="quire-settings-problems" data-testid="settings-problems">
          {problems.map((p, i) => <li key={`${p.key}:${i}`}>{p.message}</li>)}
        </ul>
      ) : null}
    </div>
  );
}

function DefaultKernel(): React.JSX.Element {
  const dispatch = useAppDispatch();
  const value = useAppSelector((s) => s.settings.settings['kernels.default']);
  const { specs, specsLoaded } = useAppSelector((s) => s.kernels);
  const change = useChange();
  useEffect(() => { if (!specsLoaded) dispatch(kernelsActions.specsRequested()); }, [dispatch, specsLoaded]);
  const known = specs.some((spec) => spec.name === value);
  return (
    <select value={value} data-testid="setting-kernels.default" onChange={(e) => change({ 'kernels.default': e.target.value })}>
      <option value="">python3 (no preference)</option>
      {specs.map((spec) => <option key={`${spec.source}:${spec.name}`} value={spec.name} disabled={spec.status === 'broken'}>{spec.displayName} ({spec.name})</option>)}
      {value && !known ? <option value={value}>{value}{specsLoaded ? ' (not installed)' : ''}</option> : null}
    </select>
  );
}

/** Every command with its shortcut (overrides applied); a shortcut can be changed, removed or reset. */
function ShortcutList(): React.JSX.Element {
  const overrides = useAppSelector((s) => s.settings.settings.keybindings);
  const change = useChange();
  const commands = withKeybindingOverrides(COMMANDS, overrides);
  const conflicts = keybindingConflicts(commands, platform);
  const conflictOf = (id: string) => conflicts.filter((c) => c.commands.includes(id));
  const setOverride = (id: string, accelerator: string | undefined) => {
    const next = { ...overrides };
    if (accelerator === undefined) delete next[id];
    else next[id] = accelerator;
    change({ keybindings: next });
  };
  return (
    <table className="quire-shortcuts" data-testid="settings-shortcuts">
      <thead><tr><th>Command</th><th>Shortcut</th><th>Mode</th><th /></tr></thead>
      <tbody>
        {commands.filter((c) => !c.electronRole && !c.submenu).map((c) => {
          const clash = conflictOf(c.id);
          const overridden = Object.prototype.hasOwnProperty.call(overrides, c.id);
          return (
            <tr key={c.id} data-command={c.id} className={clash.length > 0 ? 'has-conflict' : undefined}>
              <td>{c.label}<code className="quire-setting-key">{c.id}</code></td>
              <td>
                <ShortcutField command={c.id} keys={c.keys?.[0] ?? ''} onCommit={(accelerator) => setOverride(c.id, accelerator)} />
                {clash.length > 0 ? (
                  <span className="quire-setting-problem" role="alert">
                    Also {clash.flatMap((k) => k.commands).filter((id) => id !== c.id).map((id) => COMMANDS.find((x) => x.id === id)?.label ?? id).filter((v, i, a) => a.indexOf(v) === i).join(', ')}
                  </span>
                ) : null}
              </td>
              <td className="quire-muted">{c.keyMode ?? 'any'}</td>
              <td>{overridden ? <button type="button" className="quire-link" onClick={() => setOverride(c.id, undefined)}>Reset</button> : null}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function ShortcutField({ command, keys, onCommit }: { command: string; keys: string; onCommit(accelerator: string): void }): React.JSX.Element {
  const [draft, setDraft] = useState(keys);
  const [problem, setProblem] = useState<string | undefined>();
  useEffect(() => { setDraft(keys); setProblem(undefined); }, [keys]);
  const commit = () => {
    if (draft.trim() === keys) return;
    try {
      if (draft.trim()) parseAccelerator(draft, platform);
      setProblem(undefined);
      onCommit(draft.trim());
    } catch (error) {
      setProblem((error as Error).message);
    }
  };
  return (
    <span className="quire-setting-field">
      <input className="quire-shortcut-input" value={draft} placeholder="none" aria-label={`Shortcut for ${command}`} title={keys ? formatAccelerator(keys, platform) : 'No shortcut'}
        onChange={(e) => setDraft(e.target.value)} onBlur={commit} onKeyDown={(e) => { if (e.key === 'Enter') commit(); }} />
      {problem ? <span className="quire-setting-problem" role="alert">{problem}</span> : null}
    </span>
  );
}

export function SettingsPage(): React.JSX.Element {
  const settings = useAppSelector((s) => s.settings.settings);
  const change = useChange();
  return (
    <Modal title="Settings" testId="settings-page">
      <div className="quire-settings">
        <FileStatus />
        <h3>Appearance</h3>
        <Row settingKey="theme">
          <select value={settings.theme} data-testid="setting-theme" onChange={(e) => change({ theme: e.target.value as ThemeSetting })}>
            <option value="system">Follow the system</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </Row>
        <h3>Editor</h3>
        <Row settingKey="editor.fontFamily">
          <DraftField settingKey="editor.fontFamily" type="text" value={settings['editor.fontFamily']} onCommit={(raw) => {
            const problem = raw.trim() ? settingValueProblem('editor.fontFamily', raw) : 'must name a font';
            if (problem) return `The font ${problem}`;
            change({ 'editor.fontFamily': raw });
            return undefined;
          }} />
        </Row>
        <Row settingKey="editor.fontSize"><IntegerSetting settingKey="editor.fontSize" /></Row>
        <Row settingKey="editor.lineNumbers"><BooleanSetting settingKey="editor.lineNumbers" /></Row>
        <Row settingKey="editor.wordWrap"><BooleanSetting settingKey="editor.wordWrap" /></Row>
        <h3>Files and kernels</h3>
        <Row settingKey="files.autosaveDelayMs"><IntegerSetting settingKey="files.autosaveDelayMs" /></Row>
        <Row settingKey="kernels.default"><DefaultKernel /></Row>
        <h3>Outputs and explorer</h3>
        <Row settingKey="outputs.maxLines"><IntegerSetting settingKey="outputs.maxLines" /></Row>
        <Row settingKey="explorer.rowLimit"><IntegerSetting settingKey="explorer.rowLimit" /></Row>
        <Row settingKey="explorer.pandasTableSchema"><BooleanSetting settingKey="explorer.pandasTableSchema" /></Row>
        <h3>Keyboard shortcuts</h3>
        <p className="quire-muted">Electron accelerator syntax: <kbd>CmdOrCtrl+Shift+K</kbd>, a chord as <kbd>D D</kbd>; empty for none. Command mode: no editor focused.</p>
        <ShortcutList />
      </div>
    </Modal>
  );
}

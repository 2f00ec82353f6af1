import type { CellType } from '../../src/jupyter/nbformat';
import { Icon, type IconName } from './Icon';

export interface CellToolbarProps {
  cellType: CellType;
  isParameters: boolean;
  inputHidden: boolean;
  outputsHidden: boolean;
  onRun(): void;
  onMove(delta: -1 | 1): void;
  onChangeType(type: CellType): void;
  onToggleParameters(): void;
  onToggleInput(): void;
  onToggleOutputs(): void;
  onClearOutputs(): void;
  onDelete(): void;
}

function Button({ icon, label, onClick, pressed }: { icon: IconName; label: string; onClick(): void; pressed?: boolean }): React.JSX.Element {
  return (
    <button type="button" className="quire-tool" title={label} aria-label={label} aria-pressed={pressed}
      onMouseDown={(e) => e.stopPropagation()} onClick={(e) => { e.stopPropagation(); onClick(); }}>
      <Icon name={icon} />
    </button>
  );
}

/** The per-cell actions shown on hover and on the active cell. */
export function CellToolbar(props: CellToolbarProps): React.JSX.Element {
  const { cellType, isParameters } = props;
  return (
    <div className="quire-cell-toolbar" role="toolbar" aria-label="Cell actions">
      <Button icon="play" label="Run cell" onClick={props.onRun} />
      <Button icon="up" label="Move cell up" onClick={() => props.onMove(-1)} />
      <Button icon="down" label="Move cell down" onClick={() => props.onMove(1)} />
      <select className="quire-type-select" aria-label="Cell type" value={cellType}
        onMouseDown={(e) => e.stopPropagation()} onChange={(e) => props.onChangeType(e.target.value as CellType)}>
        <option value="code">Code</option>
        <option value="markdown">Markdown</option>
        <option value="raw">Raw</option>
      </select>
      <button type="button" className={`quire-tool quire-params-toggle${isParameters ? ' is-on' : ''}`} aria-pressed={isParameters}
        title={isParameters ? 'Remove the parameters tag' : 'Tag as the parameters cell (papermill)'} aria-label="Toggle parameters tag"
        onMouseDown={(e) => e.stopPropagation()} onClick={(e) => { e.stopPropagation(); props.onToggleParameters(); }}>
        <Icon name="tag" /> <span>Parameters</span>
      </button>
      <Button icon="eyeOff" label={props.inputHidden ? 'Expand input' : 'Collapse input'} onClick={props.onToggleInput} pressed={props.inputHidden} />
      {cellType === 'code' ? <Button icon="chevronDown" label={props.outputsHidden ? 'Expand output' : 'Collapse output'} onClick={props.onToggleOutputs} pressed={props.outputsHidden} /> : null}
      {cellType === 'code' ? <Button icon="clear" label="Clear output" onClick={props.onClearOutputs} /> : null}
      <Button icon="trash" label="Delete cell" onClick={props.onDelete} />
    </div>
  );
}

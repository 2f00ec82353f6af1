/**
 * One cell: gutter (drag handle, execution count, state), toolbar, the editor or rendered
 * markdown, a status line (elapsed time, when it ran), and outputs. Subscribes only to its own
 * cell, so typing in one cell re-renders one cell.
 */
import { memo, useCallback, useState } from 'react';
import type { JsonObject } from '../../src/jupyter/messages';
import { joinSource, type CellType } from '../../src/jupyter/nbformat';
import { cellTags, PARAMETERS_TAG, SKIP_EXECUTION_TAG, skipsExecution } from '../../src/jupyter/notebookOps';
import { Markdown } from '../markdown/Markdown';
import { OutputArea } from '../outputs/OutputArea';
import { notebookActions } from '../features/notebook/notebookSlice';
import { selectCellById, selectLanguage } from '../features/notebook/selectors';
import { uiActions } from '../features/ui/uiSlice';
import { runCommand, selectRange } from '../features/ui/commands';
import { useAppDispatch, useAppSelector } from '../store/hooks';
import { CellToolbar } from './CellToolbar';
import { CellStatus, InterruptUnanswered } from './CellStatus';
import { CodeEditor } from './CodeEditor';
import { Icon } from './Icon';

export interface CellViewProps {
  id: string;
  index: number;
  onDragStartCell(id: string): void;
  onDropOnCell(targetIndex: number, where: 'above' | 'below'): void;
}

export const CellView = memo(function CellView({ id, index, onDragStartCell, onDropOnCell }: CellViewProps): React.JSX.Element | null {
  const dispatch = useAppDispatch();
  const cell = useAppSelector((s) => selectCellById(s, id));
  const runtime = useAppSelector((s) => s.notebook.runtime[id]);
  const active = useAppSelector((s) => s.ui.activeId === id);
  const selected = useAppSelector((s) => s.ui.selected.includes(id));
  const editMode = useAppSelector((s) => s.ui.activeId === id && s.ui.mode === 'edit');
  const focusToken = useAppSelector((s) => (s.ui.activeId === id && s.ui.mode === 'edit' ? s.ui.focusToken : 0));
  const editingMarkdown = useAppSelector((s) => !!s.ui.editingMarkdown[id]);
  const language = useAppSelector(selectLanguage);
  // Only the first cells of a large notebook are here yet: shown, not editable.
  const preview = useAppSelector((s) => s.notebook.partial !== undefined);
  const kernelAvailable = useAppSelector((s) => s.kernels.status === 'idle' || s.kernels.status === 'busy');
  const find = useAppSelector((s) => (s.ui.find.open && s.ui.find.query ? s.ui.find : undefined));
  const [dropAt, setDropAt] = useState<'above' | 'below' | null>(null);

  const onChange = useCallback((text: string) => dispatch(notebookActions.cellSourceChanged({ id, text })), [dispatch, id]);
  const onFocus = useCallback(() => dispatch(uiActions.editorFocused({ id })), [dispatch, id]);
  const onInputReply = useCallback((value: string) => dispatch(notebookActions.inputReplyRequested({ id, value })), [dispatch, id]);
  const onOutputMetadataChange = useCallback((index: number, metadata: JsonObject) => dispatch(notebookActions.outputMetadataSet({ id, index, metadata })), [dispatch, id]);

  if (!cell) return null;
  const source = joinSource(cell.source);
  const tags = cellTags(cell);
  const isParameters = tags.includes(PARAMETERS_TAG);
  const jupyter = (cell.metadata.jupyter ?? {}) as { source_hidden?: boolean; outputs_hidden?: boolean };
  const state = runtime?.state ?? 'idle';
  const select = (e: React.MouseEvent) => {
    // Shift+click on the gutter extends the selection; inside an editor it selects text.
    if (e.shiftKey) {
      if (!(e.target as Element).closest('.monaco-editor')) dispatch(selectRange(id));
      return;
    }
    if (!active || !selected) dispatch(uiActions.cellSelected({ id }));
  };
  const showEditor = cell.cell_type !== 'markdown' || editingMarkdown;
  const classes = ['quire-cell', `is-${cell.cell_type}`, `state-${state}`, active ? 'is-active' : '', selected ? 'is-selected' : '',
    editMode ? 'is-editing' : '', isParameters ? 'is-parameters' : '', tags.length > 0 ? 'has-badges' : '', dropAt ? `drop-${dropAt}` : ''].filter(Boolean).join(' ');

  return (
    <div className={classes} data-testid="cell" data-cell-id={id} data-cell-type={cell.cell_type} data-state={state}
      data-index={index} onMouseDown={select}
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes('application/x-quire-cell')) return;
        e.preventDefault();
        const rect = e.currentTarget.getBoundingClientRect();
        setDropAt(e.clientY < rect.top + rect.height / 2 ? 'above' : 'below');
      }}
      onDragLeave={() => setDropAt(null)}
      onDrop={(e) => {
        e.preventDefault();
        const where = dropAt ?? 'below';
        setDropAt(null);
        onDropOnCell(index, where);
      }}>
      <div className="quire-gutter">
        <div className="quire-drag" draggable title="Drag to move" aria-label="Drag cell" data-testid="cell-drag"
          onDragStart={(e) => {
            e.dataTransfer.setData('application/x-quire-cell', id);
            e.dataTransfer.effectAllowed = 'move';
            onDragStartCell(id);
          }}>
          <Icon name="grip" size={14} />
        </div>
        {cell.cell_type === 'code' ? (
          <div className="quire-count" data-testid="execution-count" title={`Execution count${cell.execution_count ? ` ${cell.execution_count}` : ''}`}>
            {state === 'queued' ? '[*]' : state === 'running' ? '[*]' : `[${cell.execution_count ?? ' '}]`}
          </div>
        ) : null}
      </div>
      <div className="quire-cell-body">
        <div className="quire-cell-head">
          {isParameters ? <span className="quire-badge quire-badge-parameters" data-testid="parameters-badge">parameters</span> : null}
          {skipsExecution(cell) ? (
            <span className="quire-badge quire-badge-skip" data-testid="skip-execution-badge" title="Run all and quire run skip this cell (tag skip-execution); running it by itself still runs it">
              skip-execution
            </span>
          ) : null}
          {tags.filter((t) => t !== PARAMETERS_TAG && !(t === SKIP_EXECUTION_TAG && cell.cell_type === 'code')).map((t) => <span key={t} className="quire-badge">{t}</span>)}
          <CellToolbar
            cellType={cell.cell_type}
            isParameters={isParameters}
            inputHidden={!!jupyter.source_hidden}
            outputsHidden={!!jupyter.outputs_hidden}
            onRun={() => { dispatch(uiActions.cellSelected({ id })); dispatch(runCommand('cell.run')); }}
            onMove={(delta) => dispatch(notebookActions.cellsMoved({ ids: [id], delta }))}
            onChangeType={(cellType: CellType) => dispatch(notebookActions.cellTypeChanged({ ids: [id], cellType }))}
            onToggleParameters={() => dispatch(notebookActions.tagToggled({ id, tag: PARAMETERS_TAG }))}
            onToggleInput={() => dispatch(notebookActions.jupyterMetadataSet({ id, key: 'source_hidden', value: !jupyter.source_hidden }))}
            onToggleOutputs={() => dispatch(notebookActions.jupyterMetadataSet({ id, key: 'outputs_hidden', value: !jupyter.outputs_hidden }))}
            onClearOutputs={() => dispatch(notebookActions.outputsCleared({ ids: [id] }))}
            onDelete={() => { dispatch(uiActions.cellSelected({ id })); dispatch(runCommand('cell.delete')); }}
          />
        </div>
        {jupyter.source_hidden ? (
          <button type="button" className="quire-collapsed" onClick={() => dispatch(notebookActions.jupyterMetadataSet({ id, key: 'source_hidden', value: false }))}>
            <Icon name="chevronRight" size={14} /> Input hidden ({source.split('\n').length} lines)
          </button>
        ) : showEditor ? (
          <CodeEditor cellId={id} value={source}
            language={cell.cell_type === 'markdown' ? 'markdown' : cell.cell_type === 'raw' ? 'plaintext' : language}
            focusToken={focusToken} highlight={find} onChange={onChange} onFocus={onFocus} readOnly={preview} />
        ) : (
          <div className="quire-markdown" data-testid="markdown-rendered" title="Double-click to edit"
            onDoubleClick={() => {
              dispatch(uiActions.markdownEditingChanged({ id, editing: true }));
              dispatch(uiActions.cellSelected({ id, edit: true }));
            }}>
            {source.trim() ? <Markdown source={source} attachments={cell.attachments as never} /> : <p className="quire-placeholder">Empty markdown cell — double-click to edit</p>}
          </div>
        )}
        {cell.cell_type === 'code' ? <CellStatus runtime={runtime} /> : null}
        {cell.cell_type === 'code' && state === 'running' ? <InterruptUnanswered /> : null}
        {cell.cell_type === 'code' && (cell.outputs.length > 0 || runtime?.input) ? (
          jupyter.outputs_hidden ? (
            <button type="button" className="quire-collapsed" onClick={() => dispatch(notebookActions.jupyterMetadataSet({ id, key: 'outputs_hidden', value: false }))}>
              <Icon name="chevronRight" size={14} /> Output hidden ({cell.outputs.length})
            </button>
          ) : (
            <div className="quire-outputs" data-testid="cell-outputs">
              <OutputArea outputs={cell.outputs} cellId={id} pendingInput={runtime?.input ?? null}
                onInputReply={onInputReply} kernelAvailable={kernelAvailable} onOutputMetadataChange={onOutputMetadataChange} />
            </div>
          )
        ) : null}
      </div>
    </div>
  );
});

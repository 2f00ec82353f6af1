/**
 * Asks before a tab closes with unsaved edits or runs still going: save (or not), cancel the runs
 * (or let them go on in the host), or keep the tab. A failed save keeps the tab and says why.
 */
import { useEffect, useRef } from 'react';
import { baseName } from '../../components/Toolbar';
import { useWindowDispatch, useWindowSelector } from '../../store/hooks';
import { workspaceActions } from './workspaceSlice';

export function ClosePrompt(): React.JSX.Element | null {
  const prompt = useWindowSelector((s) => s.workspace.closePrompt);
  const path = useWindowSelector((s) => (prompt ? s.documents[prompt.id]?.files.path : undefined));
  const saving = useWindowSelector((s) => (prompt ? s.documents[prompt.id]?.files.saving === true : false));
  const dispatch = useWindowDispatch();
  const dialog = useRef<HTMLDivElement>(null);
  useEffect(() => { if (prompt) dialog.current?.focus(); }, [prompt]);
  if (!prompt) return null;
  const { id, unsaved, activeRuns, saveError } = prompt;
  const name = baseName(path);
  const runs = activeRuns.length;
  const answer = (choice: 'save' | 'discard' | 'keepOpen', cancelRuns = false) => dispatch(workspaceActions.closeAnswered({ id, answer: choice, cancelRuns }));
  return (
    <div className="quire-modal-backdrop" onMouseDown={() => answer('keepOpen')}>
      <div className="quire-modal quire-close-prompt" role="alertdialog" aria-label={`Close ${name}`} data-testid="close-prompt" ref={dialog} tabIndex={-1}
        onMouseDown={(e) => e.stopPropagation()} onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); answer('keepOpen'); } }}>
        <div className="quire-modal-head"><h2>Close {name}?</h2></div>
        <div className="quire-modal-body">
          {unsaved ? <p>{name} has unsaved changes.</p> : null}
          {runs > 0 ? <p data-testid="close-prompt-runs">{runs === 1 ? 'A run' : `${runs} runs`} of this notebook {runs === 1 ? 'is' : 'are'} still going. {runs === 1 ? 'It keeps' : 'They keep'} going after the tab closes unless you cancel {runs === 1 ? 'it' : 'them'}.</p> : null}
          {saveError ? <p className="quire-error" role="alert" data-testid="close-prompt-error">{saveError}</p> : null}
          <div className="quire-page-actions quire-close-actions">
            {unsaved ? (
              <>
                <button type="button" className="quire-primary" data-testid="close-save" disabled={saving} onClick={() => answer('save')}>{saving ? 'Saving…' : 'Save and close'}</button>
                <button type="button" data-testid="close-discard" onClick={() => answer('discard')}>Don’t save</button>
              </>
            ) : (
              <button type="button" className="quire-primary" data-testid="close-tab-confirm" onClick={() => answer('discard')}>Close tab</button>
            )}
            {runs > 0 ? <button type="button" data-testid="close-cancel-runs" onClick={() => answer(unsaved ? 'save' : 'discard', true)}>{unsaved ? 'Save, cancel runs and close' : 'Cancel runs and close'}</button> : null}
            <button type="button" data-testid="close-keep" onClick={() => answer('keepOpen')}>Keep open</button>
          </div>
        </div>
      </div>
    </div>
  );
}

/**
 * "Run with parameters…": a form generated from the notebook's `parameters` cell (the current,
 * in-memory notebook), the kernel (overridable) and the output path template. Values are checked
 * as they are typed and again on Start; nothing starts while one is refused. The host runs the
 * saved file, so unsaved changes are saved first (and the dialog says so).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { RunRequest } from '../../../src/host/contract';
import { kernelsActions } from '../../features/kernels/kernelsSlice';
import { selectIsDirty } from '../notebook/selectors';
import { useAppDispatch, useAppSelector } from '../../store/hooks';
import { ParameterField } from './ParameterField';
import {
  DEFAULT_OUTPUT_TEMPLATE, evaluateForm, type FieldInput, notebookFormFields, previewOutputPath, translatorSupport,
} from './parameterForm';
import { runsActions } from './runsSlice';
import { outputCellPreviews } from './selectors';

export function RunWithParametersDialog(): React.JSX.Element {
  const dispatch = useAppDispatch();
  const cells = useAppSelector((s) => s.notebook.cells);
  const metadata = useAppSelector((s) => s.notebook.metadata);
  const inputPath = useAppSelector((s) => s.files.path) ?? '';
  const dirty = useAppSelector(selectIsDirty);
  const { specs, specsLoaded } = useAppSelector((s) => s.kernels);
  const { starting, startError } = useAppSelector((s) => s.runs);

  const fields = useMemo(() => notebookFormFields({ cells }), [cells]);
  const notebookKernel = (metadata.kernelspec as { name?: string; language?: string } | undefined) ?? {};
  const notebookLanguage = (metadata.language_info as { name?: string } | undefined)?.name ?? notebookKernel.language;
  const [inputs, setInputs] = useState<Record<string, FieldInput>>({});
  const [kernelName, setKernelName] = useState(notebookKernel.name ?? '');
  const [template, setTemplate] = useState(DEFAULT_OUTPUT_TEMPLATE);
  const [submitted, setSubmitted] = useState(false);
  const [now] = useState(() => new Date());
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => { if (!specsLoaded) dispatch(kernelsActions.specsRequested()); }, [dispatch, specsLoaded]);

  const spec = specs.find((s) => s.name === kernelName);
  const language = kernelName === notebookKernel.name ? notebookLanguage ?? spec?.language : spec?.language;
  const support = useMemo(() => translatorSupport(kernelName || undefined, language), [kernelName, language]);
  const result = useMemo(() => evaluateForm(fields ?? [], inputs, support, template), [fields, inputs, support, template]);
  const preview = previewOutputPath(template, inputPath, result.values, now);
  const problems = Object.keys(result.errors).length + (preview.error ? 1 : 0);

  const close = () => dispatch(runsActions.dialogClosed());
  const start = () => {
    setSubmitted(true);
    if (problems > 0 || !inputPath) {
      // Take the person to the first refused value.
      const first = form.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
      first?.focus();
      first?.scrollIntoView?.({ block: 'center' });
      return;
    }
    const request: RunRequest = { inputPath, parameters: result.parameters, outputPath: template.trim(), ...(kernelName ? { kernelName } : {}) };
    const cellPreviews = outputCellPreviews({ metadata, cells }, result.parameters, kernelName || undefined, language);
    dispatch(runsActions.startRequested({ request, saveFirst: true, ...(cellPreviews ? { cellPreviews } : {}) }));
  };

  return (
    <div className="quire-modal-backdrop" onMouseDown={close}>
      <form ref={form} className="quire-modal quire-run-dialog" role="dialog" aria-label="Run with parameters" data-testid="run-dialog"
        onMouseDown={(e) => e.stopPropagation()} onSubmit={(e) => { e.preventDefault(); start(); }}
        onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); close(); } }}>
        <div className="quire-modal-head">
          <h2>Run with parameters</h2>
          <button type="button" className="quire-tool" aria-label="Close" onClick={close}>✕</button>
        </div>
        <div className="quire-modal-body">
          <p className="quire-run-intro quire-muted">
            Runs <code>{inputPath.split(/[\\/]/).pop()}</code> top to bottom in a fresh kernel and writes a new output notebook; this notebook is not changed.
          </p>
          {dirty ? (
            <div className="quire-run-notice" role="note" data-testid="run-unsaved">
              This notebook has unsaved changes. The run reads the file, so Quire saves it before the run starts.
            </div>
          ) : null}
          {fields === undefined ? (
            <div className="quire-run-notice" data-testid="run-no-parameters">
              No cell is tagged <code>parameters</code>, so there is nothing to set. Tag the cell holding your defaults (cell toolbar → Parameters), or run the notebook as it is.
            </div>
          ) : fields.length === 0 ? (
            <div className="quire-run-notice">The <code>parameters</code> cell assigns no values Quire can read (<code>name = value</code> lines).</div>
          ) : (
            <fieldset className="quire-run-fields" aria-label="Parameters">
              {fields.map((field) => (
                <ParameterField key={field.name} field={field} value={inputs[field.name] ?? field.initial} error={result.errors[field.name]}
                  onChange={(value) => setInputs((prev) => ({ ...prev, [field.name]: value }))} />
              ))}
            </fieldset>
          )}
          <div className="quire-run-settings">
            <label className="quire-run-setting">
              <span>Kernel</span>
              <select value={kernelName} onChange={(e) => setKernelName(e.target.value)} data-testid="run-kernel">
                {kernelName && !spec ? <option value={kernelName}>{kernelName}</option> : null}
                {specs.map((s) => <option key={`${s.source}:${s.name}`} value={s.name} disabled={s.status === 'broken'}>{s.displayName} ({s.name})</option>)}
              </select>
              {support.problem ? <span className="quire-run-error" role="alert">{support.problem}</span> : null}
            </label>
            <label className="quire-run-setting">
              <span>Output notebook</span>
              <input type="text" className="quire-run-input is-code" value={template} onChange={(e) => setTemplate(e.target.value)} aria-invalid={preview.error ? true : undefined}
                data-testid="run-output-template" spellCheck={false} aria-describedby="run-output-preview" />
              <span id="run-output-preview" className={preview.error ? 'quire-run-error' : 'quire-run-path'} data-testid="run-output-preview">
                {preview.error ?? preview.path}
              </span>
              <span className="quire-muted quire-run-hint">Placeholders: <code>{'{notebook}'}</code> <code>{'{timestamp}'}</code> <code>{'{run_id}'}</code> and any <code>{'{parameter}'}</code>; relative to the notebook&apos;s folder.</span>
            </label>
          </div>
          {startError ? <div className="quire-run-error quire-run-start-error" role="alert" data-testid="run-start-error">Could not start the run: {startError.message}</div> : null}
        </div>
        <div className="quire-run-actions">
          {submitted && problems > 0 ? (
            <span className="quire-run-error" role="alert" data-testid="run-refused">
              Nothing started: fix {problems === 1 ? 'the marked value' : `the ${problems} marked values`} first.
            </span>
          ) : (
            <span className="quire-muted">{Object.keys(result.parameters).length} parameter{Object.keys(result.parameters).length === 1 ? '' : 's'} overridden</span>
          )}
          <span className="quire-toolbar-spacer" />
          <button type="button" className="quire-secondary" onClick={close}>Cancel</button>
          <button type="submit" className="quire-primary" disabled={starting} data-testid="run-start">
            {starting ? 'Starting…' : dirty ? 'Save and run' : 'Run'}
          </button>
        </div>
      </form>
    </div>
  );
}

/**
 * The notebook's kernel does not exist (KERNELSPEC_NOT_FOUND): say so calmly, offer the kernels
 * there are, and list the host's Python interpreters with the exact commands that give one a
 * kernel. The host watches the kernel folders, so an install is picked up without "Check again"
 * (kernelsEpics starts the notebook's own kernel when it appears); the button lists anew anyway.
 */
import { useState } from 'react';
import type { PythonInterpreterInfo } from '../../src/host/contract';
import { kernelsActions } from '../features/kernels/kernelsSlice';
import { useAppDispatch, useAppSelector } from '../store/hooks';

export function NoKernelPanel(): React.JSX.Element | null {
  const dispatch = useAppDispatch();
  const { missing, specs, specsLoaded, status } = useAppSelector((s) => s.kernels);
  if (!missing || status !== 'failed') return null;
  const usable = specs.filter((s) => s.status === 'ok');
  const noneAtAll = specsLoaded && usable.length === 0;
  // With no kernel at all, an interpreter that has ipykernel only lacks its kernelspec: show it too.
  const shown = (missing.interpreters ?? []).filter((p) => !p.hasIpykernel || noneAtAll);
  return (
    <section className="quire-no-kernel" role="status" data-testid="no-kernel">
      <h2>{noneAtAll ? 'No Jupyter kernel was found' : `The kernel “${missing.specName}” was not found`}</h2>
      {usable.length > 0 ? (
        <p className="quire-no-kernel-use">
          Use another:{' '}
          {usable.map((s) => (
            <button type="button" key={s.name} data-testid="no-kernel-use" data-name={s.name}
              onClick={() => dispatch(kernelsActions.launchRequested({ specName: s.name, cwd: missing.cwd }))}>{s.displayName}</button>
          ))}
        </p>
      ) : null}
      {missing.interpreters === undefined ? <p className="quire-muted">Looking for Python…</p>
        : shown.length === 0 ? (
          <p className="quire-muted" data-testid="no-python">
            {missing.interpreters.length === 0 ? 'No Python 3 was found on PATH. Install Python 3, then ipykernel.' : 'Every Python on PATH already has ipykernel.'}
          </p>
        ) : (
          <>
            <p className="quire-muted">To add one, run the commands for a Python on this machine. Quire picks the new kernel up by itself.</p>
            <ul className="quire-python-list">
              {shown.map((p) => <InterpreterAdvice key={p.path} interpreter={p} />)}
            </ul>
          </>
        )}
      <button type="button" data-testid="no-kernel-check" onClick={() => { dispatch(kernelsActions.specsRequested()); dispatch(kernelsActions.interpretersRequested()); }}>
        Check again
      </button>
    </section>
  );
}

function InterpreterAdvice({ interpreter: p }: { interpreter: PythonInterpreterInfo }): React.JSX.Element {
  const [copied, setCopied] = useState(false);
  const text = p.installCommands.join('\n');
  const copy = () => {
    void navigator.clipboard?.writeText(text).then(() => setCopied(true), () => undefined);
  };
  return (
    <li data-testid="python-interpreter" data-path={p.path}>
      <div>
        <code>{p.path}</code> <span className="quire-muted">Python {p.version}{p.inVenv ? ' (venv)' : ''} · {p.hasIpykernel ? 'has ipykernel, no kernelspec' : 'without ipykernel'}</span>
      </div>
      <div className="quire-python-commands">
        <pre data-testid="python-commands">{text}</pre>
        <button type="button" className="quire-link" onClick={copy}>{copied ? 'Copied' : 'Copy'}</button>
      </div>
    </li>
  );
}

/**
 * Kernel lifecycle through the host API: list specs, launch one for the opened notebook,
 * follow its status, interrupt, restart (and run all).
 */
import { catchError, defer, EMPTY, filter, from, ignoreElements, map, merge, mergeMap, of, switchMap, concat, exhaustMap, takeUntil, timer } from 'rxjs';
import type { UnknownAction } from '@reduxjs/toolkit';
import { ErrorCode } from '../../../src/errors';
import { toObservable } from '../../host/toObservable';
import type { DocumentEpic } from '../../store/dependencies';
import { openSucceeded } from '../files/filesSlice';
import { notebookActions } from '../notebook/notebookSlice';
import { kernelsActions } from './kernelsSlice';

/** The `{ code, message }` of a host error (QuireError codes cross the RPC). */
export function errorInfo(error: unknown): { code: string; message: string } {
  const e = error as { code?: unknown; message?: unknown };
  return { code: typeof e?.code === 'string' ? e.code : 'UNKNOWN', message: typeof e?.message === 'string' ? e.message : String(error) };
}

function dirname(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i > 0 ? path.slice(0, i) : path;
}

export const loadKernelSpecsEpic: DocumentEpic = (action$, _state$, { host }) => action$.pipe(
  filter(kernelsActions.specsRequested.match),
  switchMap(() => from(host.kernels.listKernelSpecs()).pipe(
    map((specs) => kernelsActions.specsLoaded(specs)),
    catchError(() => of(kernelsActions.specsLoaded([]))),
  )),
);

/**
 * Opening a notebook starts the kernel its metadata names; when it names none, the `kernels.default`
 * setting's, else python3. A notebook read again after a change on disk keeps the kernel it has,
 * unless the file now names another.
 */
export const launchKernelWhenNotebookOpenedEpic: DocumentEpic = (action$, state$) => action$.pipe(
  filter(openSucceeded.match),
  mergeMap((action) => {
    const spec = action.payload.notebook.metadata.kernelspec as { name?: string } | undefined;
    const specName = spec?.name || state$.value.settings?.settings['kernels.default'] || 'python3';
    const { kernels } = state$.value;
    if (action.payload.reloaded && kernels.status !== 'none' && kernels.specName === specName) return EMPTY;
    return of(kernelsActions.launchRequested({ specName, cwd: dirname(action.payload.path) }));
  }),
);

/** One kernel per window: a new launch shuts the previous kernel down first. */
export const launchKernelEpic: DocumentEpic = (action$, state$, { host, kernels }) => action$.pipe(
  filter(kernelsActions.launchRequested.match),
  switchMap((action) => {
    const previous = state$.value.kernels.kernelId;
    const shutdown$ = previous === undefined ? EMPTY : defer(async () => {
      kernels.release(previous);
      await host.kernels.shutdown(previous).catch(() => undefined);
    }).pipe(ignoreElements());
    const start$ = defer(() => host.kernels.startKernel({ specName: action.payload.specName, cwd: action.payload.cwd })).pipe(
      mergeMap((kernel) => {
        kernels.acquire(kernel.id);
        const spec = state$.value.kernels.specs.find((s) => s.name === kernel.specName);
        return of<UnknownAction[]>(
          kernelsActions.launchSucceeded(kernel),
          notebookActions.kernelspecRecorded({
            name: kernel.specName, displayName: kernel.displayName, language: spec?.language ?? kernel.language,
            languageInfo: kernel.languageInfo as never,
          }),
        );
      }),
      catchError((error: unknown) => of(kernelsActions.launchFailed({ ...errorInfo(error), cwd: action.payload.cwd }))),
    );
    return concat(shutdown$, start$);
  }),
);

/**
 * The notebook's kernelspec does not exist: ask the host which kernels there are and which Python
 * interpreters could get one, for the "no kernel was found" panel.
 */
export const adviseWhenKernelMissingEpic: DocumentEpic = (action$) => action$.pipe(
  filter(kernelsActions.launchFailed.match),
  filter((action) => action.payload.code === ErrorCode.KernelSpecNotFound),
  mergeMap(() => of(kernelsActions.specsRequested(), kernelsActions.interpretersRequested())),
);

export const loadInterpretersEpic: DocumentEpic = (action$, _state$, { host }) => action$.pipe(
  filter(kernelsActions.interpretersRequested.match),
  switchMap(() => from(host.kernels.findPythonInterpreters()).pipe(
    map((interpreters) => kernelsActions.interpretersLoaded(interpreters)),
    catchError(() => of(kernelsActions.interpretersLoaded([]))),
  )),
);

/** A kernel installed, changed or removed while the app is open (the host watches the kernel folders). */
export const kernelSpecsChangedEpic: DocumentEpic = (_action$, _state$, { host }) =>
  toObservable(host.kernels.onDidChangeKernelSpecs).pipe(map((e) => kernelsActions.specsLoaded(e.specs)));

/**
 * When the kernelspec the notebook names appears (installed while the app was open), its kernel
 * starts, as JupyterLab users expect; other new kernels are only offered by the panel.
 */
export const launchKernelWhenSpecAppearsEpic: DocumentEpic = (action$, state$) => action$.pipe(
  filter(kernelsActions.specsLoaded.match),
  mergeMap((action) => {
    const { missing, status } = state$.value.kernels;
    if (!missing || status !== 'failed') return EMPTY;
    const spec = action.payload.find((s) => s.name === missing.specName.toLowerCase() && s.status === 'ok');
    return spec ? of(kernelsActions.launchRequested({ specName: spec.name, cwd: missing.cwd })) : EMPTY;
  }),
);

export const kernelStatusEpic: DocumentEpic = (_action$, _state$, { host }) =>
  toObservable(host.kernels.onDidChangeStatus).pipe(map((e) => kernelsActions.statusChanged(e)));

/** How long a busy kernel may take to answer an interrupt before the cell offers a restart. */
export const INTERRUPT_ANSWER_MS = 3000;

/**
 * Interrupts the kernel. If it was busy and is still busy INTERRUPT_ANSWER_MS later (a kernel
 * that ignores SIGINT, or code stuck in C), says so: the running cells offer a restart. Any
 * status change away from busy in time (idle after the KeyboardInterrupt, restarting, dead) is
 * the answer.
 */
export const interruptKernelEpic: DocumentEpic = (action$, state$, { host, scheduler }) => action$.pipe(
  filter(kernelsActions.interruptRequested.match),
  mergeMap(() => {
    const { kernelId: id, status } = state$.value.kernels;
    if (id === undefined) return EMPTY;
    const interrupt$ = defer(() => host.kernels.interrupt(id)).pipe(ignoreElements(), catchError(() => EMPTY));
    if (status !== 'busy' && status !== 'unresponsive') return interrupt$;
    const answered$ = action$.pipe(filter((a) => (kernelsActions.statusChanged.match(a) && a.payload.kernelId === id
      && a.payload.status !== 'busy' && a.payload.status !== 'unresponsive')
      || kernelsActions.restartRequested.match(a) || kernelsActions.launchRequested.match(a)));
    const unanswered$ = timer(INTERRUPT_ANSWER_MS, scheduler).pipe(
      takeUntil(answered$),
      map(() => kernelsActions.interruptUnanswered({ kernelId: id })),
    );
    return merge(interrupt$, unanswered$);
  }),
);

export const restartKernelEpic: DocumentEpic = (action$, state$, { host }) => action$.pipe(
  filter(kernelsActions.restartRequested.match),
  exhaustMap((action) => {
    const { kernelId: id, status } = state$.value.kernels;
    // A dead kernel's process is gone: start a fresh one of the same spec.
    if (id === undefined || status === 'dead' || status === 'failed') {
      const specName = state$.value.kernels.specName ?? 'python3';
      return of(kernelsActions.launchRequested({ specName }));
    }
    return defer(() => host.kernels.restart(id)).pipe(
      mergeMap((kernel) => {
        const out: UnknownAction[] = [kernelsActions.restartSucceeded(kernel)];
        if (action.payload.runAll) {
          const ids = state$.value.notebook.cells.filter((c) => c.cell_type === 'code').map((c) => c.id ?? '');
          out.push(notebookActions.executeRequested({ ids, skipTagged: true }));
        }
        return of(...out);
      }),
      catchError((error: unknown) => of(kernelsActions.restartFailed(errorInfo(error)))),
    );
  }),
);

export const kernelsEpics = [
  loadKernelSpecsEpic, launchKernelWhenNotebookOpenedEpic, launchKernelEpic, kernelStatusEpic, interruptKernelEpic, restartKernelEpic,
  adviseWhenKernelMissingEpic, loadInterpretersEpic, kernelSpecsChangedEpic, launchKernelWhenSpecAppearsEpic,
];

import type { UnknownAction } from '@reduxjs/toolkit';
import { lastValueFrom, of, Subject, toArray } from 'rxjs';
import { StateObservable } from 'redux-observable';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningKernel } from '../../src/host/contract';
import type { BaseMessage } from '../../src/jupyter/messages';
import { kernelsActions } from '../features/kernels/kernelsSlice';
import type { EpicDependencies } from '../store/dependencies';
import type { DocumentState } from '../store/documentState';
import { installExplorerHelperWhenKernelStartsEpic } from './explorerEpics';
import { setPandasTableSchemaEnabled } from './explorerPreferences';
import { changeSettings, resetSettingsBridge } from '../features/settings/settingsBridge';

const kernel = (language: string): RunningKernel => ({ id: `k-${language}`, specName: language, displayName: language, language, cwd: '/', status: 'idle', startedAt: '' });

async function runEpic(actions: UnknownAction[]): Promise<{ code: string; options: Record<string, unknown> }[]> {
  const executed: { code: string; options: Record<string, unknown> }[] = [];
  const client = {
    execute: (code: string, options: Record<string, unknown>) => {
      executed.push({ code, options });
      return of({ header: { msg_type: 'execute_reply' }, content: { status: 'ok' } } as unknown as BaseMessage);
    },
  };
  const deps = { kernels: { acquire: () => client } } as unknown as EpicDependencies;
  const state$ = new StateObservable<DocumentState>(new Subject(), {} as DocumentState);
  const out = await lastValueFrom(installExplorerHelperWhenKernelStartsEpic(of(...actions), state$, deps).pipe(toArray()));
  expect(out).toEqual([]);
  return executed;
}

afterEach(() => resetSettingsBridge());

describe('installExplorerHelperWhenKernelStartsEpic', () => {
  it('installs the helper silently in Python kernels on start and restart', async () => {
    const runs = await runEpic([kernelsActions.launchSucceeded(kernel('python')), kernelsActions.restartSucceeded(kernel('python'))]);
    expect(runs).toHaveLength(2);
    expect(runs[0].options).toMatchObject({ silent: true, store_history: false });
    expect(runs[0].code).toContain('return mod.install(True, 0)');
  });
  it('leaves other languages alone and honours the preference', async () => {
    expect(await runEpic([kernelsActions.launchSucceeded(kernel('R'))])).toEqual([]);
    setPandasTableSchemaEnabled(false);
    const [run] = await runEpic([kernelsActions.launchSucceeded(kernel('python'))]);
    expect(run.code).toContain('return mod.install(False, 0)');
  });
  it('passes the explorer row limit setting to the helper', async () => {
    changeSettings({ 'explorer.rowLimit': 25 });
    const [run] = await runEpic([kernelsActions.launchSucceeded(kernel('python'))]);
    expect(run.code).toContain('return mod.install(True, 25)');
  });
});

import { describe, expect, it } from 'vitest';
import type { DocumentState } from '../src/host/contract';
import { CloseGuard, WindowNativeHost, type NativeHostDeps } from './nativeHost';

function deps(overrides: Partial<NativeHostDeps> = {}) {
  const applied: DocumentState[] = [];
  const opened: string[] = [];
  const d: NativeHostDeps = {
    showOpenDialog: async () => ({ canceled: false, filePaths: ['/home/u/a.ipynb'] }),
    showSaveDialog: async () => ({ canceled: true }),
    openExternal: async (url) => {
      opened.push(url);
    },
    applyDocumentState: (s) => applied.push(s),
    ...overrides,
  };
  return { d, applied, opened };
}

describe('WindowNativeHost', () => {
  it('returns the chosen path, or undefined when the dialog is cancelled', async () => {
    const seen: unknown[] = [];
    const { d } = deps({ showOpenDialog: async (o) => {
      seen.push(o);
      return { canceled: false, filePaths: ['/x.ipynb'] };
    } });
    const native = new WindowNativeHost(d);
    expect(await native.showOpenDialog({})).toBe('/x.ipynb');
    expect(seen[0]).toMatchObject({ properties: ['openFile'], filters: [{ name: 'Jupyter Notebooks', extensions: ['ipynb'] }, expect.anything()] });
    expect(await native.showSaveDialog({ defaultPath: '/a.ipynb' })).toBeUndefined();
  });

  it('opens only http(s) links externally', async () => {
    const { d, opened } = deps();
    const native = new WindowNativeHost(d);
    await native.openExternal('https://jupyter.org/');
    await expect(native.openExternal('file:///etc/passwd')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(opened).toEqual(['https://jupyter.org/']);
  });

  it('records and applies the document state, and relays menu commands', async () => {
    const { d, applied } = deps();
    const native = new WindowNativeHost(d);
    const commands: unknown[] = [];
    native.onDidRequestCommand((c) => commands.push(c));
    await native.setDocumentState({ path: '/a.ipynb', title: 'a.ipynb', edited: true });
    expect(native.documentState).toEqual({ path: '/a.ipynb', title: 'a.ipynb', edited: true });
    expect(applied).toHaveLength(1);
    await expect(native.setDocumentState({ title: 3 } as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    native.requestCommand('notebook.save');
    native.requestCommand('notebook.openRecent', '/b.ipynb');
    expect(commands).toEqual([{ command: 'notebook.save' }, { command: 'notebook.openRecent', args: '/b.ipynb' }]);
  });
});

describe('CloseGuard', () => {
  it('closes a clean window without asking', () => {
    expect(new CloseGuard(() => ({ title: 'a', edited: false })).onCloseRequested()).toBe('close');
  });

  it('asks when edited: Save closes after the save lands, Don\'t Save closes, Cancel keeps it', () => {
    let state: DocumentState = { title: 'a', edited: true };
    const guard = new CloseGuard(() => state);
    expect(guard.onCloseRequested()).toBe('ask');
    expect(guard.onAnswer(2)).toBe('cancel');
    expect(guard.onCloseRequested()).toBe('ask');
    expect(guard.onAnswer(0)).toBe('save');
    expect(guard.onStateChanged(state)).toBeUndefined(); // still saving
    state = { title: 'a', edited: false };
    expect(guard.onStateChanged(state)).toBe('close');
    expect(guard.onCloseRequested()).toBe('close');

    const other = new CloseGuard(() => ({ title: 'b', edited: true }));
    expect(other.onAnswer(1)).toBe('close');
    expect(other.onCloseRequested()).toBe('close');
    expect(other.onStateChanged({ title: 'b', edited: false })).toBeUndefined();
  });
});

/**
 * The file browser against the real host file service over a temp folder (through the RPC and the
 * browser host's guard, as `quire serve` runs it), so every action is checked on disk.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HostApi } from '../../../src/host/contract';
import { connectHostClient, serveHost } from '../../../src/host/channels';
import { createProtocolPair } from '../../../src/ipc/protocol';
import { NotebookFileService } from '../../../kernels/host/notebookService';
import { guardFileService, WorkspaceGuard } from '../../../kernels/host/workspaceGuard';
import type { TrashOptions } from '../../../kernels/files/moveToTrash';
import { HostContext } from '../../components/HostContext';
import { fakeHost } from '../../testing/fakeHost';
import { FileBrowser, type FileBrowserProps } from './FileBrowser';
import { QUIRE_PATH_MIME } from './fileTree';

const NB = JSON.stringify({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 });

let base: string;
let root: string;
let dataHome: string;
const disposers: Array<() => void> = [];
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'quire-fb-'));
  root = join(base, 'ws');
  dataHome = join(base, 'data');
  mkdirSync(join(root, 'sub', 'deep'), { recursive: true });
  mkdirSync(join(root, 'empty'));
  writeFileSync(join(root, 'a.ipynb'), NB);
  writeFileSync(join(root, 'notes.txt'), 'notes');
  writeFileSync(join(root, '.hidden.ipynb'), NB);
  writeFileSync(join(root, 'sub', 'b.ipynb'), NB);
  writeFileSync(join(root, 'sub', 'deep', 'c.ipynb'), NB);
});
afterEach(() => {
  cleanup();
  for (const dispose of disposers.splice(0)) dispose();
  rmSync(base, { recursive: true, force: true });
});

function hostFor(trash: TrashOptions): { host: HostApi; calls: string[] } {
  const service = new NotebookFileService({ root, shell: 'browser', configDir: join(base, 'config'), recoveryDir: join(base, 'recovery'), restrictToRoot: true, trash });
  const [serverEnd, clientEnd] = createProtocolPair();
  const server = serveHost(serverEnd, { ...fakeHost(), files: guardFileService(service, new WorkspaceGuard(root)) });
  const files = connectHostClient(clientEnd, { native: false }).host.files;
  const calls: string[] = [];
  const counted = new Proxy(files, {
    get(target, prop: string) {
      const value = (target as unknown as Record<string, unknown>)[prop];
      return typeof value === 'function' ? (...args: unknown[]) => { calls.push(`${prop} ${String(args[0]).slice(root.length) || '/'}`); return (value as (...a: unknown[]) => unknown)(...args); } : value;
    },
  });
  disposers.push(() => server.dispose(), () => service.dispose());
  return { host: { ...fakeHost(), files: counted }, calls };
}

function mount(props: Partial<FileBrowserProps> = {}, trash: TrashOptions = { platform: 'linux', env: { XDG_DATA_HOME: dataHome } }) {
  const { host, calls } = hostFor(trash);
  const onOpen = vi.fn();
  const onRenamed = vi.fn();
  const onDeleted = vi.fn();
  const all = { root, onOpen, onRenamed, onDeleted, pollMs: 0, ...props };
  const view = render(<HostContext.Provider value={host}><FileBrowser {...all} /></HostContext.Provider>);
  const rerender = (next: Partial<FileBrowserProps>) => view.rerender(<HostContext.Provider value={host}><FileBrowser {...all} {...next} /></HostContext.Provider>);
  return { onOpen, onRenamed, onDeleted, calls, rerender };
}

const items = () => screen.queryAllByRole('treeitem');
const names = () => items().map((i) => `${'  '.repeat(Number(i.getAttribute('aria-level')) - 1)}${i.textContent}`);
const item = (name: string) => {
  const found = items().find((i) => i.querySelector('.quire-fb-name, input')?.textContent === name || i.getAttribute('data-path')?.endsWith(`/${name}`));
  if (!found) throw new Error(`no item ${name} in ${names().join(', ')}`);
  return found;
};
const tree = () => screen.getByRole('tree');
const key = (k: string) => fireEvent.keyDown(document.activeElement ?? tree(), { key: k });

describe('FileBrowser', () => {
  it('shows the workspace as a tree: folders first, notebooks and other files, hidden ones not; folders load when expanded', async () => {
    const { calls } = mount();
    await waitFor(() => expect(names()).toEqual(['empty', 'sub', 'a.ipynb', 'notes.txt']));
    expect(item('sub').getAttribute('aria-expanded')).toBe('false');
    expect(item('a.ipynb').getAttribute('aria-expanded')).toBeNull();
    expect(item('a.ipynb').getAttribute('draggable')).toBe('true');
    expect(item('notes.txt').getAttribute('draggable')).toBe('false');
    expect(calls.filter((c) => c.startsWith('listDirectory'))).toEqual(['listDirectory /']);
    fireEvent.click(item('sub'));
    await waitFor(() => expect(names()).toEqual(['empty', 'sub', '  deep', '  b.ipynb', 'a.ipynb', 'notes.txt']));
    expect(item('sub').getAttribute('aria-expanded')).toBe('true');
    expect(calls.filter((c) => c.startsWith('listDirectory'))).toEqual(['listDirectory /', 'listDirectory /sub']);
  });

  it('keyboard: arrows move and expand, Enter opens a notebook, F2 renames, Delete trashes', async () => {
    const { onOpen } = mount();
    await waitFor(() => expect(items()).toHaveLength(4));
    fireEvent.click(item('notes.txt'));
    // Keys act on the focused row (Tab, a screen reader), which becomes the selection.
    act(() => item('empty').focus());
    expect(item('empty').getAttribute('aria-selected')).toBe('true');
    key('ArrowDown');
    expect(document.activeElement).toBe(item('sub'));
    key('ArrowRight');
    await waitFor(() => expect(item('sub').getAttribute('aria-expanded')).toBe('true'));
    await waitFor(() => expect(names()).toContain('  b.ipynb'));
    key('ArrowRight');
    expect(document.activeElement).toBe(item('deep'));
    key('ArrowDown');
    expect(document.activeElement).toBe(item('b.ipynb'));
    key('Enter');
    expect(onOpen).toHaveBeenCalledWith(join(root, 'sub', 'b.ipynb'));
    key('ArrowLeft');
    expect(document.activeElement).toBe(item('sub'));
    key('ArrowLeft');
    expect(item('sub').getAttribute('aria-expanded')).toBe('false');
    key('End');
    expect(document.activeElement).toBe(item('notes.txt'));
    expect(item('notes.txt').getAttribute('aria-selected')).toBe('true');
    key('Enter');
    expect(screen.getByTestId('fb-notice').textContent).toContain('Quire opens notebooks only');
    expect(onOpen).toHaveBeenCalledTimes(1);

    key('F2');
    const input = screen.getByTestId('fb-rename-input') as HTMLInputElement;
    expect(input.value).toBe('notes.txt');
    fireEvent.change(input, { target: { value: 'renamed.txt' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(names()).toContain('renamed.txt'));
    expect(readFileSync(join(root, 'renamed.txt'), 'utf8')).toBe('notes');
    expect(document.activeElement).toBe(item('renamed.txt'));

    key('Delete');
    await waitFor(() => expect(names()).not.toContain('renamed.txt'));
    expect(readFileSync(join(dataHome, 'Trash', 'files', 'renamed.txt'), 'utf8')).toBe('notes');
    expect(screen.getByTestId('fb-notice').textContent).toBe(`Moved “renamed.txt” to the trash (${join(dataHome, 'Trash')}).`);
  });

  it('New notebook: Untitled.ipynb, then Untitled1.ipynb, in the selected folder, opened', async () => {
    const { onOpen } = mount();
    await waitFor(() => expect(items()).toHaveLength(4));
    fireEvent.click(screen.getByTestId('fb-new-notebook'));
    await waitFor(() => expect(onOpen).toHaveBeenCalledWith(join(root, 'Untitled.ipynb')));
    fireEvent.click(screen.getByTestId('fb-new-notebook'));
    await waitFor(() => expect(onOpen).toHaveBeenCalledWith(join(root, 'Untitled1.ipynb')));
    expect(item('Untitled1.ipynb').getAttribute('aria-selected')).toBe('true');
    fireEvent.click(item('sub'));
    fireEvent.click(screen.getByTestId('fb-new-notebook'));
    await waitFor(() => expect(onOpen).toHaveBeenCalledWith(join(root, 'sub', 'Untitled.ipynb')));
    expect(JSON.parse(readFileSync(join(root, 'sub', 'Untitled.ipynb'), 'utf8'))).toMatchObject({ nbformat: 4, nbformat_minor: 5 });
  });

  it('New folder starts an inline rename; a taken name is refused inline and nothing is replaced; Escape cancels', async () => {
    const { onRenamed } = mount();
    await waitFor(() => expect(items()).toHaveLength(4));
    fireEvent.click(screen.getByTestId('fb-new-folder'));
    const input = (await screen.findByTestId('fb-rename-input')) as HTMLInputElement;
    expect(input.value).toBe('Untitled Folder');
    expect(existsSync(join(root, 'Untitled Folder'))).toBe(true);
    fireEvent.change(input, { target: { value: 'sub' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect((await screen.findByTestId('fb-rename-error')).textContent).toBe('“sub” already exists here.');
    expect(readdirSync(join(root, 'sub')).sort()).toEqual(['b.ipynb', 'deep']);
    fireEvent.change(input, { target: { value: 'a/b' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(screen.getByTestId('fb-rename-error').textContent).toContain('cannot contain /');
    fireEvent.change(input, { target: { value: 'data' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(names()).toContain('data'));
    expect(existsSync(join(root, 'data'))).toBe(true);
    expect(existsSync(join(root, 'Untitled Folder'))).toBe(false);
    expect(onRenamed).toHaveBeenCalledWith(join(root, 'Untitled Folder'), join(root, 'data'));

    fireEvent.click(item('a.ipynb'));
    fireEvent.click(screen.getByTestId('fb-rename'));
    const again = screen.getByTestId('fb-rename-input');
    fireEvent.change(again, { target: { value: 'zzz.ipynb' } });
    fireEvent.keyDown(again, { key: 'Escape' });
    expect(screen.queryByTestId('fb-rename-input')).toBeNull();
    expect(existsSync(join(root, 'a.ipynb'))).toBe(true);
    expect(onRenamed).toHaveBeenCalledTimes(1);
  });

  it('renaming an expanded folder keeps it expanded under its new name', async () => {
    const { onRenamed } = mount({ activePath: join(root, 'sub', 'deep', 'c.ipynb') });
    await waitFor(() => expect(names()).toContain('    c.ipynb'));
    fireEvent.click(item('sub'));
    fireEvent.click(item('sub')); // toggled shut and open again; selected
    await waitFor(() => expect(item('sub').getAttribute('aria-expanded')).toBe('true'));
    fireEvent.click(screen.getByTestId('fb-rename'));
    const input = screen.getByTestId('fb-rename-input');
    fireEvent.change(input, { target: { value: 'moved' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(names()).toContain('moved'));
    expect(onRenamed).toHaveBeenCalledWith(join(root, 'sub'), join(root, 'moved'));
    await waitFor(() => expect(item('moved').getAttribute('aria-expanded')).toBe('true'));
    await waitFor(() => expect(names()).toContain('  b.ipynb'));
  });

  it('Duplicate makes a-Copy1.ipynb beside it', async () => {
    mount();
    await waitFor(() => expect(items()).toHaveLength(4));
    expect(screen.getByTestId('fb-duplicate')).toHaveProperty('disabled', true);
    fireEvent.click(item('a.ipynb'));
    fireEvent.click(screen.getByTestId('fb-duplicate'));
    await waitFor(() => expect(names()).toContain('a-Copy1.ipynb'));
    expect(item('a-Copy1.ipynb').getAttribute('aria-selected')).toBe('true');
    expect(readFileSync(join(root, 'a-Copy1.ipynb'), 'utf8')).toBe(NB);
  });

  it('no trash: says why and asks; Keep it keeps the file, Delete for good deletes it', async () => {
    const { onDeleted } = mount({}, { platform: 'win32' });
    await waitFor(() => expect(items()).toHaveLength(4));
    fireEvent.click(item('a.ipynb'));
    fireEvent.click(screen.getByTestId('fb-delete'));
    const confirm = await screen.findByRole('alertdialog');
    expect(confirm.textContent).toContain('There is no trash for “a.ipynb”: Quire cannot use the Windows Recycle Bin yet.');
    expect(confirm.textContent).toContain('Delete it for good?');
    fireEvent.click(within(confirm).getByText('Keep it'));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(existsSync(join(root, 'a.ipynb'))).toBe(true);

    fireEvent.click(screen.getByTestId('fb-delete'));
    fireEvent.click(await screen.findByTestId('fb-delete-for-good'));
    await waitFor(() => expect(names()).not.toContain('a.ipynb'));
    expect(existsSync(join(root, 'a.ipynb'))).toBe(false);
    expect(onDeleted).toHaveBeenCalledWith(join(root, 'a.ipynb'));
    expect(screen.getByTestId('fb-notice').textContent).toBe('Deleted “a.ipynb” for good.');

    // A folder with content is not deleted for good: the reason shows inline.
    fireEvent.click(item('sub'));
    fireEvent.click(screen.getByTestId('fb-delete'));
    fireEvent.click(await screen.findByTestId('fb-delete-for-good'));
    await waitFor(() => expect(screen.getByTestId('fb-notice').textContent).toMatch(/Could not delete sub: sub is not empty/));
    expect(screen.getByTestId('fb-notice').getAttribute('role')).toBe('alert');
    expect(existsSync(join(root, 'sub', 'b.ipynb'))).toBe(true);
  });

  it('a notebook drags with application/x-quire-path carrying its path', async () => {
    mount();
    await waitFor(() => expect(items()).toHaveLength(4));
    const data = new Map<string, string>();
    const dataTransfer = { setData: (type: string, value: string) => data.set(type, value) };
    fireEvent.dragStart(item('a.ipynb'), { dataTransfer });
    expect(data.get(QUIRE_PATH_MIME)).toBe(join(root, 'a.ipynb'));
    expect(data.get('text/plain')).toBe(join(root, 'a.ipynb'));
  });

  it('reveals and highlights activePath: the folders above it expand', async () => {
    const { rerender } = mount({ activePath: join(root, 'sub', 'deep', 'c.ipynb') });
    await waitFor(() => expect(names()).toEqual(['empty', 'sub', '  deep', '    c.ipynb', '  b.ipynb', 'a.ipynb', 'notes.txt']));
    expect(item('c.ipynb').getAttribute('aria-current')).toBe('page');
    expect(item('c.ipynb').getAttribute('aria-selected')).toBe('true');
    expect(item('c.ipynb').getAttribute('tabindex')).toBe('0');
    rerender({ activePath: join(root, 'a.ipynb') });
    await waitFor(() => expect(item('a.ipynb').getAttribute('aria-current')).toBe('page'));
    expect(item('c.ipynb').getAttribute('aria-current')).toBeNull();
  });

  it('refreshes the shown folders when the window gets focus; a folder deleted outside collapses', async () => {
    const { calls } = mount({ activePath: join(root, 'sub', 'b.ipynb') });
    await waitFor(() => expect(names()).toContain('  b.ipynb'));
    writeFileSync(join(root, 'sub', 'new.ipynb'), NB);
    writeFileSync(join(root, 'late.csv'), '1');
    const before = calls.length;
    act(() => { window.dispatchEvent(new Event('focus')); });
    await waitFor(() => expect(names()).toEqual(['empty', 'sub', '  deep', '  b.ipynb', '  new.ipynb', 'a.ipynb', 'late.csv', 'notes.txt']));
    expect(calls.slice(before).sort()).toEqual(['listDirectory /', 'listDirectory /sub']);
    rmSync(join(root, 'sub'), { recursive: true });
    act(() => { window.dispatchEvent(new Event('focus')); });
    await waitFor(() => expect(names()).toEqual(['empty', 'a.ipynb', 'late.csv', 'notes.txt']));
  });

  it('polls every pollMs while visible', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      mount({ pollMs: 5_000 });
      await waitFor(() => expect(items()).toHaveLength(4));
      writeFileSync(join(root, 'b.ipynb'), NB);
      act(() => { vi.advanceTimersByTime(5_000); });
      await waitFor(() => expect(names()).toContain('b.ipynb'));
    } finally {
      vi.useRealTimers();
    }
  });
});

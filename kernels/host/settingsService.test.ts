import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Event } from '../../src/base/event';
import type { HostApi } from '../../src/host/contract';
import { connectHostClient, serveHost } from '../../src/host/channels';
import { createProtocolPair } from '../../src/ipc/protocol';
import type { SettingsState } from '../../src/settings/settings';
import { userConfigDir } from './configDir';
import { createHost } from './createHost';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** A host on a temp config folder and two clients connected to it (two windows or tabs). */
function twoClients(configDir?: string): { a: HostApi; b: HostApi; configDir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'quire-settings-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const config = configDir ?? join(dir, 'config');
  const host = createHost({ root: dir, shell: 'browser', configDir: config });
  cleanups.push(() => host.shutdown());
  const connect = () => {
    const [serverEnd, clientEnd] = createProtocolPair();
    const server = serveHost(serverEnd, host);
    cleanups.push(() => server.dispose());
    return connectHostClient(clientEnd, { native: false }).host;
  };
  return { a: connect(), b: connect(), configDir: config, file: join(config, 'settings.json') };
}

/** The next state a client hears about that satisfies `predicate`. */
function nextChange(client: HostApi, predicate: (s: SettingsState) => boolean = () => true): Promise<SettingsState> {
  return Event.toPromise(Event.filter(client.settings.onDidChange, predicate));
}

describe('settings service', () => {
  it('gives the defaults and the file path when there is no file', async () => {
    const { a, file } = twoClients();
    const state = await a.settings.get();
    expect(state).toMatchObject({ path: file, problems: [], settings: { theme: 'system', 'editor.fontSize': 13 } });
    expect(state.parseError).toBeUndefined();
    expect(state.readOnly).toBeUndefined();
  });

  it('writes an update from one client and tells the other at once', async () => {
    const { a, b, file } = twoClients();
    const heard = nextChange(b);
    await b.settings.get();
    const returned = await a.settings.update({ theme: 'dark' });
    expect(returned.settings.theme).toBe('dark');
    expect((await heard).settings.theme).toBe('dark');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ version: 1, theme: 'dark' });
    expect((await b.settings.get()).settings.theme).toBe('dark');
  });

  it('keeps unknown keys and every other key of the file, changing only the given ones', async () => {
    const { a, configDir, file } = twoClients();
    mkdirSync(configDir, { recursive: true });
    writeFileSync(file, JSON.stringify({ 'theme': 'light', 'future.setting': { nested: [1, 2] }, 'editor.fontSize': 'big' }, null, 2));
    const before = await a.settings.get();
    expect(before.problems.map((p) => p.key)).toEqual(['future.setting', 'editor.fontSize']);
    expect(before.settings['editor.fontSize']).toBe(13);
    const after = await a.settings.update({ 'editor.wordWrap': true });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ 'theme': 'light', 'future.setting': { nested: [1, 2] }, 'editor.fontSize': 'big', 'editor.wordWrap': true });
    expect(after.settings).toMatchObject({ 'theme': 'light', 'editor.wordWrap': true, 'editor.fontSize': 13 });
  });

  it('refuses unknown keys and bad values in an update and writes nothing', async () => {
    const { a, file } = twoClients();
    await expect(a.settings.update({ theme: 'purple' } as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('"theme" must be one of') });
    await expect(a.settings.update({ colour: 'red' } as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('unknown setting "colour"') });
    expect(() => readFileSync(file)).toThrow(/ENOENT/);
  });

  it('tells every client when the file is changed outside Quire', async () => {
    const { a, b, configDir, file } = twoClients();
    mkdirSync(configDir, { recursive: true });
    writeFileSync(file, '{ "theme": "light" }\n');
    expect((await a.settings.get()).settings.theme).toBe('light');
    const heardA = nextChange(a, (s) => s.settings.theme === 'dark');
    const heardB = nextChange(b, (s) => s.settings.theme === 'dark');
    writeFileSync(file, '{ "theme": "dark", "editor.fontSize": 18 }\n');
    const [stateA, stateB] = await Promise.all([heardA, heardB]);
    expect(stateA.settings['editor.fontSize']).toBe(18);
    expect(stateB.settings['editor.fontSize']).toBe(18);
  });

  it('reports a file that does not parse with its location, refuses to write it, and keeps it byte-identical', async () => {
    const { a, b, configDir, file } = twoClients();
    mkdirSync(configDir, { recursive: true });
    const broken = '{\n  "theme": "dark"\n  "editor.fontSize": 14\n}\n';
    writeFileSync(file, broken);
    const state = await a.settings.get();
    expect(state.parseError).toMatchObject({ line: 3, column: 3 });
    expect(state.settings.theme).toBe('system');
    const heard = nextChange(b, (s) => s.saveError !== undefined);
    await expect(a.settings.update({ 'editor.lineNumbers': true })).rejects.toMatchObject({
      code: 'WRITE_FAILED', message: expect.stringMatching(/does not parse .*line 3, column 3.*left as it is/),
    });
    expect(readFileSync(file, 'utf8')).toBe(broken);
    // The change still applies for this session, and every client is told it was not saved.
    const after = await heard;
    expect(after.settings['editor.lineNumbers']).toBe(true);
    expect(after.parseError).toMatchObject({ line: 3 });
  });

  it('says clearly that a read-only config folder cannot be saved to, and keeps the change for the session', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quire-settings-ro-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    // Tests run as root, which may write anywhere: a regular file where a folder should be stops it too.
    writeFileSync(join(dir, 'not-a-folder'), 'x');
    const { a, b } = twoClients(join(dir, 'not-a-folder', 'quire'));
    const state = await a.settings.get();
    expect(state.readOnly).toBe(true);
    expect(state.settings.theme).toBe('system');
    const heard = nextChange(b, (s) => s.settings.theme === 'dark');
    await expect(a.settings.update({ theme: 'dark' })).rejects.toMatchObject({
      code: 'WRITE_FAILED', message: expect.stringContaining('Settings were not saved to'),
    });
    const after = await heard;
    expect(after.saveError).toMatch(/not a folder \(ENOTDIR\)\. The change applies until Quire closes\./);
    expect(after.readOnly).toBe(true);
    expect((await a.settings.get()).settings.theme).toBe('dark');
    expect(readFileSync(join(dir, 'not-a-folder'), 'utf8')).toBe('x');
  });
});

describe('userConfigDir', () => {
  it('follows QUIRE_CONFIG_DIR, then XDG_CONFIG_HOME, then the platform', () => {
    expect(userConfigDir({ QUIRE_CONFIG_DIR: '/q/cfg', XDG_CONFIG_HOME: '/x' }, 'linux', '/home/u')).toBe('/q/cfg');
    expect(userConfigDir({ XDG_CONFIG_HOME: '/x' }, 'linux', '/home/u')).toBe('/x/quire');
    const none = () => false;
    expect(userConfigDir({}, 'linux', '/home/u', none)).toBe('/home/u/.config/quire');
    expect(userConfigDir({}, 'darwin', '/Users/u', none)).toBe('/Users/u/Library/Application Support/Quire');
    expect(userConfigDir({ APPDATA: 'C:/Users/u/AppData/Roaming' }, 'win32', 'C:/Users/u', none)).toBe(join('C:/Users/u/AppData/Roaming', 'Quire'));
  });

  it('keeps using ~/.config/quire on macOS and Windows where an earlier version saved there', () => {
    const only = (path: string) => (p: string) => p === path;
    expect(userConfigDir({}, 'darwin', '/Users/u', only('/Users/u/.config/quire'))).toBe('/Users/u/.config/quire');
    const both = (p: string) => p === '/Users/u/.config/quire' || p === '/Users/u/Library/Application Support/Quire';
    expect(userConfigDir({}, 'darwin', '/Users/u', both)).toBe('/Users/u/Library/Application Support/Quire');
  });
});

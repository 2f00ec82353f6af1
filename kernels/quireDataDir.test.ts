import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quireDataDir } from './quireDataDir';

describe('quireDataDir', () => {
  it('is QUIRE_DATA_DIR when set, else the platform per-user data folder', () => {
    const homeDir = '/home/ana';
    expect(quireDataDir({ env: { QUIRE_DATA_DIR: '/data/q', XDG_DATA_HOME: '/x' }, platform: 'linux', homeDir })).toBe('/data/q');
    expect(quireDataDir({ env: {}, platform: 'linux', homeDir })).toBe(join(homeDir, '.local', 'share', 'quire'));
    expect(quireDataDir({ env: { XDG_DATA_HOME: '/xdg' }, platform: 'linux', homeDir })).toBe(join('/xdg', 'quire'));
    expect(quireDataDir({ env: {}, platform: 'darwin', homeDir })).toBe(join(homeDir, 'Library', 'Application Support', 'Quire'));
    expect(quireDataDir({ env: { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, platform: 'win32', homeDir })).toBe(join('C:\\Users\\ana\\AppData\\Roaming', 'Quire'));
  });
});

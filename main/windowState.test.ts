import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SIZE, loadWindowState, restoreBounds, saveWindowState } from './windowState';

const screen = { x: 0, y: 0, width: 1920, height: 1080 };
const second = { x: 1920, y: 0, width: 1280, height: 1024 };

describe('restoreBounds', () => {
  it('centres the default size without a memory', () => {
    expect(restoreBounds(undefined, [screen])).toEqual({ bounds: { x: 360, y: 110, ...DEFAULT_SIZE }, maximized: false });
  });

  it('restores remembered bounds and maximized state when they are on a display', () => {
    const saved = { bounds: { x: 2000, y: 50, width: 1000, height: 800 }, maximized: true };
    expect(restoreBounds(saved, [screen, second])).toEqual(saved);
  });

  it('recentres a window whose display is gone, and shrinks one larger than its display', () => {
    const gone = { bounds: { x: 2000, y: 50, width: 1000, height: 800 }, maximized: true };
    expect(restoreBounds(gone, [screen])).toEqual({ bounds: { x: 460, y: 140, width: 1000, height: 800 }, maximized: false });
    const huge = { bounds: { x: 0, y: 0, width: 4000, height: 3000 }, maximized: false };
    expect(restoreBounds(huge, [screen]).bounds).toMatchObject({ width: 1920, height: 1080 });
  });

  it('cascades further windows and keeps them on screen', () => {
    const saved = { bounds: { x: 100, y: 100, width: 800, height: 600 }, maximized: false };
    expect(restoreBounds(saved, [screen], 2).bounds).toEqual({ x: 156, y: 156, width: 800, height: 600 });
    const corner = { bounds: { x: 1100, y: 470, width: 800, height: 600 }, maximized: false };
    const moved = restoreBounds(corner, [screen], 3).bounds;
    expect(moved.x + moved.width).toBeLessThanOrEqual(1920);
    expect(moved.y + moved.height).toBeLessThanOrEqual(1080);
  });

  it('ignores nonsense', () => {
    expect(restoreBounds({ bounds: { x: NaN, y: 0, width: 10, height: 10 }, maximized: false }, [screen]).bounds).toMatchObject(DEFAULT_SIZE);
  });
});

describe('window state file', () => {
  it('round-trips and treats a damaged file as no memory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quire-winstate-'));
    try {
      const file = join(dir, 'sub', 'window-state.json');
      expect(loadWindowState(file)).toBeUndefined();
      saveWindowState(file, { bounds: { x: 1, y: 2, width: 800, height: 600 }, maximized: true });
      expect(loadWindowState(file)).toEqual({ bounds: { x: 1, y: 2, width: 800, height: 600 }, maximized: true });
      writeFileSync(file, '{"bounds": [');
      expect(loadWindowState(file)).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

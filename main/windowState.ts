import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect;
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1200, height: 860 };
export const MIN_SIZE = { width: 480, height: 360 };
const CASCADE = 28;

/**
 * Where a new window goes: the remembered bounds if they still fit on a display (monitors come
 * and go), shifted down-right for each window already open so they do not stack exactly;
 * otherwise the default size centred on the primary work area.
 */
export function restoreBounds(saved: WindowState | undefined, workAreas: readonly Rect[], openWindows = 0): WindowState {
  const primary = workAreas[0] ?? { x: 0, y: 0, ...DEFAULT_SIZE };
  const valid = saved && isRect(saved.bounds) && saved.bounds.width >= MIN_SIZE.width && saved.bounds.height >= MIN_SIZE.height;
  let bounds: Rect;
  let maximized = false;
  if (valid) {
    // Usable when at least a quarter of it is on one display (a monitor may have been unplugged).
    const area = workAreas.find((a) => visibleArea(saved.bounds, a) >= 0.25 * saved.bounds.width * saved.bounds.height);
    if (area) {
      bounds = { ...saved.bounds, width: Math.min(saved.bounds.width, area.width), height: Math.min(saved.bounds.height, area.height) };
      maximized = saved.maximized === true;
    } else {
      bounds = centred(primary, saved.bounds.width, saved.bounds.height);
    }
  } else {
    bounds = centred(primary, DEFAULT_SIZE.width, DEFAULT_SIZE.height);
  }
  if (openWindows > 0) {
    const area = workAreas.find((a) => visibleArea(bounds, a) > 0) ?? primary;
    const shift = (openWindows % 8) * CASCADE;
    bounds = {
      ...bounds,
      x: Math.min(bounds.x + shift, area.x + area.width - bounds.width),
      y: Math.min(bounds.y + shift, area.y + area.height - bounds.height),
    };
  }
  return { bounds, maximized };
}

function centred(area: Rect, width: number, height: number): Rect {
  const w = Math.min(width, area.width);
  const h = Math.min(height, area.height);
  return { x: Math.round(area.x + (area.width - w) / 2), y: Math.round(area.y + (area.height - h) / 2), width: w, height: h };
}

function visibleArea(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

function isRect(value: unknown): value is Rect {
  const r = value as Rect;
  return typeof r === 'object' && r !== null && [r.x, r.y, r.width, r.height].every((n) => Number.isFinite(n));
}

/** Reads the remembered state; a missing or damaged file means "no memory", never an error. */
export function loadWindowState(file: string): WindowState | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<WindowState>;
    return isRect(parsed.bounds) ? { bounds: parsed.bounds, maximized: parsed.maximized === true } : undefined;
  } catch {
    return undefined;
  }
}

/** Writes atomically (temp file + rename) so a crash mid-write cannot leave half a file. */
export function saveWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(state)}\n`);
  renameSync(temp, file);
}

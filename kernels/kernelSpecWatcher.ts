/**
 * Notices kernelspecs appearing, changing or going away, so a kernel installed while the app is
 * open (`ipykernel install --user`, `apt-get install python3-ipykernel`) is picked up without a
 * restart. fs.watch is not recursive on Linux, so it watches each kernels folder that exists and
 * each spec folder in it (kernel.json is often written after its folder appears), and for a folder
 * that does not exist yet its nearest existing ancestor (~/.local/share/jupyter before the first
 * `ipykernel install --user`). Events are debounced; after each burst the watches are placed again
 * (a folder may have appeared) and `onChange` runs. Watch errors are ignored: the list can always
 * be asked for again.
 */
import { type FSWatcher, readdirSync, statSync, watch } from 'node:fs';
import { dirname, join } from 'node:path';
import { Disposable, toDisposable } from '../src/base/lifecycle';

export const SPEC_WATCH_DEBOUNCE_MS = 150;

export class KernelSpecWatcher extends Disposable {
  private readonly _watchers = new Map<string, FSWatcher>();
  private _timer: ReturnType<typeof setTimeout> | undefined;
  private _disposed = false;

  constructor(private readonly _dirs: () => string[], private readonly _onChange: () => void, private readonly _debounceMs = SPEC_WATCH_DEBOUNCE_MS) {
    super();
    this._register(toDisposable(() => {
      this._disposed = true;
      clearTimeout(this._timer);
      for (const w of this._watchers.values()) w.close();
      this._watchers.clear();
    }));
    this._place();
  }

  /** The folders watched now (for tests and diagnostics). */
  get watched(): string[] {
    return [...this._watchers.keys()].sort();
  }

  private _place(): void {
    const wanted = new Set<string>();
    for (const dir of this._dirs()) {
      if (isDirectory(dir)) {
        wanted.add(dir);
        for (const sub of subdirectories(dir)) wanted.add(sub);
      } else {
        const ancestor = nearestExisting(dir);
        if (ancestor) wanted.add(ancestor);
      }
    }
    for (const [dir, w] of this._watchers) {
      if (!wanted.has(dir)) {
        w.close();
        this._watchers.delete(dir);
      }
    }
    for (const dir of wanted) {
      if (this._watchers.has(dir)) continue;
      try {
        const w = watch(dir, { persistent: false }, () => this._changed());
        w.on('error', () => {
          w.close();
          if (this._watchers.get(dir) === w) this._watchers.delete(dir);
          this._changed();
        });
        this._watchers.set(dir, w);
      } catch {
        // Gone between the check and the watch, or not readable: the next event places it again.
      }
    }
  }

  private _changed(): void {
    if (this._disposed) return;
    clearTimeout(this._timer);
    this._timer = setTimeout(() => {
      this._timer = undefined;
      if (this._disposed) return;
      this._place();
      this._onChange();
    }, this._debounceMs);
    this._timer.unref?.();
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function subdirectories(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() || e.isSymbolicLink()).map((e) => join(dir, e.name)).filter(isDirectory);
  } catch {
    return [];
  }
}

function nearestExisting(path: string): string | undefined {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if (isDirectory(dir)) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

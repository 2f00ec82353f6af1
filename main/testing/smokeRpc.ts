/**
 * What the main-process smoke scripts share: waiting on a condition, RPC calls as a window's
 * renderer makes them over the fake ipcMain, finding menu items, and printing the results line.
 */
import { type FakeBrowserWindow, ipcMain } from './fakeElectron';

export const APP_FRAME = { url: 'quire://app/index.html' };
let nextRequest = 100;

export const waitFor = async (check: () => boolean, ms = 20_000, what = 'a condition'): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** One RPC call as the renderer in `win` would make it; resolves with the response frame. */
export async function call(win: FakeBrowserWindow, ch: string, m: string, a: unknown[], frame = APP_FRAME): Promise<{ t: string; r?: unknown; e?: { message: string } }> {
  const id = nextRequest++;
  ipcMain.emit('nb:rpc', { sender: { id: win.webContents.id }, senderFrame: frame }, JSON.stringify({ t: 'req', id, ch, m, a }));
  const find = () => win.webContents.sent.map((s) => JSON.parse(String(s[1]))).find((f) => f.id === id);
  await waitFor(() => find() !== undefined);
  return find();
}

/** `call`'s result, or an error with the host's message. */
export async function result<T>(win: FakeBrowserWindow, ch: string, m: string, a: unknown[]): Promise<T> {
  const response = await call(win, ch, m, a);
  if (response.e) throw new Error(`${ch}.${m}: ${response.e.message}`);
  return response.r as T;
}

/** Asks `fetch` again until `done` holds of its answer; fails after `ms`, saying what it waited for. */
export async function until<T>(what: string, fetch: () => Promise<T>, done: (value: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fetch();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
  }
}

export function findMenuItem(items: unknown[] | undefined, id: string): { click?: () => void; accelerator?: string } | undefined {
  for (const item of (items ?? []) as Array<{ id?: string; submenu?: unknown[]; click?: () => void }>) {
    if (item.id === id) return item;
    const inner = findMenuItem(item.submenu, id);
    if (inner) return inner;
  }
  return undefined;
}

/** Runs `main` and prints one `RESULTS {json}` line for the test, then exits. */
export function report(results: Record<string, unknown>, main: () => Promise<void>): void {
  main().then(
    () => {
      process.stdout.write(`RESULTS ${JSON.stringify(results)}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      process.stdout.write(`RESULTS ${JSON.stringify({ ...results, error: String(error) })}\n`);
      process.exit(1);
    },
  );
}

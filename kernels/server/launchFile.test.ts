import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { launchFileBase, writeLaunchFile } from './launchFile';
import { cookieValue } from './launchSessions';

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('writeLaunchFile', () => {
  it('writes a 0600 page in a fresh 0700 folder that redirects to the launch address', () => {
    const base = mkdtempSync(join(tmpdir(), 'quire-launch-test-'));
    temps.push(base);
    const launch = writeLaunchFile('http://127.0.0.1:1234/launch?code=abc&x="<y>"', base);
    expect(fileURLToPath(launch.url)).toBe(launch.path);
    expect(dirname(dirname(launch.path))).toBe(base);
    expect(statSync(launch.path).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(launch.path)).mode & 0o777).toBe(0o700);
    const html = readFileSync(launch.path, 'utf8');
    expect(html).toContain('<meta http-equiv="refresh" content="0;url=http://127.0.0.1:1234/launch?code=abc&amp;x=&quot;&lt;y&gt;&quot;">');
    expect(html).toContain('<meta name="referrer" content="no-referrer">');
    launch.dispose();
    expect(existsSync(dirname(launch.path))).toBe(false);
  });

  it('uses $XDG_RUNTIME_DIR only when it is a private folder of ours', () => {
    const runtime = mkdtempSync(join(tmpdir(), 'quire-runtime-'));
    temps.push(runtime);
    expect(launchFileBase({ XDG_RUNTIME_DIR: runtime })).toBe(runtime);
    const open = join(runtime, 'open');
    mkdirSync(open, { mode: 0o755 });
    expect(launchFileBase({ XDG_RUNTIME_DIR: open })).toBe(tmpdir());
    expect(launchFileBase({ XDG_RUNTIME_DIR: join(runtime, 'missing') })).toBe(tmpdir());
    expect(launchFileBase({})).toBe(tmpdir());
  });
});

describe('cookieValue', () => {
  it('finds a cookie by exact name', () => {
    expect(cookieValue('a=1; quire-session-5=xyz; b=2', 'quire-session-5')).toBe('xyz');
    expect(cookieValue('quire-session-55=xyz', 'quire-session-5')).toBeUndefined();
    expect(cookieValue(undefined, 'a')).toBeUndefined();
  });
});

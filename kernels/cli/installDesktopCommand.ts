import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type CliCommand, err, out } from './command';

export const NOTEBOOK_MIME = 'application/x-ipynb+json';
export const DESKTOP_FILE = 'quire.desktop';
export const MIME_PACKAGE = 'quire-ipynb.xml';
const ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];

/** Where everything goes; XDG variables override each root (tests point them at temp folders). */
export function desktopPaths(env: NodeJS.ProcessEnv = process.env) {
  const dataHome = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  const configHome = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return {
    dataHome,
    desktopFile: join(dataHome, 'applications', DESKTOP_FILE),
    mimePackage: join(dataHome, 'mime', 'packages', MIME_PACKAGE),
    iconFile: (size: number) => join(dataHome, 'icons', 'hicolor', `${size}x${size}`, 'apps', 'quire.png'),
    scalableIcon: join(dataHome, 'icons', 'hicolor', 'scalable', 'apps', 'quire.svg'),
    mimeApps: join(configHome, 'mimeapps.list'),
  };
}

/** Quotes one Exec argument per the Desktop Entry spec (reserved characters inside double quotes). */
export function quoteExecArg(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `"${arg.replace(/([\\"`$])/g, '\\$1')}"`;
}

/** The launcher. `exec` is the command before the file argument (`%f`: one local file). */
export function desktopEntry(exec: string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    'Name=Quire',
    'GenericName=Notebook Editor',
    'Comment=Edit and run Jupyter notebooks',
    `Exec=${[...exec.map(quoteExecArg), '%f'].join(' ')}`,
    'Icon=quire',
    'Terminal=false',
    'StartupNotify=true',
    'StartupWMClass=Quire',
    'Categories=Development;Science;IDE;',
    'Keywords=jupyter;notebook;ipynb;python;papermill;',
    `MimeType=${NOTEBOOK_MIME};`,
    '',
  ].join('\n');
}

/** Teaches the shared MIME database that *.ipynb is a Jupyter notebook (a kind of JSON). */
export function mimePackageXml(): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">',
    `  <mime-type type="${NOTEBOOK_MIME}">`,
    '    <comment>Jupyter Notebook</comment>',
    '    <sub-class-of type="application/json"/>',
    '    <generic-icon name="quire"/>',
    '    <glob pattern="*.ipynb"/>',
    '  </mime-type>',
    '</mime-info>',
    '',
  ].join('\n');
}

/** The repository this CLI was built from (dist/kernels/cli.js → ../..). */
function repoRoot(): string {
  return fileURLToPath(new URL('../../', import.meta.url));
}

/** Runs `node scripts/start.mjs FILE` from the checkout: what `npm start -- FILE` runs, without needing npm on a launcher's PATH. */
export function defaultExec(repo = repoRoot()): string[] {
  return [process.execPath, join(repo, 'scripts', 'start.mjs')];
}

function which(command: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    if (existsSync(join(dir, command))) return join(dir, command);
  }
  return undefined;
}

/** Runs a desktop database tool when it is installed; reports what ran. */
function runIfPresent(command: string, args: string[], env: NodeJS.ProcessEnv, ran: string[]): void {
  const path = which(command, env);
  if (!path) return;
  const result = spawnSync(path, args, { env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (result.status === 0) ran.push(command);
  else err(`install-desktop: ${command} ${args.join(' ')} failed: ${result.stderr?.trim() ?? result.status}`);
}

export interface InstallResult {
  written: string[];
  ran: string[];
}

export function installDesktop(options: { exec?: string[]; iconsDir?: string; env?: NodeJS.ProcessEnv } = {}): InstallResult {
  const env = options.env ?? process.env;
  const paths = desktopPaths(env);
  const iconsDir = options.iconsDir ?? join(repoRoot(), 'assets', 'icons');
  const written: string[] = [];
  const write = (path: string, text: string) => {
    mkdirSync(resolve(path, '..'), { recursive: true });
    writeFileSync(path, text);
    written.push(path);
  };
  write(paths.desktopFile, desktopEntry(options.exec ?? defaultExec()));
  write(paths.mimePackage, mimePackageXml());
  for (const size of ICON_SIZES) {
    const source = join(iconsDir, `${size}x${size}.png`);
    if (!existsSync(source)) continue;
    mkdirSync(resolve(paths.iconFile(size), '..'), { recursive: true });
    copyFileSync(source, paths.iconFile(size));
    written.push(paths.iconFile(size));
  }
  if (existsSync(join(iconsDir, 'quire.svg'))) {
    mkdirSync(resolve(paths.scalableIcon, '..'), { recursive: true });
    copyFileSync(join(iconsDir, 'quire.svg'), paths.scalableIcon);
    written.push(paths.scalableIcon);
  }
  const ran: string[] = [];
  runIfPresent('update-mime-database', [join(paths.dataHome, 'mime')], env, ran);
  runIfPresent('update-desktop-database', [join(paths.dataHome, 'applications')], env, ran);
  runIfPresent('gtk-update-icon-cache', ['-f', '-t', '-q', join(paths.dataHome, 'icons', 'hicolor')], env, ran);
  runIfPresent('xdg-mime', ['default', DESKTOP_FILE, NOTEBOOK_MIME], env, ran);
  if (!ran.includes('xdg-mime')) setDefaultInMimeApps(paths.mimeApps, true);
  return { written, ran };
}

export function uninstallDesktop(options: { env?: NodeJS.ProcessEnv } = {}): InstallResult {
  const env = options.env ?? process.env;
  const paths = desktopPaths(env);
  const removed: string[] = [];
  for (const path of [paths.desktopFile, paths.mimePackage, paths.scalableIcon, ...ICON_SIZES.map(paths.iconFile)]) {
    if (existsSync(path)) {
      rmSync(path);
      removed.push(path);
    }
  }
  setDefaultInMimeApps(paths.mimeApps, false);
  const ran: string[] = [];
  runIfPresent('update-mime-database', [join(paths.dataHome, 'mime')], env, ran);
  runIfPresent('update-desktop-database', [join(paths.dataHome, 'applications')], env, ran);
  return { written: removed, ran };
}

/**
 * Adds or removes `application/x-ipynb+json=quire.desktop` under [Default Applications] in
 * mimeapps.list (what `xdg-mime default` does), leaving every other line alone.
 */
export function setDefaultInMimeApps(file: string, install: boolean): void {
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
  const ours = `${NOTEBOOK_MIME}=${DESKTOP_FILE}`;
  const kept = lines.filter((line) => line.trim() !== ours && line.trim() !== `${ours};`);
  if (install) {
    const section = kept.findIndex((l) => l.trim() === '[Default Applications]');
    const withoutOther = kept.filter((l, i) => !(i > section && section >= 0 && l.startsWith(`${NOTEBOOK_MIME}=`)));
    const at = withoutOther.findIndex((l) => l.trim() === '[Default Applications]');
    if (at >= 0) withoutOther.splice(at + 1, 0, ours);
    else withoutOther.unshift('[Default Applications]', ours);
    mkdirSync(resolve(file, '..'), { recursive: true });
    writeFileSync(file, `${withoutOther.join('\n').replace(/\n+$/, '')}\n`);
  } else if (existsSync(file) && kept.length !== lines.length) {
    writeFileSync(file, `${kept.join('\n').replace(/\n+$/, '')}\n`);
  }
}

export const installDesktopCommand: CliCommand = {
  name: 'install-desktop',
  summary: 'add Quire to the Linux desktop (launcher, icon, .ipynb association)',
  usage: 'install-desktop [--uninstall] [--exec CMD]',
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        uninstall: { type: 'boolean', default: false },
        exec: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      out([
        'Usage: quire install-desktop [--uninstall] [--exec CMD]',
        '',
        'Writes ~/.local/share/applications/quire.desktop, the icon, and a MIME type for *.ipynb',
        '(application/x-ipynb+json) with Quire as its default app, so double-clicking a notebook opens it.',
        'XDG_DATA_HOME and XDG_CONFIG_HOME move where the files go.',
        '',
        '  --exec CMD     the command to launch (default: node <this checkout>/scripts/start.mjs, i.e. npm start)',
        '  --uninstall    remove everything install-desktop wrote',
      ].join('\n'));
      return 0;
    }
    if (process.platform !== 'linux') {
      err('install-desktop is for Linux desktops; on macOS and Windows the packaged app registers .ipynb itself (npm run dist).');
      return 2;
    }
    if (values.uninstall) {
      const { written } = uninstallDesktop();
      out(written.length ? `Removed:\n${written.map((p) => `  ${p}`).join('\n')}` : 'Nothing to remove.');
      return 0;
    }
    const exec = values.exec ? values.exec.split(/\s+/).filter(Boolean) : undefined;
    const { written, ran } = installDesktop({ exec });
    out(`Installed Quire for this user:\n${written.filter((p) => !p.includes('/icons/')).map((p) => `  ${p}`).join('\n')}\n  (+ icons)`);
    out(ran.length ? `Updated desktop databases: ${ran.join(', ')}` : 'No desktop database tools found; the desktop picks the files up on next login.');
    return 0;
  },
};

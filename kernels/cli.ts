/**
 * The `quire` command line. Command names are contracts: scripts and schedulers call them.
 * Each command lives in kernels/cli/<name>Command.ts and is registered in `commands` below with
 * its help line and a lazy `load`: starting `quire run` must not pay for the web server, the schema
 * validator or YAML of the other commands (the bundle is split per command, scripts/buildNode.mjs).
 * cli.test.ts checks that each entry's name, summary and usage match its module's.
 */
import { type CliCommandEntry, err, out } from './cli/command';

const commands: CliCommandEntry[] = [
  // Keep alphabetical.
  {
    name: 'format',
    summary: "rewrite notebooks in Jupyter's canonical form (--check: list those that are not)",
    usage: 'format FILE... [--check]',
    load: async () => (await import('./cli/formatCommand')).formatCommand,
  },
  {
    name: 'install-desktop',
    summary: 'add Quire to the Linux desktop (launcher, icon, .ipynb association)',
    usage: 'install-desktop [--uninstall] [--exec CMD]',
    load: async () => (await import('./cli/installDesktopCommand')).installDesktopCommand,
  },
  {
    name: 'kernels',
    summary: 'list kernelspecs (name, language, status, where found)',
    usage: 'kernels [--json] [--env PREFIX]...',
    load: async () => (await import('./cli/kernelsCommand')).kernelsCommand,
  },
  {
    name: 'params',
    summary: "list a notebook's parameters (inferred from its cell tagged 'parameters')",
    usage: 'params NOTEBOOK [--json]',
    load: async () => (await import('./cli/paramsCommand')).paramsCommand,
  },
  {
    name: 'run',
    summary: 'run a notebook with parameters, papermill-compatible (also batches)',
    usage: 'run INPUT OUTPUT [-p NAME VALUE]... [--batch FILE]',
    load: async () => (await import('./cli/runCommand')).runCommand,
  },
  {
    name: 'runs',
    summary: 'list the run index: runs of `quire run` and the app (status, output, parameters)',
    usage: 'runs [--json] [--notebook PATH] [--status S] [--limit N]',
    load: async () => (await import('./cli/runsCommand')).runsCommand,
  },
  {
    name: 'serve',
    summary: 'start the browser host on 127.0.0.1 and print its URL with a token',
    usage: 'serve [PATH] [--port N] [--no-browser]',
    load: async () => (await import('./cli/serveCommand')).serveCommand,
  },
  {
    name: 'validate',
    summary: 'check notebooks against the nbformat v4 schema (exit 1 if any problem)',
    usage: 'validate FILE...',
    load: async () => (await import('./cli/validateCommand')).validateCommand,
  },
];

export function registeredCommands(): readonly CliCommandEntry[] {
  return commands;
}

function printHelp(): void {
  const width = Math.max(...commands.map((c) => c.usage.length), 10);
  out(
    [
      'Quire: a desktop notebook IDE for Jupyter notebooks.',
      '',
      'Usage: quire <command> [options]     (quire <command> --help for a command\'s options)',
      '',
      'Commands:',
      ...commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
      '',
      'Options:',
      '  --help, -h      show this help',
      '  --version       print the version',
    ].join('\n'),
  );
}

/** Entry point used by bin/quire.js; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    printHelp();
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V') {
    out(QUIRE_VERSION);
    return 0;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    err(`quire: unknown command '${name}'. Run 'quire --help' for the list of commands.`);
    return 2;
  }
  try {
    const command = await entry.load();
    return await command.run(rest);
  } catch (error) {
    err(`quire ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

declare const __QUIRE_VERSION__: string | undefined;
const QUIRE_VERSION = typeof __QUIRE_VERSION__ === 'string' ? __QUIRE_VERSION__ : '0.1.0';

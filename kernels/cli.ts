/**
 * The `quire` command line. Command names are contracts: scripts and schedulers call them.
 * Each command lives in kernels/cli/<name>Command.ts and is registered in `commands` below.
 */
import { type CliCommand, err, out } from './cli/command';
import { formatCommand } from './cli/formatCommand';
import { installDesktopCommand } from './cli/installDesktopCommand';
import { kernelsCommand } from './cli/kernelsCommand';
import { paramsCommand } from './cli/paramsCommand';
import { runCommand } from './cli/runCommand';
import { serveCommand } from './cli/serveCommand';
import { validateCommand } from './cli/validateCommand';

const commands: CliCommand[] = [
  // Registered by each command's module (keep alphabetical):
  formatCommand,
  installDesktopCommand,
  kernelsCommand,
  paramsCommand,
  runCommand,
  serveCommand,
  validateCommand,
];

export function registeredCommands(): readonly CliCommand[] {
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
  const command = commands.find((c) => c.name === name);
  if (!command) {
    err(`quire: unknown command '${name}'. Run 'quire --help' for the list of commands.`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    err(`quire ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

declare const __QUIRE_VERSION__: string | undefined;
const QUIRE_VERSION = typeof __QUIRE_VERSION__ === 'string' ? __QUIRE_VERSION__ : '0.1.0';

/** One `quire` subcommand. `run` gets the arguments after the command name and returns the exit code. */
export interface CliCommand {
  name: string;
  /** One line for `quire --help`. */
  summary: string;
  /** `quire NAME ARGS` usage line for `quire --help`. */
  usage: string;
  run(argv: string[]): Promise<number>;
}

/**
 * A command as `quire --help` lists it, without loading it: each command's module (and its
 * dependencies, e.g. zeromq, the schema validator, the web server) is imported only when it runs.
 */
export interface CliCommandEntry {
  name: string;
  summary: string;
  usage: string;
  load(): Promise<CliCommand>;
}

/** Writes to stdout/stderr; commands use these so output stays plain and testable. */
export const out = (text: string): void => {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
};
export const err = (text: string): void => {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
};

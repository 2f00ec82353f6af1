/**
 * The run's notebook IO for `quire run`, where `-` means stdin (INPUT) and stdout (OUTPUT), as in
 * papermill. stdin is read once, when first needed, and parsed like a file. Writes to `-` are kept
 * in memory, each replacing the last: the caller prints the final version once, after the run
 * (`takeStdout`), so stdout carries exactly one notebook, never a half-written one.
 */
import type { Notebook } from '../../src/jupyter/nbformat';
import { ErrorCode, isQuireError, QuireError } from '../../src/errors';
import { canonicalizeNotebook, parseNotebook, serializeNotebook } from '../../src/jupyter/notebookFormat';
import { defaultRunNotebookIo, type RunNotebookIo } from '../run/notebookIo';
import { STDIO_PATH } from './runArgs';

/** Reads stdin to its end (a terminal ends with Ctrl+D). */
export async function readStdin(stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

export class StdioNotebookIo implements RunNotebookIo {
  private _stdin: Promise<Notebook> | undefined;
  private _stdout: string | undefined;

  constructor(
    private readonly _readStdin: () => Promise<string> = () => readStdin(),
    private readonly _files: RunNotebookIo = defaultRunNotebookIo,
  ) {}

  async read(path: string): Promise<Notebook> {
    if (path !== STDIO_PATH) return this._files.read(path);
    this._stdin ??= this._readStdin().then((text) => {
      if (text.trim() === '') throw new QuireError(ErrorCode.NotebookParseError, '<stdin>: no notebook was given on stdin (it was empty)');
      try {
        return parseNotebook(text);
      } catch (error) {
        if (isQuireError(error)) throw new QuireError(error.code, `<stdin>: ${error.message}`, error.details);
        throw error;
      }
    });
    // Each reader gets its own copy: the engine changes the notebook it runs.
    return structuredClone(await this._stdin);
  }

  async write(path: string, nb: Notebook): Promise<void> {
    if (path !== STDIO_PATH) return this._files.write(path, nb);
    this._stdout = serializeNotebook(canonicalizeNotebook(nb));
  }

  async exists(path: string): Promise<boolean> {
    return path === STDIO_PATH ? false : this._files.exists(path);
  }

  /** The last version written to `-`, once (undefined when nothing was written). */
  takeStdout(): string | undefined {
    const text = this._stdout;
    this._stdout = undefined;
    return text;
  }
}

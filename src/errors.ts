/**
 * Error codes shared by every process. Host errors cross the RPC boundary as
 * `{ name, message, code, details }` (see src/ipc/channel.ts), so the renderer can branch on `code`.
 */
export const ErrorCode = {
  Unknown: 'UNKNOWN',
  NotFound: 'NOT_FOUND',
  InvalidArgument: 'INVALID_ARGUMENT',
  NotebookParseError: 'NOTEBOOK_PARSE_ERROR',
  NotebookInvalid: 'NOTEBOOK_INVALID',
  NotebookUnsupportedVersion: 'NOTEBOOK_UNSUPPORTED_VERSION',
  FileChangedOnDisk: 'FILE_CHANGED_ON_DISK',
  FileExists: 'FILE_EXISTS',
  FileDeleted: 'FILE_DELETED',
  WriteFailed: 'WRITE_FAILED',
  KernelSpecNotFound: 'KERNELSPEC_NOT_FOUND',
  KernelSpecBroken: 'KERNELSPEC_BROKEN',
  KernelStartFailed: 'KERNEL_START_FAILED',
  KernelStartTimeout: 'KERNEL_START_TIMEOUT',
  KernelNotFound: 'KERNEL_NOT_FOUND',
  KernelDied: 'KERNEL_DIED',
  ExecutionTimeout: 'EXECUTION_TIMEOUT',
  RunNotFound: 'RUN_NOT_FOUND',
  RunCancelled: 'RUN_CANCELLED',
  ParameterInvalid: 'PARAMETER_INVALID',
  MissingParameter: 'MISSING_PARAMETER',
  RpcClosed: 'RPC_CLOSED',
  RpcCancelled: 'RPC_CANCELLED',
  RpcUnknownMethod: 'RPC_UNKNOWN_METHOD',
  Unauthorized: 'UNAUTHORIZED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** An error with a code and JSON details, safe to send across the host RPC. */
export class QuireError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: { [key: string]: unknown },
  ) {
    super(message);
    this.name = 'QuireError';
  }
}

export function isQuireError(error: unknown): error is QuireError {
  return error instanceof Error && typeof (error as Partial<QuireError>).code === 'string';
}

/** Where a problem sits in a JSON document, e.g. `/cells/3/source` with a line/column if known. */
export interface JsonLocation {
  pointer: string;
  line?: number;
  column?: number;
}

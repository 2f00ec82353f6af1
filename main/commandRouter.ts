import type { JsonValue } from '../src/jupyter/messages';

/** Where a command runs: main-process handlers first, else the focused window's renderer. */
export function createCommandRouter(options: {
  mainHandlers: Readonly<Record<string, (args?: JsonValue) => void | Promise<void>>>;
  focusedRenderer(): { requestCommand(command: string, args?: JsonValue): void } | undefined;
  onError?(command: string, error: unknown): void;
}): (command: string, args?: JsonValue) => 'main' | 'renderer' | 'dropped' {
  return (command, args) => {
    const handler = Object.hasOwn(options.mainHandlers, command) ? options.mainHandlers[command] : undefined;
    if (handler) {
      Promise.resolve().then(() => handler(args)).catch((error: unknown) => options.onError?.(command, error));
      return 'main';
    }
    const target = options.focusedRenderer();
    if (!target) return 'dropped';
    target.requestCommand(command, args);
    return 'renderer';
  };
}

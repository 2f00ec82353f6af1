/**
 * A HostApi for epic tests: every method fails loudly unless the test gives it an
 * implementation (typically one returning a cold observable converted to a promise, or a value).
 */
import type { HostApi, IKernelService, INotebookFileService, IRunService, ISettingsService } from '../../src/host/contract';
import { Event } from '../../src/base/event';

type Impl<T> = { [K in keyof T]?: T[K] };

function service<T extends object>(name: string, impl: Impl<T>): T {
  return new Proxy(impl as T, {
    get(target, prop: string) {
      if (prop in target) return (target as Record<string, unknown>)[prop];
      if (prop.startsWith('on')) return Event.None;
      return () => Promise.reject(new Error(`fake host: ${name}.${prop} was not expected in this test`));
    },
  });
}

export function fakeHost(parts: { kernels?: Impl<IKernelService>; files?: Impl<INotebookFileService>; runs?: Impl<IRunService>; settings?: Impl<ISettingsService> } = {}): HostApi {
  return {
    kernels: service<IKernelService>('kernels', parts.kernels ?? {}),
    files: service<INotebookFileService>('files', parts.files ?? {}),
    runs: service<IRunService>('runs', parts.runs ?? {}),
    settings: service<ISettingsService>('settings', parts.settings ?? {}),
  };
}

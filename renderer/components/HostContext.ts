import { createContext, useContext } from 'react';
import type { HostApi } from '../../src/host/contract';

/** The host API for components that browse folders directly (the file picker). */
export const HostContext = createContext<HostApi | null>(null);

export function useHost(): HostApi {
  const host = useContext(HostContext);
  if (!host) throw new Error('HostContext is missing');
  return host;
}

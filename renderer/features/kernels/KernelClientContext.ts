import { createContext, useContext } from 'react';
import type { KernelClient } from '../../../src/jupyter/kernelClient';

/**
 * The live kernel client of the notebook around it (null while no kernel runs). The data
 * explorer and completion use it to query the kernel; it never goes into Redux state.
 */
export const KernelClientContext = createContext<KernelClient | null>(null);

export function useKernelClient(): KernelClient | null {
  return useContext(KernelClientContext);
}

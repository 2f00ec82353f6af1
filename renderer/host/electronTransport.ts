import { Emitter, Event } from '../../src/base/event';
import type { IDisposable } from '../../src/base/lifecycle';
import type { INbHostBridge } from '../../src/host/bridge';
import type { IMessagePassingProtocol } from '../../src/ipc/protocol';

declare global {
  interface Window {
    /** Exposed by the Electron preload (main/preload/preload.ts); absent in a plain browser tab. */
    nbHost?: INbHostBridge;
  }
}

/** An IMessagePassingProtocol over the preload's `nbHost` pipe. Electron's IPC never "closes". */
export function createElectronTransport(bridge: INbHostBridge): IMessagePassingProtocol & IDisposable {
  const onMessage = new Emitter<string>();
  const unsubscribe = bridge.onMessage((data) => onMessage.fire(data));
  return {
    send: (data) => bridge.send(data),
    onMessage: onMessage.event,
    onDidClose: Event.None,
    dispose: () => {
      unsubscribe();
      onMessage.dispose();
    },
  };
}

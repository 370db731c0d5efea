/**
 * The object the preload exposes as `window.congvu`: one named function per call of the IPC
 * contract, and nothing else. The page never receives `ipcRenderer`, an IPC event or a channel
 * name it could choose, so it can only ask main for what is listed here, and main checks
 * each request again (electron/ipc.ts).
 */
import { AppLink, IpcContract, type CongvuBridge, type IpcMethod, type IpcResponse, type IpcResult, LINK_EVENT_CHANNEL } from '../common/ipc.ts';

/** The part of Electron's ipcRenderer the bridge uses. */
export interface RendererIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createBridge(ipc: RendererIpc): CongvuBridge {
  const call = async <M extends IpcMethod>(method: M, request?: unknown): Promise<IpcResult<IpcResponse<M>>> => {
    const args = request === undefined ? [] : [request];
    try {
      return (await ipc.invoke(IpcContract[method].channel, ...args)) as IpcResult<IpcResponse<M>>;
    } catch (error) {
      // Only when main has no handler or the arguments cannot be cloned (a function, a DOM node).
      return { ok: false, error: { code: 'invalid_request', message: error instanceof Error ? error.message : String(error) } };
    }
  };
  return {
    bridgeVersion: 1,
    appVersion: () => call('appVersion'),
    saveFile: (request) => call('saveFile', request),
    showNotification: (request) => call('showNotification', request),
    openExternal: (url) => call('openExternal', { url }),
    getSettings: () => call('getSettings'),
    setSettings: (settings) => call('setSettings', settings),
    onDeepLink(listener) {
      // The page gets the link, never the IPC event (whose `sender` is ipcRenderer itself).
      const forward = (_event: unknown, payload: unknown) => {
        const link = AppLink.safeParse(payload);
        if (link.success) listener(link.data);
      };
      ipc.on(LINK_EVENT_CHANNEL, forward);
      void call('subscribeLinks');
      return () => {
        ipc.removeListener(LINK_EVENT_CHANNEL, forward);
      };
    },
  };
}

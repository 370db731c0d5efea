/**
 * The one module that reads `window.congvu`, the desktop shell's bridge (common/ipc.ts). It exists
 * only inside the Electron app; in a browser it is absent. Everything else goes through the
 * platform adapter (./platform.ts), so no component ever tests for the bridge itself.
 */
import type { CongvuBridge } from '../../common/ipc.ts';

declare global {
  interface Window {
    congvu?: CongvuBridge;
  }
}

/** The bridge when the page runs inside the desktop app and speaks a version we know; else undefined. */
export function desktopBridge(): CongvuBridge | undefined {
  if (typeof window === 'undefined') return undefined;
  const bridge = window.congvu;
  return bridge && bridge.bridgeVersion === 1 ? bridge : undefined;
}

/**
 * The preload of the app's window: runs in the sandboxed, context-isolated world before the page
 * and exposes the bridge (electron/bridge.ts) as `window.congvu`, named functions only. Bundled
 * into one CommonJS file (build/electron-bundle.ts) because a sandboxed preload cannot load
 * other files.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_GLOBAL } from '../common/ipc.ts';
import { createBridge } from './bridge.ts';

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, createBridge(ipcRenderer));

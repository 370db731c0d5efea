/**
 * The preload's bridge, on a fake ipcRenderer (Electron's binary cannot run on our machines):
 * named functions only, each on its own channel, and no IPC event ever reaching the page.
 */
import { describe, expect, it } from 'vitest';
import { IpcContract, LINK_EVENT_CHANNEL } from '../common/ipc.ts';
import { createBridge, type RendererIpc } from './bridge.ts';

function fakeIpcRenderer(answer: (channel: string, args: unknown[]) => unknown = () => ({ ok: true, value: null })) {
  const invoked: [string, unknown[]][] = [];
  const listeners = new Map<string, (event: unknown, ...args: unknown[]) => void>();
  const ipc: RendererIpc = {
    invoke: async (channel, ...args) => {
      invoked.push([channel, args]);
      return answer(channel, args);
    },
    on: (channel, listener) => listeners.set(channel, listener),
    removeListener: (channel) => listeners.delete(channel),
  };
  return { ipc, invoked, listeners };
}

describe('the bridge exposed as window.congvu', () => {
  it('holds only functions and its version: no ipcRenderer, no generic send', () => {
    const { ipc } = fakeIpcRenderer();
    const bridge = createBridge(ipc);
    expect(Object.keys(bridge).sort()).toEqual(['appVersion', 'bridgeVersion', 'getSettings', 'onDeepLink', 'openExternal', 'saveFile', 'setSettings', 'showNotification']);
    for (const [name, value] of Object.entries(bridge)) if (name !== 'bridgeVersion') expect(typeof value, name).toBe('function');
    expect(Object.values(bridge)).not.toContain(ipc);
  });

  it('sends each call on its own channel with its one argument', async () => {
    const { ipc, invoked } = fakeIpcRenderer();
    const bridge = createBridge(ipc);
    await bridge.appVersion();
    await bridge.saveFile({ suggestedName: 'cong-van.txt', content: 'Kính gửi' });
    await bridge.showNotification({ title: 'Văn bản mới' });
    await bridge.openExternal('https://vanban.chinhphu.vn/');
    await bridge.getSettings();
    await bridge.setSettings({ serverUrl: 'http://10.0.0.5:8787' });
    expect(invoked).toEqual([
      [IpcContract.appVersion.channel, []],
      [IpcContract.saveFile.channel, [{ suggestedName: 'cong-van.txt', content: 'Kính gửi' }]],
      [IpcContract.showNotification.channel, [{ title: 'Văn bản mới' }]],
      [IpcContract.openExternal.channel, [{ url: 'https://vanban.chinhphu.vn/' }]],
      [IpcContract.getSettings.channel, []],
      [IpcContract.setSettings.channel, [{ serverUrl: 'http://10.0.0.5:8787' }]],
    ]);
  });

  it("answers main's value as it is, and a failed invoke as an error value", async () => {
    const answer = { ok: true, value: { serverUrl: 'http://127.0.0.1:8787' } };
    expect(await createBridge(fakeIpcRenderer(() => answer).ipc).getSettings()).toBe(answer);
    const broken = fakeIpcRenderer(() => {
      throw new Error('An object could not be cloned.');
    });
    expect(await createBridge(broken.ipc).getSettings()).toEqual({ ok: false, error: { code: 'invalid_request', message: 'An object could not be cloned.' } });
  });

  it('gives deep-link listeners the link only, never the IPC event, and drops malformed links', () => {
    const { ipc, invoked, listeners } = fakeIpcRenderer();
    const seen: unknown[][] = [];
    const unsubscribe = createBridge(ipc).onDeepLink((...args: unknown[]) => seen.push(args));
    expect(invoked).toEqual([[IpcContract.subscribeLinks.channel, []]]);
    const deliver = listeners.get(LINK_EVENT_CHANNEL)!;
    const event = { sender: ipc, ports: [] };
    deliver(event, { kind: 'document', documentId: '0B7E5C58-3F1A-4C2D-9E8B-7A6F5D4C3B2A' });
    deliver(event, { kind: 'page', page: 'tasks' });
    deliver(event, { kind: 'document', documentId: 'nope' });
    deliver(event, 'congvu://doc/x');
    expect(seen).toEqual([[{ kind: 'document', documentId: '0b7e5c58-3f1a-4c2d-9e8b-7a6f5d4c3b2a' }], [{ kind: 'page', page: 'tasks' }]]);
    unsubscribe();
    expect(listeners.has(LINK_EVENT_CHANNEL)).toBe(false);
  });
});

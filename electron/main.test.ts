/**
 * The composition root, run against a fake `electron` module (vi.mock): the real binary cannot
 * run on our machines, but the order and the wiring can be checked here. Before `ready`: sandbox
 * for all renderers, the privileged scheme, the single-instance lock, guards on every
 * WebContents. After: the protocol, permission handlers, every IPC channel, the menu, and one
 * window with the secure preferences loading the app (at the document of a startup deep link).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IpcContract } from '../common/ipc.ts';

const fake = vi.hoisted(() => {
  const calls: string[] = [];
  const appListeners = new Map<string, (...args: unknown[]) => unknown>();
  const contentsListeners = new Map<string, (...args: unknown[]) => unknown>();
  const ipcHandlers = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  const windows: { options: Record<string, unknown>; loaded: string[]; webContents: unknown }[] = [];
  let release: () => void = () => {};
  const ready = new Promise<void>((resolve) => (release = resolve));
  const state = { userData: '', sessionHandlers: [] as string[], protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(), menu: undefined as unknown };

  class BrowserWindow {
    static all: BrowserWindow[] = [];
    static getAllWindows = () => BrowserWindow.all;
    readonly loaded: string[] = [];
    readonly webContents = {
      on: (event: string, listener: (...args: unknown[]) => unknown) => contentsListeners.set(event, listener),
      send: (...args: unknown[]) => calls.push(`send ${JSON.stringify(args)}`),
    };
    constructor(readonly options: Record<string, unknown>) {
      calls.push('new BrowserWindow');
      BrowserWindow.all.push(this);
      windows.push(this);
    }
    once() {}
    on() {}
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
    getNormalBounds = () => ({ x: 0, y: 0, width: 1280, height: 860 });
    isMaximized = () => false;
    isMinimized = () => false;
    show() {}
    focus() {}
  }

  const electron = {
    app: {
      isPackaged: false,
      enableSandbox: () => calls.push('enableSandbox'),
      setAppUserModelId: () => {},
      requestSingleInstanceLock: () => (calls.push('requestSingleInstanceLock'), true),
      on: (event: string, listener: (...args: unknown[]) => unknown) => appListeners.set(event, listener),
      whenReady: () => ready,
      getPath: () => state.userData,
      setPath: () => calls.push('setPath'),
      getVersion: () => '0.1.0',
      quit: () => calls.push('quit'),
      exit: (code: number) => calls.push(`exit ${code}`),
      setAsDefaultProtocolClient: () => calls.push('setAsDefaultProtocolClient'),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown) => calls.push(`registerSchemesAsPrivileged ${JSON.stringify(schemes)}`),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => {
        calls.push(`protocol.handle ${scheme}`);
        state.protocolHandlers.set(scheme, handler);
      },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => state.sessionHandlers.push('request'),
        setPermissionCheckHandler: () => state.sessionHandlers.push('check'),
        setDevicePermissionHandler: () => state.sessionHandlers.push('device'),
      },
    },
    ipcMain: {
      handle: (channel: string, listener: (...args: unknown[]) => Promise<unknown>) => ipcHandlers.set(channel, listener),
      removeHandler: (channel: string) => ipcHandlers.delete(channel),
    },
    Menu: { buildFromTemplate: (template: unknown) => template, setApplicationMenu: (menu: unknown) => (state.menu = menu) },
    screen: {
      getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }],
      getPrimaryDisplay: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }),
    },
    BrowserWindow,
    dialog: {},
    Notification: { isSupported: () => false },
    shell: { openExternal: async (url: string) => calls.push(`openExternal ${url}`) },
    net: { fetch: async (url: string) => Response.json({ status: 'ok', via: url }) },
  };
  return { electron, calls, appListeners, contentsListeners, ipcHandlers, windows, state, ready: () => release() };
});

vi.mock('electron', () => fake.electron);

const DOC = '0b7e5c58-3f1a-4c2d-9e8b-7a6f5d4c3b2a';

describe('the main process', () => {
  const argv = process.argv;
  beforeAll(async () => {
    fake.state.userData = mkdtempSync(path.join(os.tmpdir(), 'congvu-main-'));
    delete process.env.CONGVU_SERVER_URL;
    delete process.env.CONGVU_RENDERER_URL;
    process.argv = [...argv, `congvu://doc/${DOC}`];
    await import('./main.ts');
  });
  afterAll(() => {
    process.argv = argv;
    rmSync(fake.state.userData, { recursive: true, force: true });
  });

  it('before ready: sandboxes every renderer, registers the privileged scheme, takes the lock', () => {
    expect(fake.calls.slice(0, 3)).toEqual([
      'enableSandbox',
      expect.stringMatching(/^registerSchemesAsPrivileged \[\{"scheme":"congvu-app","privileges":\{"standard":true,"secure":true,"supportFetchAPI":true,"allowServiceWorkers":true/),
      'requestSingleInstanceLock',
    ]);
    expect(fake.calls).not.toContain('new BrowserWindow');
    expect([...fake.appListeners.keys()]).toEqual(expect.arrayContaining(['second-instance', 'open-url', 'web-contents-created', 'window-all-closed']));
  });

  it('guards every WebContents the app creates', () => {
    const listeners: string[] = [];
    let openHandler: unknown;
    const contents = { on: (event: string) => listeners.push(event), setWindowOpenHandler: (handler: unknown) => (openHandler = handler) };
    fake.appListeners.get('web-contents-created')!({}, contents);
    expect(listeners.sort()).toEqual(['will-attach-webview', 'will-frame-navigate', 'will-navigate', 'will-redirect']);
    expect(openHandler).toBeTypeOf('function');
  });

  it('after ready: serves the app scheme, installs permissions and every IPC channel, opens one secure window at the deep link', async () => {
    fake.ready();
    await vi.waitFor(() => expect(fake.windows).toHaveLength(1));
    await vi.waitFor(() => expect(fake.windows[0].loaded).toHaveLength(1));
    expect(fake.calls).toContain('protocol.handle congvu-app');
    expect(fake.state.sessionHandlers.sort()).toEqual(['check', 'device', 'request']);
    expect([...fake.ipcHandlers.keys()].sort()).toEqual(Object.values(IpcContract).map((call) => call.channel).sort());
    expect(fake.state.menu).toBeInstanceOf(Array);
    const window = fake.windows[0];
    expect(window.options.webPreferences).toMatchObject({
      preload: path.join(path.dirname(new URL(import.meta.url).pathname), 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(window.loaded).toEqual([`congvu-app://app/documents/${DOC}`]);
    // A development run does not make itself the system's congvu: handler.
    expect(fake.calls).not.toContain('setAsDefaultProtocolClient');
  });

  it('answers the app page over IPC and refuses another origin', async () => {
    const getSettings = fake.ipcHandlers.get(IpcContract.getSettings.channel)!;
    const frame = (url: string, origin: string) => ({ senderFrame: { url, origin, parent: null }, sender: {} });
    expect(await getSettings(frame('congvu-app://app/documents', 'congvu-app://app'))).toEqual({ ok: true, value: { serverUrl: 'http://127.0.0.1:8787' } });
    expect(await getSettings(frame('https://attacker.com/', 'https://attacker.com'))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const openExternal = fake.ipcHandlers.get(IpcContract.openExternal.channel)!;
    expect(await openExternal(frame('congvu-app://app/', 'congvu-app://app'), { url: 'https://vanban.chinhphu.vn.attacker.com/' })).toMatchObject({
      ok: false,
      error: { code: 'not_allowed' },
    });
    expect(await openExternal(frame('congvu-app://app/', 'congvu-app://app'), { url: 'https://vanban.chinhphu.vn/' })).toEqual({ ok: true, value: { opened: true } });
    expect(fake.calls).toContain('openExternal https://vanban.chinhphu.vn/');
  });

  it('serves the page with the CSP naming the configured server, and passes the API through to it', async () => {
    const handler = fake.state.protocolHandlers.get('congvu-app')!;
    const response = await handler(new Request('congvu-app://app/'));
    expect(response.headers.get('content-security-policy')).toContain("connect-src 'self' http://127.0.0.1:8787 ws://127.0.0.1:8787");
    expect(await (await handler(new Request('congvu-app://app/healthz'))).json()).toEqual({ status: 'ok', via: 'http://127.0.0.1:8787/healthz' });
  });

  it('reloads the page at the route of a second deep link when the page does not listen, and sends it when it does', async () => {
    const window = fake.windows[0];
    fake.appListeners.get('second-instance')!({}, ['congvu', `congvu://doc/${DOC}`]);
    expect(window.loaded.at(-1)).toBe(`congvu-app://app/documents/${DOC}`);
    const subscribe = fake.ipcHandlers.get(IpcContract.subscribeLinks.channel)!;
    await subscribe({ senderFrame: { url: 'congvu-app://app/', origin: 'congvu-app://app', parent: null }, sender: window.webContents });
    fake.appListeners.get('second-instance')!({}, ['congvu', `congvu://doc/${DOC}`]);
    expect(fake.calls.at(-1)).toBe(`send ["congvu:link",{"kind":"document","documentId":"${DOC}"}]`);
    // A new page load forgets the listener.
    fake.contentsListeners.get('did-start-navigation')!({ isMainFrame: true, isSameDocument: false });
    fake.appListeners.get('second-instance')!({}, ['congvu', `congvu://doc/${DOC}`]);
    expect(window.loaded).toHaveLength(3);
  });
});

import { describe, expect, it, vi } from 'vitest';
import type { AppLink, CongvuBridge, IpcResult } from '../../common/ipc.ts';
import { createPlatform, type BrowserEnvironment } from './platform.ts';

const DOC_LINK: AppLink = { kind: 'document', documentId: '0b8f8d3e-52a4-4c57-9d6a-3c1f3d0e9a11' };

function ok<T>(value: T): Promise<IpcResult<T>> {
  return Promise.resolve({ ok: true, value });
}

function fakeBridge(overrides: Partial<CongvuBridge> = {}): CongvuBridge {
  return {
    bridgeVersion: 1,
    appVersion: () => ok({ version: '0.1.0', electron: '45.5.0', chrome: '142.0.0.0', platform: 'linux' }),
    saveFile: () => ok({ saved: true as const, fileName: 'x.html' }),
    showNotification: () => ok({ shown: true }),
    openExternal: () => ok({ opened: true as const }),
    getSettings: () => ok({ serverUrl: 'https://congvu.ninhbinh.gov.vn' }),
    setSettings: (settings) => ok({ serverUrl: String(settings.serverUrl).toLowerCase() }),
    onDeepLink: () => () => {},
    ...overrides,
  };
}

function fakeBrowser(overrides: Partial<BrowserEnvironment> = {}) {
  const downloads: { fileName: string; blob: Blob }[] = [];
  const opened: string[] = [];
  const shown: { title: string; body: string; click: () => void }[] = [];
  const env: BrowserEnvironment = {
    origin: 'http://127.0.0.1:8787',
    download: (fileName, blob) => downloads.push({ fileName, blob }),
    open: (url) => opened.push(url),
    notificationPermission: () => 'granted',
    requestNotificationPermission: () => Promise.resolve('granted'),
    showNotification: (title, body, click) => shown.push({ title, body, click }),
    reload: vi.fn(),
    ...overrides,
  };
  return { env, downloads, opened, shown };
}

describe('the platform inside the desktop app', () => {
  it('takes the sync URL from the server address in the shell’s settings', async () => {
    const platform = createPlatform(fakeBridge(), fakeBrowser().env);
    expect(platform.kind).toBe('desktop');
    expect(await platform.syncUrl()).toBe('wss://congvu.ninhbinh.gov.vn/sync');
  });

  it('falls back to the default server when the settings cannot be read, never to the app scheme', async () => {
    const bridge = fakeBridge({ getSettings: () => Promise.resolve({ ok: false, error: { code: 'internal', message: 'x' } }) });
    const platform = createPlatform(bridge, { ...fakeBrowser().env, origin: 'congvu-app://app' });
    expect(await platform.syncUrl()).toBe('ws://127.0.0.1:8787/sync');
  });

  it('refuses a malformed server address before asking the shell, and saves a good one', async () => {
    const setSettings = vi.fn(fakeBridge().setSettings);
    const platform = createPlatform(fakeBridge({ setSettings }), fakeBrowser().env);
    expect(await platform.setServerUrl('ftp://example.com/x')).toEqual({ ok: false, code: 'invalid_request' });
    expect(setSettings).not.toHaveBeenCalled();
    expect(await platform.setServerUrl(' HTTP://10.0.0.5:8787/ ')).toEqual({ ok: true, value: { serverUrl: 'http://10.0.0.5:8787', editable: true } });
    expect(setSettings).toHaveBeenCalledWith({ serverUrl: 'http://10.0.0.5:8787' });
  });

  it('saves files through the system dialog and reports a cancelled dialog as not saved', async () => {
    const saveFile = vi.fn<CongvuBridge['saveFile']>(() => ok({ saved: false as const }));
    const browser = fakeBrowser();
    const platform = createPlatform(fakeBridge({ saveFile }), browser.env);
    const request = { suggestedName: 'Kế hoạch.html', content: '<p>x</p>', mimeType: 'text/html', filters: [{ name: 'HTML', extensions: ['html'] }] };
    expect(await platform.saveFile(request)).toEqual({ ok: true, value: { saved: false } });
    expect(saveFile).toHaveBeenCalledWith({ suggestedName: 'Kế hoạch.html', content: '<p>x</p>', filters: [{ name: 'HTML', extensions: ['html'] }] });
    expect(browser.downloads).toEqual([]);

    saveFile.mockImplementation(() => ok({ saved: true as const, fileName: 'Kế hoạch (1).html' }));
    expect(await platform.saveFile(request)).toEqual({ ok: true, value: { saved: true, fileName: 'Kế hoạch (1).html', via: 'dialog' } });
  });

  it('passes the shell’s refusals on as codes', async () => {
    const platform = createPlatform(
      fakeBridge({
        openExternal: () => Promise.resolve({ ok: false, error: { code: 'not_allowed', message: 'host' } }),
        saveFile: () => Promise.resolve({ ok: false, error: { code: 'io_failed', message: 'disk' } }),
        showNotification: () => Promise.resolve({ ok: false, error: { code: 'unsupported', message: 'none' } }),
      }),
      fakeBrowser().env,
    );
    expect(await platform.openExternal('https://example.com.attacker.com')).toEqual({ ok: false, code: 'not_allowed' });
    expect(await platform.saveFile({ suggestedName: 'a.html', content: 'a', mimeType: 'text/html' })).toEqual({ ok: false, code: 'io_failed' });
    expect(await platform.notify({ title: 'Công vụ' })).toEqual({ shown: false });
  });

  it('hands deep links from the shell to the listener and unsubscribes', () => {
    let forward: ((link: AppLink) => void) | undefined;
    const unsubscribe = vi.fn();
    const platform = createPlatform(
      fakeBridge({
        onDeepLink: (listener) => {
          forward = listener;
          return unsubscribe;
        },
      }),
      fakeBrowser().env,
    );
    const seen: AppLink[] = [];
    const stop = platform.onDeepLink((link) => seen.push(link));
    forward?.(DOC_LINK);
    expect(seen).toEqual([DOC_LINK]);
    stop();
    expect(unsubscribe).toHaveBeenCalledOnce();
  });

  it('shows the shell’s versions', async () => {
    expect(await createPlatform(fakeBridge(), fakeBrowser().env).appVersion()).toMatchObject({ electron: '45.5.0' });
  });
});

describe('the platform in a browser', () => {
  it('syncs with the server the page was loaded from and cannot change it', async () => {
    const platform = createPlatform(undefined, { ...fakeBrowser().env, origin: 'https://congvu.example.vn' });
    expect(platform.kind).toBe('browser');
    expect(await platform.syncUrl()).toBe('wss://congvu.example.vn/sync');
    expect(await platform.serverSettings()).toEqual({ ok: true, value: { serverUrl: 'https://congvu.example.vn', editable: false } });
    expect(await platform.setServerUrl('http://10.0.0.5:8787')).toEqual({ ok: false, code: 'unsupported' });
    expect(await platform.appVersion()).toBeNull();
  });

  it('saves a file as a download with its name and type', async () => {
    const browser = fakeBrowser();
    const platform = createPlatform(undefined, browser.env);
    const result = await platform.saveFile({ suggestedName: 'Báo cáo.html', content: '<p>Báo cáo</p>', mimeType: 'text/html;charset=utf-8' });
    expect(result).toEqual({ ok: true, value: { saved: true, fileName: 'Báo cáo.html', via: 'download' } });
    expect(browser.downloads).toHaveLength(1);
    expect(browser.downloads[0].fileName).toBe('Báo cáo.html');
    expect(browser.downloads[0].blob.type).toBe('text/html;charset=utf-8');
    expect(await browser.downloads[0].blob.text()).toBe('<p>Báo cáo</p>');
  });

  it('downloads bytes unchanged', async () => {
    const browser = fakeBrowser();
    await createPlatform(undefined, browser.env).saveFile({ suggestedName: 'a.bin', content: new Uint8Array([1, 2, 250]), mimeType: 'application/octet-stream' });
    expect([...new Uint8Array(await browser.downloads[0].blob.arrayBuffer())]).toEqual([1, 2, 250]);
  });

  it('opens only http(s) links, in a new tab', async () => {
    const browser = fakeBrowser();
    const platform = createPlatform(undefined, browser.env);
    expect(await platform.openExternal('https://vanban.chinhphu.vn/')).toEqual({ ok: true, value: true });
    expect(await platform.openExternal('javascript:alert(1)')).toEqual({ ok: false, code: 'not_allowed' });
    expect(await platform.openExternal('file:///etc/passwd')).toEqual({ ok: false, code: 'not_allowed' });
    expect(await platform.openExternal('https://user:pw@example.com/')).toEqual({ ok: false, code: 'not_allowed' });
    expect(browser.opened).toEqual(['https://vanban.chinhphu.vn/']);
  });

  it('asks for notification permission once it is needed and opens the link when the notification is clicked', async () => {
    let permission: NotificationPermission = 'default';
    const browser = fakeBrowser({
      notificationPermission: () => permission,
      requestNotificationPermission: () => {
        permission = 'granted';
        return Promise.resolve(permission);
      },
    });
    const platform = createPlatform(undefined, browser.env);
    const opened: AppLink[] = [];
    platform.onDeepLink((link) => opened.push(link));
    expect(await platform.notify({ title: 'Văn bản mới được chia sẻ', body: 'Kế hoạch', link: DOC_LINK })).toEqual({ shown: true });
    expect(browser.shown.map((n) => [n.title, n.body])).toEqual([['Văn bản mới được chia sẻ', 'Kế hoạch']]);
    browser.shown[0].click();
    expect(opened).toEqual([DOC_LINK]);
  });

  it('shows no notification where they are refused or missing', async () => {
    for (const permission of ['denied', 'unsupported'] as const) {
      const browser = fakeBrowser({ notificationPermission: () => permission });
      expect(await createPlatform(undefined, browser.env).notify({ title: 'x' })).toEqual({ shown: false });
      expect(browser.shown).toEqual([]);
    }
  });
});

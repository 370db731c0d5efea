/**
 * What the app asks of the system it runs on, the same way inside the desktop app and in a
 * browser: where the sync server is, saving a file, a notification, opening an external link,
 * links the system asks the app to open, the server address setting. Inside the desktop app each
 * call goes through the bridge (`window.congvu`, docs/desktop.md); in a browser it falls back to
 * what a web page can do (a download, the Notification API, `window.open`, the page's own origin).
 *
 * Components use `currentPlatform()` and never look at `window.congvu` themselves. Every call
 * answers a value, never throws; failures carry codes the UI translates.
 */
import { DEFAULT_SERVER_URL, ServerUrl, syncUrlOf, type AppLink, type AppVersion, type CongvuBridge, type IpcErrorCode } from '../../common/ipc.ts';
import { desktopBridge } from './bridge.ts';

export type PlatformErrorCode = IpcErrorCode;
export type PlatformResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code: PlatformErrorCode };

export interface SaveRequest {
  /** A file name (not a path), e.g. `Kế hoạch năm 2026.html`. */
  readonly suggestedName: string;
  readonly content: string | Uint8Array<ArrayBuffer>;
  /** The type of the download in a browser, e.g. `text/html;charset=utf-8`. */
  readonly mimeType: string;
  /** Offered in the desktop save dialog's type list. */
  readonly filters?: readonly { readonly name: string; readonly extensions: readonly string[] }[];
}

/** `saved: false`: the user closed the dialog. A browser download always counts as saved. */
export type SaveOutcome =
  | { readonly saved: false }
  | { readonly saved: true; readonly fileName: string; readonly via: 'dialog' | 'download' };

export interface ServerSettings {
  /** The server the app talks to: the configured one (desktop) or the page's origin (browser). */
  readonly serverUrl: string;
  /** Only the desktop app can point itself at another server. */
  readonly editable: boolean;
}

export interface NotifyRequest {
  readonly title: string;
  readonly body?: string;
  /** Opened when the notification is clicked. */
  readonly link?: AppLink;
}

export interface Platform {
  readonly kind: 'desktop' | 'browser';
  /** The y-websocket URL (`ws(s)://host:port/sync`) of the server the app talks to. */
  syncUrl(): Promise<string>;
  serverSettings(): Promise<PlatformResult<ServerSettings>>;
  /** Saves a new server address (desktop only); reload afterwards for it to take effect. */
  setServerUrl(serverUrl: string): Promise<PlatformResult<ServerSettings>>;
  saveFile(request: SaveRequest): Promise<PlatformResult<SaveOutcome>>;
  notify(request: NotifyRequest): Promise<{ readonly shown: boolean }>;
  /** Opens an http(s) link outside the app (the system browser, or a new tab). */
  openExternal(url: string): Promise<PlatformResult<true>>;
  /** Links the system asks the app to open (`congvu://doc/<id>`, a notification, the menu). */
  onDeepLink(listener: (link: AppLink) => void): () => void;
  /** The desktop app's versions; null in a browser. */
  appVersion(): Promise<AppVersion | null>;
  reload(): void;
}

/** What a web page can do, as the browser fallbacks need it (replaced by fakes in tests). */
export interface BrowserEnvironment {
  readonly origin: string;
  download(fileName: string, blob: Blob): void;
  open(url: string): void;
  notificationPermission(): NotificationPermission | 'unsupported';
  requestNotificationPermission(): Promise<NotificationPermission>;
  showNotification(title: string, body: string, onClick: () => void): void;
  reload(): void;
}

function failed(code: PlatformErrorCode): { readonly ok: false; readonly code: PlatformErrorCode } {
  return { ok: false, code };
}

function isHttpUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}

export function createPlatform(bridge: CongvuBridge | undefined, browser: BrowserEnvironment): Platform {
  return bridge ? desktopPlatform(bridge, browser) : browserPlatform(browser);
}

function desktopPlatform(bridge: CongvuBridge, browser: BrowserEnvironment): Platform {
  return {
    kind: 'desktop',
    async syncUrl() {
      const settings = await bridge.getSettings();
      // Without its settings the shell still serves the default address; the page's own origin
      // (congvu-app://app) cannot carry a WebSocket.
      return syncUrlOf(settings.ok ? settings.value.serverUrl : DEFAULT_SERVER_URL);
    },
    async serverSettings() {
      const settings = await bridge.getSettings();
      return settings.ok ? { ok: true, value: { serverUrl: settings.value.serverUrl, editable: true } } : failed(settings.error.code);
    },
    async setServerUrl(serverUrl) {
      const parsed = ServerUrl.safeParse(serverUrl);
      if (!parsed.success) return failed('invalid_request');
      const saved = await bridge.setSettings({ serverUrl: parsed.data });
      return saved.ok ? { ok: true, value: { serverUrl: saved.value.serverUrl, editable: true } } : failed(saved.error.code);
    },
    async saveFile(request) {
      const result = await bridge.saveFile({
        suggestedName: request.suggestedName,
        content: request.content,
        filters: request.filters?.map((filter) => ({ name: filter.name, extensions: [...filter.extensions] })),
      });
      if (!result.ok) return failed(result.error.code);
      return { ok: true, value: result.value.saved ? { saved: true, fileName: result.value.fileName, via: 'dialog' } : { saved: false } };
    },
    async notify(request) {
      const result = await bridge.showNotification({ title: request.title, body: request.body ?? '', link: request.link });
      return { shown: result.ok && result.value.shown };
    },
    async openExternal(url) {
      const result = await bridge.openExternal(url);
      return result.ok ? { ok: true, value: true } : failed(result.error.code);
    },
    onDeepLink: (listener) => bridge.onDeepLink(listener),
    async appVersion() {
      const result = await bridge.appVersion();
      return result.ok ? result.value : null;
    },
    reload: () => browser.reload(),
  };
}

function browserPlatform(browser: BrowserEnvironment): Platform {
  // A clicked notification opens its link through the same listeners the desktop's links use.
  const linkListeners = new Set<(link: AppLink) => void>();
  const settings = (): ServerSettings => ({ serverUrl: browser.origin, editable: false });
  return {
    kind: 'browser',
    syncUrl: () => Promise.resolve(syncUrlOf(browser.origin)),
    serverSettings: () => Promise.resolve({ ok: true, value: settings() }),
    setServerUrl: () => Promise.resolve(failed('unsupported')),
    saveFile(request) {
      browser.download(request.suggestedName, new Blob([request.content], { type: request.mimeType }));
      return Promise.resolve({ ok: true, value: { saved: true, fileName: request.suggestedName, via: 'download' } });
    },
    async notify(request) {
      let permission = browser.notificationPermission();
      if (permission === 'unsupported' || permission === 'denied') return { shown: false };
      if (permission === 'default') permission = await browser.requestNotificationPermission();
      if (permission !== 'granted') return { shown: false };
      const link = request.link;
      browser.showNotification(request.title, request.body ?? '', () => {
        if (link) for (const listener of linkListeners) listener(link);
      });
      return { shown: true };
    },
    openExternal(url) {
      if (!isHttpUrl(url)) return Promise.resolve(failed('not_allowed'));
      browser.open(url);
      return Promise.resolve({ ok: true, value: true });
    },
    onDeepLink(listener) {
      linkListeners.add(listener);
      return () => {
        linkListeners.delete(listener);
      };
    },
    appVersion: () => Promise.resolve(null),
    reload: () => browser.reload(),
  };
}

/** The browser as it is: the fallbacks of docs/desktop.md's bridge table. */
export function pageEnvironment(): BrowserEnvironment {
  return {
    origin: location.origin,
    download(fileName, blob) {
      const url = URL.createObjectURL(blob);
      const anchor = document.createElement('a');
      anchor.href = url;
      anchor.download = fileName;
      anchor.rel = 'noopener';
      anchor.style.display = 'none';
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
      // Revoked later: some browsers start reading the blob only after the click handler returns.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    },
    open(url) {
      window.open(url, '_blank', 'noopener');
    },
    notificationPermission: () => ('Notification' in window ? Notification.permission : 'unsupported'),
    requestNotificationPermission: () => Notification.requestPermission(),
    showNotification(title, body, onClick) {
      const notification = new Notification(title, { body });
      notification.onclick = () => {
        window.focus();
        onClick();
        notification.close();
      };
    },
    reload: () => location.reload(),
  };
}

let current: Platform | undefined;

/** The platform of this page: the desktop bridge when present, the browser otherwise. */
export function currentPlatform(): Platform {
  current ??= createPlatform(desktopBridge(), pageEnvironment());
  return current;
}

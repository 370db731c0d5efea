/**
 * The main process: composes the modules beside it with the real Electron. Every decision lives
 * in those modules (and their tests); this file only wires them, in the order Electron requires:
 * the privileged scheme and the single-instance lock before `ready`, then the protocol,
 * permissions, IPC handlers, menu and the window.
 *
 * Environment: `CONGVU_SERVER_URL` points the app at a server for this run (`npm start` sets it).
 * Development runs only (ignored when packaged): `CONGVU_RENDERER_URL` loads the page from the
 * Vite dev server instead of the packaged files; `CONGVU_USER_DATA_DIR` keeps settings, window
 * state and the page's storage in another folder (the end-to-end tests use a fresh one).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, net, Notification, protocol, screen, session, shell } from 'electron';
import { type AppLink, appRouteOf, LINK_EVENT_CHANNEL } from '../common/ipc.ts';
import { claimSingleInstance, findDeepLink, registerProtocolClient } from './deep-links.ts';
import { fail, succeed, ValidatedIpc } from './ipc.ts';
import { aboutText, menuTemplate } from './menu.ts';
import { guardNavigation, isAllowedExternalUrl, originOf, type NavigationPolicy } from './navigation.ts';
import { installPermissionHandlers } from './permissions.ts';
import { APP_ORIGIN, APP_SCHEME, APP_SCHEME_PRIVILEGES, appProtocolHandler, contentSecurityPolicy } from './protocol.ts';
import { SettingsStore } from './settings.ts';
import { createMainWindow } from './window.ts';
import { fitToDisplays, readWindowState, trackWindowState } from './window-state.ts';

const PRODUCT_NAME = 'Congvu';
const WINDOW_TITLE = 'Công vụ';
const APP_USER_MODEL_ID = 'vn.congvu.desktop';

/**
 * Sites whose links open in the system browser (exact host names). Official legal sources the
 * drafts cite; anything else a page links to is refused.
 */
const EXTERNAL_HOSTS = ['vanban.chinhphu.vn', 'chinhphu.vn', 'congbao.chinhphu.vn', 'thuvienphapluat.vn', 'luatvietnam.vn'];

// The bundle (dist/electron/main.cjs) sits beside preload.cjs and icon.png; the web app is
// ../renderer, both in a checkout (dist/) and in the packaged app.
const HERE = __dirname;
const RENDERER_DIR = path.join(HERE, '..', 'renderer');
const PRELOAD = path.join(HERE, 'preload.cjs');
const ICON = path.join(HERE, 'icon.png');

const devRendererUrl = app.isPackaged ? undefined : process.env.CONGVU_RENDERER_URL || undefined;
const appOrigin = (devRendererUrl && originOf(devRendererUrl)) || APP_ORIGIN;
const policy: NavigationPolicy = { appOrigin, externalHosts: EXTERNAL_HOSTS };

function log(level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, time: new Date().toISOString(), service: 'congvu-desktop', msg, ...fields });
  if (level === 'info') console.log(line);
  else console.error(line);
}

function appUrl(route: string): string {
  return new URL(route, `${devRendererUrl ?? APP_ORIGIN}/`).toString();
}

// --- before ready --------------------------------------------------------------------------

const devUserData = app.isPackaged ? undefined : process.env.CONGVU_USER_DATA_DIR || undefined;
// Before anything reads userData: the single-instance lock lives there too.
if (devUserData) app.setPath('userData', devUserData);
app.enableSandbox();
protocol.registerSchemesAsPrivileged(APP_SCHEME_PRIVILEGES.map((entry) => ({ scheme: entry.scheme, privileges: { ...entry.privileges } })));
if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);

let mainWindow: BrowserWindow | undefined;
/** Whether the page now in the window listens for links (else a link reloads it at the route). */
let pageListensForLinks = false;
let startupLink: AppLink | undefined = findDeepLink(process.argv);
/** Notifications are kept until clicked or closed: a collected one loses its click handler. */
const liveNotifications = new Set<Notification>();

function bringForward(): void {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

function openLink(link: AppLink): void {
  if (!mainWindow) {
    startupLink = link;
    return;
  }
  bringForward();
  if (pageListensForLinks) mainWindow.webContents.send(LINK_EVENT_CHANNEL, link);
  else void mainWindow.loadURL(appUrl(appRouteOf(link)));
}

const primary = claimSingleInstance(app, {
  onActivate: (link) => (link ? openLink(link) : bringForward()),
  onRejected: (raw) => log('warn', 'deep link refused', { link: raw.slice(0, 200) }),
});

if (!primary) {
  // Another instance has the lock and has been handed our arguments.
  app.quit();
} else {
  app.on('web-contents-created', (_event, contents) => {
    guardNavigation(contents, {
      policy,
      openExternal: (url) => void shell.openExternal(url),
      onDenied: (kind, url) => log('warn', 'navigation refused', { kind, url: url.slice(0, 200) }),
    });
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.whenReady().then(ready, (error: unknown) => {
    log('error', 'startup failed', { error: String(error) });
    app.exit(1);
  });
}

// --- after ready ---------------------------------------------------------------------------

async function ready(): Promise<void> {
  const settings = new SettingsStore(path.join(app.getPath('userData'), 'settings.json'));
  const loaded = await settings.load(process.env);
  for (const problem of loaded.problems) log('warn', 'settings ignored', { problem });
  log('info', 'settings', { serverUrl: loaded.settings.serverUrl, source: loaded.source });

  protocol.handle(
    APP_SCHEME,
    appProtocolHandler({
      root: RENDERER_DIR,
      csp: () => contentSecurityPolicy({ serverUrl: settings.get().serverUrl }),
      server: { serverUrl: () => settings.get().serverUrl, fetch: (url, init) => net.fetch(url, init) },
    }),
  );
  installPermissionHandlers(session.defaultSession, appOrigin, (permission, origin) => log('warn', 'permission refused', { permission, origin }));
  registerIpc(settings);
  registerProtocolClient(app, { isPackaged: app.isPackaged, execPath: process.execPath });
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate({ platform: process.platform, productName: PRODUCT_NAME, development: !app.isPackaged, actions: { open: openLink, about: showAbout } }),
    ),
  );
  await openMainWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void openMainWindow();
  });
}

async function openMainWindow(): Promise<void> {
  const stateFile = path.join(app.getPath('userData'), 'window-state.json');
  const displays = screen.getAllDisplays().map((display) => display.workArea);
  const state = fitToDisplays(await readWindowState(stateFile), displays, screen.getPrimaryDisplay().workArea);
  const window = createMainWindow(BrowserWindow, { preload: PRELOAD, state, title: WINDOW_TITLE, icon: ICON });
  mainWindow = window;
  trackWindowState(window, stateFile, (error) => log('warn', 'window state not saved', { error: String(error) }));
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = undefined;
  });
  window.webContents.on('did-start-navigation', (details) => {
    if (details.isMainFrame && !details.isSameDocument) pageListensForLinks = false;
  });
  const link = startupLink;
  startupLink = undefined;
  await window.loadURL(appUrl(link ? appRouteOf(link) : '/'));
}

function showAbout(): void {
  const text = aboutText(PRODUCT_NAME, {
    app: app.getVersion(),
    electron: process.versions.electron ?? '',
    chrome: process.versions.chrome ?? '',
    node: process.versions.node,
  });
  const options = { type: 'info' as const, title: text.title, message: text.message, detail: text.detail, buttons: ['Đóng'] };
  void (mainWindow ? dialog.showMessageBox(mainWindow, options) : dialog.showMessageBox(options));
}

function registerIpc(settings: SettingsStore): void {
  const ipc = new ValidatedIpc(ipcMain, {
    trustedOrigins: [appOrigin],
    onRefused: (channel, code, detail) => log('warn', 'ipc refused', { channel, code, detail: detail.slice(0, 500) }),
  });

  ipc.handle('appVersion', async () =>
    succeed({ version: app.getVersion(), electron: process.versions.electron ?? '', chrome: process.versions.chrome ?? '', platform: process.platform }),
  );

  ipc.handle('saveFile', async (request) => {
    const options = {
      title: 'Lưu tệp',
      buttonLabel: 'Lưu',
      defaultPath: path.join(app.getPath('documents'), request.suggestedName),
      filters: request.filters ?? [],
    };
    const choice = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
    if (choice.canceled || !choice.filePath) return succeed({ saved: false as const });
    try {
      await writeFile(choice.filePath, request.content);
    } catch (error) {
      log('warn', 'save failed', { error: String(error) });
      return fail('io_failed', 'the file could not be written');
    }
    return succeed({ saved: true as const, fileName: path.basename(choice.filePath) });
  });

  ipc.handle('showNotification', async (request) => {
    if (!Notification.isSupported()) return succeed({ shown: false });
    const notification = new Notification({ title: request.title, body: request.body });
    liveNotifications.add(notification);
    const forget = () => liveNotifications.delete(notification);
    notification.on('click', () => {
      forget();
      if (request.link) openLink(request.link);
      else bringForward();
    });
    notification.on('close', forget);
    notification.show();
    return succeed({ shown: true });
  });

  ipc.handle('openExternal', async (request) => {
    if (!isAllowedExternalUrl(request.url, EXTERNAL_HOSTS)) return fail('not_allowed', 'this site is not on the list of sites the app opens');
    await shell.openExternal(request.url);
    return succeed({ opened: true as const });
  });

  ipc.handle('getSettings', async () => succeed(settings.get()));

  ipc.handle('setSettings', async (request) => {
    try {
      return succeed(await settings.save(request));
    } catch (error) {
      log('warn', 'settings not saved', { error: String(error) });
      return fail('io_failed', 'the settings could not be saved');
    }
  });

  ipc.handle('subscribeLinks', async (_request, context) => {
    if (mainWindow && context.sender === mainWindow.webContents) pageListensForLinks = true;
    return succeed({ subscribed: true as const });
  });
}

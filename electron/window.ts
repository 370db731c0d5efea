/**
 * The one window factory. It alone decides the `webPreferences` of the app's windows, so the
 * Electron security checklist is kept in one place: context isolation, the Chromium sandbox, no
 * Node.js in the page (nor in its workers or frames), web security on, no insecure content, no
 * experimental features, no `<webview>`. The remote module no longer exists in Electron (removed
 * in 14) and nothing here brings back `@electron/remote`.
 *
 * Pages live in the default session: IndexedDB and service workers persist there (PITFALLS.md),
 * and the custom scheme, the permission handlers and the app's storage all belong to that one
 * session.
 */
import type { AppWindowState } from './window-state.ts';

/** The `webPreferences` every window of the app gets; nothing else may create a window. */
export function secureWebPreferences(preload: string) {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    // Linux's spell checker downloads dictionaries from the network; the app stays offline.
    spellcheck: false,
  } as const;
}

export type SecureWebPreferences = ReturnType<typeof secureWebPreferences>;

export interface WindowOptions {
  readonly preload: string;
  readonly state: AppWindowState;
  readonly title: string;
  readonly icon?: string;
}

/** The constructor options of the main window (exported for the tests). */
export function mainWindowOptions(options: WindowOptions) {
  const { state } = options;
  return {
    x: state.x,
    y: state.y,
    width: state.width,
    height: state.height,
    minWidth: 720,
    minHeight: 480,
    title: options.title,
    backgroundColor: '#ffffff',
    // Shown on `ready-to-show`, so the user never sees a blank white frame.
    show: false,
    autoHideMenuBar: false,
    ...(options.icon ? { icon: options.icon } : {}),
    webPreferences: secureWebPreferences(options.preload),
  };
}

export type MainWindowOptions = ReturnType<typeof mainWindowOptions>;

/** The part of a BrowserWindow the factory touches. */
export interface FactoryWindow {
  once(event: 'ready-to-show', listener: () => void): unknown;
  show(): void;
  maximize(): void;
}

/** Creates the main window through the given BrowserWindow class (Electron's, or a test fake). */
export function createMainWindow<W extends FactoryWindow>(BrowserWindow: new (options: MainWindowOptions) => W, options: WindowOptions): W {
  const window = new BrowserWindow(mainWindowOptions(options));
  window.once('ready-to-show', () => {
    if (options.state.maximized) window.maximize();
    window.show();
  });
  return window;
}

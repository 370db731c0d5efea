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

export interface WindowOptions {
  readonly preload: string;
  readonly state: AppWindowState;
  readonly title: string;
  readonly icon?: string;
}

/** The part of a BrowserWindow the factory touches. */
export interface FactoryWindow {
  once(event: 'ready-to-show', listener: () => void): unknown;
  show(): void;
  maximize(): void;
}

/** What the factory passes to the BrowserWindow constructor. */
export interface MainWindowOptions {
  readonly x?: number;
  readonly y?: number;
  readonly width: number;
  readonly height: number;
  readonly minWidth: number;
  readonly minHeight: number;
  readonly title: string;
  readonly backgroundColor: string;
  readonly show: boolean;
  readonly icon?: string;
  readonly webPreferences: SecureWebPreferences;
}

/** The preferences as types: a value other than the secure one does not compile. */
export interface SecureWebPreferences {
  readonly preload: string;
  readonly contextIsolation: true;
  readonly sandbox: true;
  readonly nodeIntegration: false;
  readonly nodeIntegrationInWorker: false;
  readonly nodeIntegrationInSubFrames: false;
  readonly webSecurity: true;
  readonly allowRunningInsecureContent: false;
  readonly experimentalFeatures: false;
  readonly webviewTag: false;
  readonly navigateOnDragDrop: false;
  readonly safeDialogs: true;
  readonly disableBlinkFeatures: 'Auxclick';
  readonly spellcheck: false;
}

/**
 * Creates the main window through the given BrowserWindow class (Electron's, or a test fake).
 * The preferences are written out in the constructor call itself, so that the security scanner
 * (electronegativity, build/electronegativity.test.ts) reads them where it looks.
 */
export function createMainWindow<W extends FactoryWindow>(BrowserWindow: new (options: MainWindowOptions) => W, options: WindowOptions): W {
  const { state } = options;
  const window = new BrowserWindow({
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
    ...(options.icon ? { icon: options.icon } : {}),
    webPreferences: {
      preload: options.preload,
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
      // Middle-click would open links in new windows; the window-open handler refuses them anyway.
      disableBlinkFeatures: 'Auxclick',
      // Linux's spell checker downloads dictionaries from the network; the app stays offline.
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => {
    if (options.state.maximized) window.maximize();
    window.show();
  });
  return window;
}

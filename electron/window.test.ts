/**
 * The window factory, with a fake BrowserWindow class: Electron's binary cannot run on our
 * machines, and the factory's job is the options it passes, which the fake records.
 */
import { describe, expect, it } from 'vitest';
import { createMainWindow, mainWindowOptions, secureWebPreferences, type MainWindowOptions } from './window.ts';

class FakeWindow {
  static created: FakeWindow[] = [];
  readonly calls: string[] = [];
  private readyListener: (() => void) | undefined;
  constructor(readonly options: MainWindowOptions) {
    FakeWindow.created.push(this);
  }
  once(_event: 'ready-to-show', listener: () => void) {
    this.readyListener = listener;
    return this;
  }
  show() {
    this.calls.push('show');
  }
  maximize() {
    this.calls.push('maximize');
  }
  emitReady() {
    this.readyListener?.();
  }
}

const state = { x: 10, y: 20, width: 1200, height: 800, maximized: false };

describe('the window factory', () => {
  it('gives every window exactly the secure webPreferences', () => {
    expect(secureWebPreferences('/app/preload.cjs')).toEqual({
      preload: '/app/preload.cjs',
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
      spellcheck: false,
    });
  });

  it('sets no option that re-enables Node, remote content or the remote module', () => {
    const preferences: Record<string, unknown> = secureWebPreferences('/p.cjs');
    for (const risky of ['enableRemoteModule', 'enableBlinkFeatures', 'additionalArguments', 'partition', 'session', 'disableBlinkFeatures']) {
      expect(preferences, risky).not.toHaveProperty(risky);
    }
  });

  it('creates the window hidden with the remembered bounds, and shows it when ready', () => {
    const window = createMainWindow(FakeWindow, { preload: '/p.cjs', state, title: 'Công vụ' });
    expect(window.options).toMatchObject({ x: 10, y: 20, width: 1200, height: 800, show: false, title: 'Công vụ' });
    expect(window.options.webPreferences).toEqual(secureWebPreferences('/p.cjs'));
    expect(window.calls).toEqual([]);
    window.emitReady();
    expect(window.calls).toEqual(['show']);
  });

  it('maximises a window that was maximised when it closed', () => {
    const window = createMainWindow(FakeWindow, { preload: '/p.cjs', state: { ...state, maximized: true }, title: 't' });
    window.emitReady();
    expect(window.calls).toEqual(['maximize', 'show']);
  });

  it('passes the icon only when there is one', () => {
    expect(mainWindowOptions({ preload: '/p.cjs', state, title: 't' })).not.toHaveProperty('icon');
    expect(mainWindowOptions({ preload: '/p.cjs', state, title: 't', icon: '/i.png' }).icon).toBe('/i.png');
  });
});

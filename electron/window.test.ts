/**
 * The window factory, with a fake BrowserWindow class: Electron's binary cannot run on our
 * machines, and the factory's job is the options it passes, which the fake records.
 */
import { describe, expect, it } from 'vitest';
import { createMainWindow, type MainWindowOptions } from './window.ts';

class FakeWindow {
  readonly calls: string[] = [];
  private readyListener: (() => void) | undefined;
  constructor(readonly options: MainWindowOptions) {}
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
const create = (extra: Partial<Parameters<typeof createMainWindow>[1]> = {}) =>
  createMainWindow(FakeWindow, { preload: '/app/preload.cjs', state, title: 'Công vụ', ...extra });

describe('the window factory', () => {
  it('gives the window exactly the secure webPreferences', () => {
    expect(create().options.webPreferences).toEqual({
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
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
    });
  });

  it('sets no option that re-enables Node, remote content or the remote module', () => {
    const preferences: Record<string, unknown> = { ...create().options.webPreferences };
    for (const risky of ['enableRemoteModule', 'enableBlinkFeatures', 'additionalArguments', 'partition', 'session', 'contextIsolationInWorker']) {
      expect(preferences, risky).not.toHaveProperty(risky);
    }
  });

  it('creates the window hidden with the remembered bounds, and shows it when ready', () => {
    const window = create();
    expect(window.options).toMatchObject({ x: 10, y: 20, width: 1200, height: 800, show: false, title: 'Công vụ' });
    expect(window.calls).toEqual([]);
    window.emitReady();
    expect(window.calls).toEqual(['show']);
  });

  it('maximises a window that was maximised when it closed', () => {
    const window = create({ state: { ...state, maximized: true } });
    window.emitReady();
    expect(window.calls).toEqual(['maximize', 'show']);
  });

  it('passes the icon only when there is one', () => {
    expect(create().options).not.toHaveProperty('icon');
    expect(create({ icon: '/i.png' }).options.icon).toBe('/i.png');
  });
});

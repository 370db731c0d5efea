/**
 * Remembered window bounds: validated when read back and fitted to the displays present, and
 * written atomically. Pure functions and a temporary folder; no Electron needed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_SIZE, fitToDisplays, readWindowState, trackWindowState, writeWindowState } from './window-state.ts';

const primary = { x: 0, y: 0, width: 1920, height: 1040 };
const right = { x: 1920, y: 0, width: 1280, height: 1024 };

describe('fitting the remembered window to the displays', () => {
  it('keeps bounds that lie on a display', () => {
    const stored = { x: 100, y: 50, width: 1200, height: 800, maximized: true };
    expect(fitToDisplays(stored, [primary], primary)).toEqual(stored);
    expect(fitToDisplays({ ...stored, x: 2000 }, [primary, right], primary)).toEqual({ ...stored, x: 2000 });
  });

  it('centres the window on the primary display when its display is gone', () => {
    const stored = { x: 2000, y: 100, width: 1200, height: 800, maximized: false };
    expect(fitToDisplays(stored, [primary], primary)).toEqual({ x: 360, y: 120, width: 1200, height: 800, maximized: false });
  });

  it('brings back a window whose title bar is off-screen', () => {
    expect(fitToDisplays({ x: 100, y: -700, width: 1200, height: 800, maximized: false }, [primary], primary)).toMatchObject({ x: 360, y: 120 });
    expect(fitToDisplays({ x: -1150, y: 10, width: 1200, height: 800, maximized: false }, [primary], primary)).toMatchObject({ x: 360 });
  });

  it('shrinks a window larger than its display and keeps it inside', () => {
    expect(fitToDisplays({ x: 1900, y: 0, width: 3000, height: 2000, maximized: false }, [primary, right], primary)).toEqual({
      x: 1920,
      y: 0,
      width: 1280,
      height: 1024,
      maximized: false,
    });
    expect(fitToDisplays({ x: 1000, y: 500, width: 1200, height: 800, maximized: false }, [primary], primary)).toEqual({
      x: 720,
      y: 240,
      width: 1200,
      height: 800,
      maximized: false,
    });
  });

  it('uses the default size, centred, for a missing or invalid file', () => {
    const centred = { x: 320, y: 90, ...DEFAULT_WINDOW_SIZE, maximized: false };
    for (const stored of [undefined, null, 'x', {}, { x: 1, y: 1, width: 'big', height: 800 }, { x: 0.5, y: 0, width: 800, height: 600 }, { x: 0, y: 0, width: 10, height: 600 }, { x: 1e9, y: 0, width: 800, height: 600 }]) {
      expect(fitToDisplays(stored, [primary], primary), JSON.stringify(stored)).toEqual(centred);
    }
  });
});

describe('storing the window state', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'congvu-window-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes what it reads back, rounding fractional bounds', async () => {
    const file = path.join(dir, 'nested/window-state.json');
    await writeWindowState(file, { x: 10.4, y: 20.6, width: 800, height: 600 }, true);
    expect(await readWindowState(file)).toEqual({ x: 10, y: 21, width: 800, height: 600, maximized: true });
  });

  it('reads a damaged file as nothing', async () => {
    const file = path.join(dir, 'damaged.json');
    writeFileSync(file, '{"x": 1,');
    expect(await readWindowState(file)).toBeUndefined();
    expect(await readWindowState(path.join(dir, 'missing.json'))).toBeUndefined();
  });

  it('saves once the window stops moving, and at close', async () => {
    const listeners = new Map<string, () => void>();
    let bounds = { x: 1, y: 2, width: 900, height: 700 };
    const file = path.join(dir, 'tracked.json');
    trackWindowState({ on: (event, listener) => listeners.set(event, listener), getNormalBounds: () => bounds, isMaximized: () => false }, file, undefined, 10);
    listeners.get('move')!();
    bounds = { ...bounds, x: 50 };
    listeners.get('resize')!();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ x: 50, y: 2, width: 900, height: 700, maximized: false });
    bounds = { ...bounds, y: 99 };
    listeners.get('close')!();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(JSON.parse(readFileSync(file, 'utf8')).y).toBe(99);
  });
});

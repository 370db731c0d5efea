/**
 * Remembers where the main window was (bounds and maximised) in `window-state.json` under the
 * user-data folder. What is read back is validated and fitted to the displays attached now: a
 * window last seen on a monitor that is gone comes back centred on the primary display, never
 * off-screen, and never larger than the work area.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

export interface Rectangle {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface AppWindowState {
  /** Undefined: let the system centre the window. */
  readonly x?: number;
  readonly y?: number;
  readonly width: number;
  readonly height: number;
  readonly maximized: boolean;
}

const coordinate = z.number().int().min(-100_000).max(100_000);
const size = z.number().int().min(100).max(100_000);

export const StoredWindowState = z.object({
  x: coordinate,
  y: coordinate,
  width: size,
  height: size,
  maximized: z.boolean().default(false),
});

export const DEFAULT_WINDOW_SIZE = { width: 1280, height: 860 } as const;

/** How much of the window must lie on a display to count as visible (its title bar, roughly). */
const MIN_VISIBLE = { width: 120, height: 40 } as const;

function overlap(a: Rectangle, b: Rectangle): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * The state to open with: the stored bounds if enough of the window's top lies on one of the
 * displays' work areas (shrunk to that area if larger), else the default size centred on the
 * primary display.
 */
export function fitToDisplays(stored: unknown, workAreas: readonly Rectangle[], primary: Rectangle): AppWindowState {
  const parsed = StoredWindowState.safeParse(stored);
  const centred = (width: number, height: number, maximized: boolean): AppWindowState => {
    const w = Math.min(width, primary.width);
    const h = Math.min(height, primary.height);
    return { x: primary.x + Math.round((primary.width - w) / 2), y: primary.y + Math.round((primary.height - h) / 2), width: w, height: h, maximized };
  };
  if (!parsed.success) return centred(DEFAULT_WINDOW_SIZE.width, DEFAULT_WINDOW_SIZE.height, false);
  const state = parsed.data;
  const titleBar: Rectangle = { x: state.x, y: state.y, width: state.width, height: Math.min(state.height, MIN_VISIBLE.height) };
  const home = workAreas.find((area) => {
    const shared = overlap(titleBar, area);
    return shared.width >= Math.min(MIN_VISIBLE.width, state.width) && shared.height >= Math.min(MIN_VISIBLE.height, state.height);
  });
  if (!home) return centred(state.width, state.height, state.maximized);
  const width = Math.min(state.width, home.width);
  const height = Math.min(state.height, home.height);
  // Keep the fitted window inside the area it was found on.
  const x = Math.min(Math.max(state.x, home.x), home.x + home.width - width);
  const y = Math.min(Math.max(state.y, home.y), home.y + home.height - height);
  return { x, y, width, height, maximized: state.maximized };
}

export async function readWindowState(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** Written to a temporary file and renamed, so a crash never leaves half a file. */
export async function writeWindowState(file: string, bounds: Rectangle, maximized: boolean): Promise<void> {
  const state = StoredWindowState.parse({ ...roundBounds(bounds), maximized });
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(state));
  await rename(temporary, file);
}

function roundBounds(bounds: Rectangle): Rectangle {
  return { x: Math.round(bounds.x), y: Math.round(bounds.y), width: Math.round(bounds.width), height: Math.round(bounds.height) };
}

/** The part of a BrowserWindow that is tracked. */
export interface TrackedWindow {
  on(event: 'resize' | 'move' | 'close', listener: () => void): unknown;
  getNormalBounds(): Rectangle;
  isMaximized(): boolean;
}

/** Saves the window's state a moment after it stops moving, and when it closes. */
export function trackWindowState(window: TrackedWindow, file: string, onError?: (error: unknown) => void, delayMs = 500): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const save = () => {
    clearTimeout(timer);
    timer = undefined;
    writeWindowState(file, window.getNormalBounds(), window.isMaximized()).catch((error: unknown) => onError?.(error));
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(save, delayMs);
  };
  window.on('resize', later);
  window.on('move', later);
  window.on('close', save);
}

/**
 * Where the build scripts find things: the repository root and the folders the desktop app is
 * assembled from (dist/renderer for the web app, dist/electron for the main process bundle,
 * dist/app for what electron-builder packages).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const RENDERER_OUT = path.join(ROOT, 'dist/renderer');
export const ELECTRON_OUT = path.join(ROOT, 'dist/electron');
export const APP_STAGE = path.join(ROOT, 'dist/app');
export const INSTALLERS_OUT = path.join(ROOT, 'dist/installers');
export const ICONS = path.join(ROOT, 'build/icons');

/**
 * Finds the Electron binary of node_modules/electron without triggering its download:
 * `require('electron')` would spawn electron's installer (a network download) when the binary is
 * missing, which on our machines hangs and then fails. We read what the installer leaves behind
 * (path.txt and dist/) instead, and honour ELECTRON_OVERRIDE_DIST_PATH as electron itself does.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths.ts';

export type ElectronBinary =
  | { readonly found: true; readonly path: string; readonly version: string }
  | { readonly found: false; readonly reason: string; readonly version?: string };

const EXECUTABLE: Readonly<Record<string, string>> = {
  linux: 'electron',
  darwin: 'Electron.app/Contents/MacOS/Electron',
  win32: 'electron.exe',
};

export function findElectronBinary(
  root: string = ROOT,
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: string = process.platform,
): ElectronBinary {
  const packageDir = path.join(root, 'node_modules/electron');
  const packageFile = path.join(packageDir, 'package.json');
  if (!existsSync(packageFile)) return { found: false, reason: 'the electron package is not installed (run "npm install")' };
  const version = (JSON.parse(readFileSync(packageFile, 'utf8')) as { version: string }).version;
  const pathFile = path.join(packageDir, 'path.txt');
  const recorded = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  let executable: string;
  if (override) executable = path.join(override, recorded ?? EXECUTABLE[platform] ?? 'electron');
  else if (recorded) executable = path.join(packageDir, 'dist', recorded);
  else return { found: false, version, reason: `the electron ${version} package has no binary: its download is not approved in allowScripts` };
  if (!existsSync(executable)) {
    const shown = executable.startsWith(root + path.sep) ? path.relative(root, executable) : executable;
    return { found: false, version, reason: `the Electron binary ${shown} does not exist` };
  }
  return { found: true, path: executable, version };
}

/** Arguments Chromium needs on this machine: its sandbox refuses to run as root on Linux. */
export function electronSwitches(platform: string = process.platform, uid: number | undefined = process.getuid?.()): string[] {
  return platform === 'linux' && uid === 0 ? ['--no-sandbox'] : [];
}

/** Where a window can appear: on Linux, only with an X11 or Wayland display. */
export function displayProblem(env: Readonly<Record<string, string | undefined>> = process.env, platform: string = process.platform): string | undefined {
  if (platform !== 'linux') return undefined;
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return undefined;
  return 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)';
}

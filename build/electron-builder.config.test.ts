/**
 * The packaging configuration, checked without building anything (installers need the Electron
 * binary, which cannot be downloaded here): electron-builder's own schema validation
 * (`validateConfiguration`, the check `electron-builder` runs first), plus what the issue asks of
 * the installers: targets, app id, product name, the `congvu:` scheme, icons, Vietnamese text.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import type { Configuration } from 'electron-builder';
import { describe, expect, it } from 'vitest';
import { config, ELECTRON_VERSION } from './electron-builder.config.ts';
import { ROOT } from './paths.ts';

/** electron-builder's DebugLogger, off (only its shape is used by the validation). */
const quietLogger = { isEnabled: false, data: new Map<string, unknown>(), add() {}, save: async () => {} };

describe('the electron-builder configuration', () => {
  it("passes electron-builder's schema validation", async () => {
    await expect(validateConfiguration(config, quietLogger)).resolves.toBeUndefined();
  });

  it('is really validated: an unknown option is refused', async () => {
    const wrong = { ...config, linux: { ...config.linux, targett: 'deb' } } as unknown as Configuration;
    await expect(validateConfiguration(wrong, quietLogger)).rejects.toThrow(/does not match the API schema[\s\S]*configuration\.linux/);
  });

  it('names the app and embeds the pinned Electron', () => {
    expect(config.appId).toBe('vn.congvu.desktop');
    expect(config.productName).toBe('Congvu');
    const pinned = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies.electron;
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(config.electronVersion).toBe(pinned);
    expect(ELECTRON_VERSION).toBe(pinned);
  });

  it('builds AppImage and deb for Linux, NSIS for Windows, dmg for macOS', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.mac?.target).toEqual(['dmg']);
  });

  it('registers congvu: links on every platform', () => {
    expect(config.protocols).toEqual([{ name: 'Liên kết Công vụ', schemes: ['congvu'] }]);
    expect(config.linux?.mimeTypes).toContain('x-scheme-handler/congvu');
  });

  it('packages only the staged app, with nothing to rebuild', () => {
    expect(config.directories).toEqual({ app: 'dist/app', output: 'dist/installers', buildResources: 'build' });
    expect(config.npmRebuild).toBe(false);
    expect(config.files).toContain('!**/*.map');
  });

  it('has its icons in place', () => {
    for (const size of [16, 32, 48, 64, 128, 256, 512, 1024]) expect(existsSync(path.join(ROOT, `build/icons/${size}x${size}.png`)), `${size}`).toBe(true);
    expect(existsSync(path.join(ROOT, String(config.win?.icon)))).toBe(true);
    expect(existsSync(path.join(ROOT, String(config.mac?.icon)))).toBe(true);
  });

  it('describes the app in Vietnamese', () => {
    expect(config.linux?.description).toMatch(/văn bản/);
    expect(config.linux?.desktop?.entry?.['Name[vi]']).toBe('Công vụ');
    expect(config.nsis?.language).toBe('1066');
    expect(config.nsis?.shortcutName).toBe('Công vụ');
  });
});

/**
 * `npm run dist` where it can be checked without the Electron binary: what it stages for
 * electron-builder, and that it stops with a clear message when the binary is missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stageApp } from './dist.ts';
import { ROOT } from './paths.ts';

const temporary = mkdtempSync(path.join(os.tmpdir(), 'congvu-dist-'));
afterAll(() => rmSync(temporary, { recursive: true, force: true }));

describe('npm run dist', () => {
  it('stages the bundle, the web app and a package.json whose main exists, and nothing else', async () => {
    const renderer = path.join(temporary, 'renderer');
    mkdirSync(path.join(renderer, 'assets'), { recursive: true });
    writeFileSync(path.join(renderer, 'index.html'), '<!doctype html>');
    writeFileSync(path.join(renderer, 'assets/app.js'), '1');
    writeFileSync(path.join(renderer, 'assets/app.js.map'), '{}');
    const stage = await stageApp({ rendererDir: renderer, stageDir: path.join(temporary, 'app') });

    const manifest = JSON.parse(readFileSync(path.join(stage, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ name: 'congvu', productName: 'Congvu', main: 'electron/main.cjs' });
    expect(manifest).not.toHaveProperty('dependencies');
    expect(readdirSync(stage).sort()).toEqual(['electron', 'package.json', 'renderer']);
    expect(readdirSync(path.join(stage, 'electron')).filter((name) => !name.endsWith('.map')).sort()).toEqual(['icon.png', 'main.cjs', 'preload.cjs']);
    expect(existsSync(path.join(stage, 'renderer/assets/app.js'))).toBe(true);
    expect(existsSync(path.join(stage, 'renderer/assets/app.js.map'))).toBe(false);
    // The main bundle loads nothing from node_modules at run time but electron itself.
    const requires = [...readFileSync(path.join(stage, 'electron/main.cjs'), 'utf8').matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]);
    expect(requires.filter((name) => !name.startsWith('node:') && name !== 'electron' && !['fs', 'path', 'fs/promises', 'url'].includes(name))).toEqual([]);
    const preloadRequires = [...readFileSync(path.join(stage, 'electron/preload.cjs'), 'utf8').matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]);
    expect(new Set(preloadRequires)).toEqual(new Set(['electron']));
  });

  it('says the binary is missing and exits with 1, where it is', () => {
    const empty = path.join(temporary, 'no-electron');
    mkdirSync(empty);
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'build/dist.ts'], {
      cwd: ROOT,
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: empty },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^Cannot build the installers: Electron is not installed on this machine \(.+\)\. Run "npm run electron:install"/);
  });
});

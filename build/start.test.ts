/**
 * `npm start` where Electron cannot start (CONTRACT.md, "Commands"): one clear line saying why,
 * with the address, and the same server (demo workspace seeded) and web app served there for a
 * browser until Ctrl-C.
 * The binary is made missing on purpose (ELECTRON_OVERRIDE_DIST_PATH at an empty folder), so
 * this runs the same on machines that do have Electron.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './paths.ts';

const temporary = mkdtempSync(path.join(os.tmpdir(), 'congvu-start-'));
let child: ChildProcess | undefined;
afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(temporary, { recursive: true, force: true });
});

describe('npm start without the Electron binary', () => {
  it('says so in one line and serves the app at the printed address until Ctrl-C', async () => {
    const web = path.join(temporary, 'web');
    const noElectron = path.join(temporary, 'no-electron');
    mkdirSync(web);
    mkdirSync(noElectron);
    writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>Công vụ</title>');

    const env: Record<string, string | undefined> = {
      ...process.env,
      CONGVU_PORT: '0',
      CONGVU_DATA_DIR: path.join(temporary, 'data'),
      CONGVU_WEB_ROOT: web,
      ELECTRON_OVERRIDE_DIST_PATH: noElectron,
    };
    delete env.CONGVU_DEMO;
    child = spawn(process.execPath, ['--import', 'tsx', 'build/start.ts'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no notice in time:\n${output}`)), 60_000);
      const check = () => {
        const found = output.split('\n').find((candidate) => candidate.startsWith('Electron is not installed'));
        if (found) {
          clearTimeout(timer);
          resolve(found);
        }
      };
      child!.stdout!.on('data', check);
      child!.once('exit', () => reject(new Error(`npm start exited:\n${output}`)));
    });
    console.log(`npm start said: ${line}`);
    expect(line).toMatch(/^Electron is not installed on this machine \(.+; run "npm run electron:install" where the network allows\); open the app at http:\/\/127\.0\.0\.1:\d+ \(Ctrl-C stops the server\)$/);
    const url = /open the app at (http:\/\/127\.0\.0\.1:\d+)/.exec(line)![1];

    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
    // The demo workspace was seeded on this first run.
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'an.nguyen', password: 'congvu-demo' }),
    });
    expect(login.status).toBe(200);
    expect(await (await fetch(`${url}/documents`)).text()).toContain('<title>Công vụ</title>');

    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});

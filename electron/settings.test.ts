/** The settings file: validated on every read and write, overridable for one run. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, SettingsStore } from './settings.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'congvu-settings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = () => path.join(dir, `settings-${n++}.json`);

describe('settings', () => {
  it('starts from the local server when there is no file', async () => {
    const store = new SettingsStore(file());
    expect(await store.load()).toEqual({ settings: { serverUrl: 'http://127.0.0.1:8787' }, source: 'default', problems: [] });
    expect(DEFAULT_SETTINGS.serverUrl).toBe('http://127.0.0.1:8787');
  });

  it('saves a server address normalised, and reads it back', async () => {
    const path = file();
    const store = new SettingsStore(path);
    expect(await store.save({ serverUrl: ' HTTPS://Congvu.NinhBinh.gov.vn/ ' })).toEqual({ serverUrl: 'https://congvu.ninhbinh.gov.vn' });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ serverUrl: 'https://congvu.ninhbinh.gov.vn' });
    expect((await new SettingsStore(path).load()).settings.serverUrl).toBe('https://congvu.ninhbinh.gov.vn');
  });

  it('refuses addresses that are not an http(s) server origin, keeping the old value', async () => {
    const store = new SettingsStore(file());
    await store.save({ serverUrl: 'http://10.0.0.5:8787' });
    for (const serverUrl of [
      'ftp://10.0.0.5',
      'file:///etc',
      'javascript:alert(1)',
      'http://10.0.0.5:8787/api',
      'http://user:pw@10.0.0.5',
      'http://10.0.0.5?x=1',
      'http://10.0.0.5:99999',
      'http://',
      '10.0.0.5:8787',
      '',
      42,
    ]) {
      await expect(store.save({ serverUrl }), String(serverUrl)).rejects.toThrow();
    }
    await expect(store.save({ serverUrl: 'http://10.0.0.6', extra: 1 })).rejects.toThrow();
    expect(store.get()).toEqual({ serverUrl: 'http://10.0.0.5:8787' });
  });

  it('falls back to the defaults for a damaged or hand-edited file, saying why', async () => {
    const damaged = file();
    writeFileSync(damaged, '{"serverUrl":');
    expect(await new SettingsStore(damaged).load()).toMatchObject({ settings: DEFAULT_SETTINGS, source: 'default', problems: [expect.stringContaining('not JSON')] });
    const odd = file();
    writeFileSync(odd, JSON.stringify({ serverUrl: 'file:///etc/passwd' }));
    const loaded = await new SettingsStore(odd).load();
    expect(loaded.settings).toEqual(DEFAULT_SETTINGS);
    expect(loaded.problems).toHaveLength(1);
  });

  it('lets CONGVU_SERVER_URL override the file for one run, if it is valid', async () => {
    const path = file();
    await new SettingsStore(path).save({ serverUrl: 'http://10.0.0.5:8787' });
    expect(await new SettingsStore(path).load({ CONGVU_SERVER_URL: 'http://127.0.0.1:40123' })).toMatchObject({
      settings: { serverUrl: 'http://127.0.0.1:40123' },
      source: 'environment',
    });
    const bad = await new SettingsStore(path).load({ CONGVU_SERVER_URL: 'nonsense' });
    expect(bad).toMatchObject({ settings: { serverUrl: 'http://10.0.0.5:8787' }, source: 'file', problems: [expect.stringContaining('CONGVU_SERVER_URL')] });
  });
});

/**
 * The validating IPC wrapper, on a fake ipcMain that records handlers and lets the test invoke
 * them with fake events (Electron's binary cannot run on our machines; the wrapper reads only
 * `senderFrame.url`, `.origin`, `.parent` and `sender`, which the fakes provide).
 */
import { describe, expect, it } from 'vitest';
import { IpcContract } from '../common/ipc.ts';
import { type InvokeEvent, type IpcMainLike, senderProblem, succeed, ValidatedIpc } from './ipc.ts';

function fakeIpcMain() {
  const handlers = new Map<string, (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => void handlers.set(channel, listener),
    removeHandler: (channel) => void handlers.delete(channel),
  };
  return { ipcMain, handlers, invoke: (channel: string, event: InvokeEvent, ...args: unknown[]) => handlers.get(channel)!(event, ...args) };
}

const topFrame = (url: string, origin = new URL(url).protocol === 'congvu-app:' ? 'congvu-app://app' : new URL(url).origin): InvokeEvent => ({
  senderFrame: { url, origin, parent: null },
  sender: { id: 1 },
});
const appEvent = topFrame('congvu-app://app/documents');

function setup() {
  const fake = fakeIpcMain();
  const refused: string[] = [];
  const ipc = new ValidatedIpc(fake.ipcMain, { trustedOrigins: ['congvu-app://app'], onRefused: (channel, code) => refused.push(`${channel} ${code}`) });
  const seen: unknown[] = [];
  ipc.handle('openExternal', async (request) => {
    seen.push(request);
    return succeed({ opened: true as const });
  });
  const channel = IpcContract.openExternal.channel;
  return { ...fake, ipc, seen, refused, call: (event: InvokeEvent, ...args: unknown[]) => fake.invoke(channel, event, ...args) };
}

describe('the validating IPC wrapper', () => {
  it('runs the handler for the app page with valid arguments and answers its value', async () => {
    const { call, seen } = setup();
    expect(await call(appEvent, { url: 'https://example.com/' })).toEqual({ ok: true, value: { opened: true } });
    expect(seen).toEqual([{ url: 'https://example.com/' }]);
  });

  it('refuses a page of another origin without running the handler', async () => {
    const { call, seen, refused } = setup();
    for (const event of [topFrame('https://attacker.com/'), topFrame('http://127.0.0.1:8787/'), topFrame('file:///tmp/x.html', 'null')]) {
      expect(await call(event, { url: 'https://example.com/' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(seen).toEqual([]);
    expect(refused).toEqual(Array(3).fill('congvu:open-external forbidden'));
  });

  it("refuses a sub-frame even when it is on the app's origin", async () => {
    const { call, seen } = setup();
    const parent = appEvent.senderFrame;
    const subFrame: InvokeEvent = { senderFrame: { url: 'congvu-app://app/frame.html', origin: 'congvu-app://app', parent }, sender: { id: 1 } };
    expect(await call(subFrame, { url: 'https://example.com/' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(seen).toEqual([]);
  });

  it('refuses a frame whose URL and origin disagree, and a frame that is gone', async () => {
    const { call } = setup();
    const opaque: InvokeEvent = { senderFrame: { url: 'congvu-app://app/x', origin: 'null', parent: null }, sender: {} };
    expect(await call(opaque, { url: 'https://example.com/' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call({ senderFrame: null, sender: {} }, { url: 'https://example.com/' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('refuses bad arguments with what was wrong, without running the handler', async () => {
    const { call, seen } = setup();
    const bad: unknown[][] = [[], [{}], [{ url: 42 }], [{ url: 'https://example.com/', extra: true }], ['https://example.com/'], [{ url: 'x'.repeat(3000) }], [{ url: 'https://example.com/' }, 'second']];
    for (const args of bad) {
      const answer = (await call(appEvent, ...args)) as { ok: boolean; error: { code: string; message: string } };
      expect(answer.ok, JSON.stringify(args)).toBe(false);
      expect(answer.error.code).toBe('invalid_request');
      expect(answer.error.message.length).toBeGreaterThan(0);
    }
    expect(seen).toEqual([]);
  });

  it('turns a throwing handler into an internal error without the stack', async () => {
    const fake = fakeIpcMain();
    const details: string[] = [];
    const ipc = new ValidatedIpc(fake.ipcMain, { trustedOrigins: ['congvu-app://app'], onRefused: (_c, _code, detail) => details.push(detail) });
    ipc.handle('getSettings', async () => {
      throw new Error('disk on fire');
    });
    expect(await fake.invoke(IpcContract.getSettings.channel, appEvent)).toEqual({ ok: false, error: { code: 'internal', message: 'internal error' } });
    expect(details[0]).toContain('disk on fire');
  });

  it("checks main's own answers against the contract", async () => {
    const fake = fakeIpcMain();
    const ipc = new ValidatedIpc(fake.ipcMain, { trustedOrigins: ['congvu-app://app'] });
    ipc.handle('getSettings', async () => succeed({ serverUrl: 'ftp://nope' }));
    expect(await fake.invoke(IpcContract.getSettings.channel, appEvent)).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('passes handler refusals through as values', async () => {
    const fake = fakeIpcMain();
    const ipc = new ValidatedIpc(fake.ipcMain, { trustedOrigins: ['congvu-app://app'] });
    ipc.handle('openExternal', async () => ({ ok: false, error: { code: 'not_allowed', message: 'no' } }));
    expect(await fake.invoke(IpcContract.openExternal.channel, appEvent, { url: 'https://x.org/' })).toEqual({ ok: false, error: { code: 'not_allowed', message: 'no' } });
  });

  it('installs one handler per channel and removes them all on dispose', () => {
    const { ipc, handlers } = setup();
    expect(() => ipc.handle('openExternal', async () => succeed({ opened: true as const }))).toThrow(/already/);
    ipc.dispose();
    expect(handlers.size).toBe(0);
  });

  it('explains each refusal of a sender', () => {
    expect(senderProblem(appEvent, ['congvu-app://app'])).toBeUndefined();
    expect(senderProblem(topFrame('https://attacker.com/'), ['congvu-app://app'])).toMatch(/not the app's/);
    expect(senderProblem(topFrame('http://localhost:5173/'), ['http://localhost:5173'])).toBeUndefined();
    expect(senderProblem(topFrame('http://localhost:5174/'), ['http://localhost:5173'])).toMatch(/not the app's/);
  });
});

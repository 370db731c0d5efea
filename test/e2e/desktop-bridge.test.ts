/**
 * The renderer's side of the desktop bridge (docs/desktop.md, "What the renderer does with the
 * bridge"), in Chromium against the real server with a stand-in for `window.congvu` installed
 * before the app's first script: the sync socket goes to the server named in the bridge's
 * settings, "Xuất tệp" saves through the bridge's save dialog, a deep link opens its document
 * in-page, and the settings screen saves the server address through the bridge and reloads.
 * (The real shell is tested in test/e2e/electron*.test.ts where its binary exists.)
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerProcess } from '../support/server.ts';
import { caretToEnd, createThroughUi, editor, launchBrowser, signIn, startServer } from './harness.ts';

let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

interface FakeShell {
  settings: { serverUrl: string };
  saved: { suggestedName: string; content: string; filters?: unknown }[];
  settingsSaved: { serverUrl: string }[];
  openLink?: (link: unknown) => void;
  loads: number;
}

/** Installed before any script of each page: a bridge answering like the shell does. */
function installFakeBridge(serverUrl: string): void {
  const shell: FakeShell = JSON.parse(sessionStorage.getItem('fake-shell') ?? 'null') ?? { settings: { serverUrl }, saved: [], settingsSaved: [], loads: 0 };
  shell.loads += 1;
  const persist = () => sessionStorage.setItem('fake-shell', JSON.stringify({ ...shell, openLink: undefined }));
  persist();
  (window as unknown as { fakeShell: FakeShell }).fakeShell = shell;
  const ok = <T,>(value: T) => Promise.resolve({ ok: true as const, value });
  (window as unknown as { congvu: unknown }).congvu = {
    bridgeVersion: 1,
    appVersion: () => ok({ version: '0.1.0', electron: '45.5.0', chrome: '142.0.7444.59', platform: 'linux' }),
    saveFile: (request: { suggestedName: string; content: string; filters?: unknown }) => {
      shell.saved.push(request);
      persist();
      return ok({ saved: true, fileName: request.suggestedName });
    },
    showNotification: () => ok({ shown: true }),
    openExternal: () => ok({ opened: true }),
    getSettings: () => ok(shell.settings),
    setSettings: (settings: { serverUrl: string }) => {
      shell.settingsSaved.push(settings);
      shell.settings = settings;
      persist();
      return ok(settings);
    },
    onDeepLink: (listener: (link: unknown) => void) => {
      shell.openLink = listener;
      return () => {
        if (shell.openLink === listener) shell.openLink = undefined;
      };
    },
  };
}

describe('the renderer inside the desktop shell (a stand-in bridge)', () => {
  it('syncs with the server of the settings, saves exports through the dialog, follows deep links and saves the server address', async () => {
    const an = await signIn(browser, server.url, 'an.nguyen');
    // The page is served by 127.0.0.1; the shell's settings name the same server as "localhost",
    // so a socket to localhost proves the sync URL comes from the bridge.
    const configured = server.url.replace('127.0.0.1', 'localhost');
    await an.context.addInitScript(installFakeBridge, configured);
    const sockets: string[] = [];
    an.page.on('websocket', (ws) => sockets.push(ws.url()));
    await an.page.reload();

    const title = 'Công văn đôn đốc báo cáo: quý IV/2026';
    const docId = await createThroughUi(an.page, title, 'CV');
    await caretToEnd(an.page);
    await an.page.keyboard.type('Đề nghị các phòng gửi báo cáo trước ngày 15.');
    await expect.poll(() => sockets.find((url) => url.includes(`doc:${docId}`)), { timeout: 15_000 }).toMatch(new RegExp(`^${configured.replace('http', 'ws')}/sync/`));
    expect(sockets.every((url) => url.startsWith(configured.replace('http', 'ws')))).toBe(true);

    // "Xuất tệp": through the bridge's save dialog, as a Decree 30 HTML page.
    await an.page.getByRole('button', { name: 'Xuất tệp' }).click();
    await expect.poll(() => an.page.getByRole('status').filter({ hasText: 'Đã lưu tệp' }).textContent()).toBe(
      'Đã lưu tệp “Công văn đôn đốc báo cáo quý IV 2026.html”.',
    );
    const [saved] = await an.page.evaluate(() => (window as unknown as { fakeShell: FakeShell }).fakeShell.saved);
    expect(saved.suggestedName).toBe('Công văn đôn đốc báo cáo quý IV 2026.html');
    expect(saved.filters).toEqual([{ name: 'Trang HTML', extensions: ['html', 'htm'] }]);
    expect(saved.content).toContain('<p class="decree-number">Số: …/STTTT-…</p>');
    expect(saved.content).toContain('<p class="decree-vv">V/v Công văn đôn đốc báo cáo: quý IV/2026</p>');
    expect(saved.content).toContain('Đề nghị các phòng gửi báo cáo trước ngày 15.');
    expect(saved.content).toContain('@page { size: A4; margin: 20mm 15mm 20mm 30mm; }');

    // A deep link (congvu://doc/<id>) navigates in-page, without reloading the app.
    await an.page.getByRole('link', { name: 'Về danh sách văn bản' }).click();
    await an.page.waitForURL('**/documents');
    await an.page.evaluate((id) => (window as unknown as { fakeShell: FakeShell }).fakeShell.openLink?.({ kind: 'document', documentId: id }), docId);
    await an.page.waitForURL(`**/documents/${docId}`);
    await expect.poll(() => editor(an.page).textContent(), { timeout: 15_000 }).toContain('gửi báo cáo trước ngày 15.');
    expect(await an.page.evaluate(() => (window as unknown as { fakeShell: FakeShell }).fakeShell.loads)).toBe(1);

    // Settings: the server address through the bridge; a bad one is refused, a good one saved and the app reloaded.
    await an.page.getByRole('link', { name: 'Cài đặt' }).click();
    const address = an.page.getByLabel('Địa chỉ máy chủ');
    expect(await address.inputValue()).toBe(configured);
    await address.fill('ftp://congvu.example.vn/duong-dan');
    await an.page.getByRole('button', { name: 'Lưu và tải lại ứng dụng' }).click();
    await expect.poll(() => an.page.getByRole('alert').textContent()).toContain('Địa chỉ không hợp lệ');
    await address.fill(server.url);
    await an.page.getByRole('button', { name: 'Lưu và tải lại ứng dụng' }).click();
    await expect.poll(() => an.page.evaluate(() => (window as unknown as { fakeShell?: FakeShell }).fakeShell?.loads), { timeout: 15_000 }).toBe(2);
    expect(await an.page.evaluate(() => (window as unknown as { fakeShell: FakeShell }).fakeShell.settingsSaved)).toEqual([{ serverUrl: server.url }]);
    await an.page.getByLabel('Địa chỉ máy chủ').waitFor();
    expect(await an.page.getByLabel('Địa chỉ máy chủ').inputValue()).toBe(server.url);
    expect(an.errors).toEqual([]);
    await an.context.close();
  }, 90_000);
});

/**
 * Outages, as users live them: the server is STOPPED (Playwright's setOffline alone leaves open
 * WebSockets connected, playwright#4910), both users keep editing, one reloads the page with no
 * network and finds the app and their text, the server comes back, and everyone ends with every
 * word. Also: a document created offline reaches the server and the other user; the indicator
 * reads offline with the number of changes waiting, then synced.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login as apiLogin, share } from '../support/clients.ts';
import type { ServerProcess } from '../support/server.ts';
import {
  caretToEnd,
  createThroughUi,
  documentOnServer,
  editor,
  indicator,
  launchBrowser,
  openDocument,
  poll,
  serverText,
  signIn,
  startServer,
  waitForServiceWorker,
  type UserPage,
} from './harness.ts';

let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

async function goOffline(...users: UserPage[]): Promise<void> {
  await server.stop();
  for (const user of users) await user.context.setOffline(true);
}

async function comeBack(...users: UserPage[]): Promise<void> {
  server = await server.restart();
  for (const user of users) await user.context.setOffline(false);
}

const waitingOf = async (user: UserPage): Promise<string> => (await indicator(user.page).textContent()) ?? '';

describe('offline editing and recovery', () => {
  it('both edit through an outage, one reloads offline and keeps their text, and both converge with every word', async () => {
    const an = await signIn(browser, server.url, 'an.nguyen');
    const docId = await createThroughUi(an.page, 'Báo cáo tình hình mất kết nối', 'BC');
    await documentOnServer(server, 'an.nguyen', docId);
    const owner = await apiLogin(server.url, 'an.nguyen');
    const binhId = (await apiLogin(server.url, 'binh.tran')).user.id;
    await share(server.url, owner, docId, { type: 'user', id: binhId }, 'editor');
    await caretToEnd(an.page);
    await an.page.keyboard.type('Trước sự cố.');

    const binh = await signIn(browser, server.url, 'binh.tran');
    await openDocument(binh.page, server.url, docId);
    await expect.poll(() => editor(binh.page).textContent(), { timeout: 15_000 }).toContain('Trước sự cố.');
    await waitForServiceWorker(an.page);
    await waitForServiceWorker(binh.page);
    await expect.poll(() => waitingOf(an), { timeout: 15_000 }).toBe('Đã đồng bộ · 0 thay đổi đang chờ');

    await goOffline(an, binh);
    await expect.poll(() => waitingOf(an), { timeout: 20_000 }).toMatch(/^Ngoại tuyến · 0 thay đổi đang chờ$/);

    await caretToEnd(an.page);
    await an.page.keyboard.type(' An ngoại tuyến');
    await caretToEnd(binh.page);
    await binh.page.keyboard.press('Enter');
    await binh.page.keyboard.type('Bình ngoại tuyến');

    // One waiting change per keystroke that changed the document (each is one Yjs update).
    await expect.poll(() => waitingOf(an), { timeout: 10_000 }).toBe(`Ngoại tuyến · ${' An ngoại tuyến'.length} thay đổi đang chờ`);
    await expect.poll(() => waitingOf(binh), { timeout: 10_000 }).toBe(`Ngoại tuyến · ${'Bình ngoại tuyến'.length + 1} thay đổi đang chờ`);

    // Reload with no server and no network: the cached app shell opens, the text is there.
    await an.page.reload();
    const anEditor = editor(an.page);
    await anEditor.waitFor({ timeout: 20_000 });
    await expect.poll(() => anEditor.textContent(), { timeout: 10_000 }).toContain('Trước sự cố. An ngoại tuyến');
    await expect.poll(() => waitingOf(an), { timeout: 10_000 }).toBe(`Ngoại tuyến · ${' An ngoại tuyến'.length} thay đổi đang chờ`);
    await caretToEnd(an.page);
    await an.page.keyboard.type(' sau khi tải lại');

    await comeBack(an, binh);
    for (const user of [an, binh]) {
      await expect
        .poll(() => editor(user.page).textContent(), { timeout: 30_000 })
        .toBe('Trước sự cố. An ngoại tuyến sau khi tải lạiBình ngoại tuyến');
      await expect.poll(() => waitingOf(user), { timeout: 30_000 }).toBe('Đã đồng bộ · 0 thay đổi đang chờ');
    }
    const text = await poll(() => serverText(server, 'binh.tran', docId), (t) => t.includes('sau khi tải lại') && t.includes('Bình ngoại tuyến'));
    expect(text).toBe('Trước sự cố. An ngoại tuyến sau khi tải lại\nBình ngoại tuyến');
    await an.context.close();
    await binh.context.close();
  }, 180_000);

  it('a document created offline reaches the server and the other user after reconnecting', async () => {
    const an = await signIn(browser, server.url, 'an.nguyen');
    const binh = await signIn(browser, server.url, 'binh.tran');
    await waitForServiceWorker(an.page);
    await goOffline(an, binh);
    await expect.poll(() => waitingOf(an), { timeout: 20_000 }).toMatch(/^Ngoại tuyến/);

    const docId = await createThroughUi(an.page, 'Tờ trình soạn khi mất mạng', 'TTr');
    // The creation itself waits in the outbox: one change.
    await expect.poll(() => waitingOf(an), { timeout: 10_000 }).toBe('Ngoại tuyến · 1 thay đổi đang chờ');
    await caretToEnd(an.page);
    await an.page.keyboard.type('Kính trình');
    await expect.poll(() => waitingOf(an), { timeout: 10_000 }).toBe(`Ngoại tuyến · ${1 + 'Kính trình'.length} thay đổi đang chờ`);
    expect(await an.page.getByText('Chờ tạo trên máy chủ').count()).toBeGreaterThan(0);

    await comeBack(an, binh);
    await expect.poll(() => waitingOf(an), { timeout: 30_000 }).toBe('Đã đồng bộ · 0 thay đổi đang chờ');
    const owner = await apiLogin(server.url, 'an.nguyen');
    const record = await api<{ id: string; title: string; type: string }>(server.url, 'GET', `/api/documents/${docId}`, undefined, owner.token);
    expect(record.status).toBe(200);
    expect(record.body).toMatchObject({ id: docId, title: 'Tờ trình soạn khi mất mạng', type: 'TTr' });
    expect(await poll(() => serverText(server, 'an.nguyen', docId), (t) => t === 'Kính trình')).toBe('Kính trình');

    const binhId = (await apiLogin(server.url, 'binh.tran')).user.id;
    await share(server.url, owner, docId, { type: 'user', id: binhId }, 'editor');
    await binh.page.goto(`${server.url}/documents`);
    await binh.page.getByRole('link', { name: 'Tờ trình soạn khi mất mạng' }).click();
    await expect.poll(() => editor(binh.page).textContent(), { timeout: 20_000 }).toBe('Kính trình');
    await an.context.close();
    await binh.context.close();
  }, 180_000);
});

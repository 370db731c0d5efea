/**
 * Two officials in one document, each in their own browser context, against the real server:
 * they see each other's words, names and cursors live; a viewer sees the same live and cannot
 * change anything.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login as apiLogin, share } from '../support/clients.ts';
import type { ServerProcess } from '../support/server.ts';
import { caretToEnd, createThroughUi, documentOnServer, editor, indicator, launchBrowser, openDocument, poll, serverText, signIn, startServer } from './harness.ts';

let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

async function userId(username: string): Promise<string> {
  return (await apiLogin(server.url, username)).user.id;
}

describe('live collaboration in the browser', () => {
  it('two users type in one document and see each other’s words and cursors', async () => {
    const an = await signIn(browser, server.url, 'an.nguyen');
    const docId = await createThroughUi(an.page, 'Kế hoạch chuyển đổi số năm 2026', 'KH');
    await caretToEnd(an.page);
    await an.page.keyboard.type('Sở Thông tin và Truyền thông xây dựng kế hoạch.');

    await documentOnServer(server, 'an.nguyen', docId);
    const owner = await apiLogin(server.url, 'an.nguyen');
    await share(server.url, owner, docId, { type: 'user', id: await userId('binh.tran') }, 'editor');
    const binh = await signIn(browser, server.url, 'binh.tran');
    const binhEditor = await openDocument(binh.page, server.url, docId);
    await expect.poll(() => binhEditor.textContent(), { timeout: 15_000 }).toContain('xây dựng kế hoạch.');

    await caretToEnd(binh.page);
    await binh.page.keyboard.press('Enter');
    await binh.page.keyboard.type('Phòng Bưu chính - Viễn thông chủ trì.');
    await an.page.keyboard.type(' Thời gian thực hiện: quý I.');

    for (const page of [an.page, binh.page]) {
      await expect.poll(() => editor(page).textContent(), { timeout: 15_000 }).toContain('Phòng Bưu chính - Viễn thông chủ trì.');
      await expect.poll(() => editor(page).textContent(), { timeout: 15_000 }).toContain('Thời gian thực hiện: quý I.');
    }
    // Remote cursors carry the other user's name; presence lists both people.
    await expect.poll(() => an.page.getByText('Trần Thị Bình', { exact: true }).count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(() => binh.page.getByText('Nguyễn Văn An', { exact: true }).count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await expect
      .poll(() => an.page.locator('.presence-list li').allTextContents(), { timeout: 10_000 })
      .toEqual(expect.arrayContaining([expect.stringContaining('Trần Thị Bình')]));

    const text = await poll(
      () => serverText(server, 'an.nguyen', docId),
      (t) => t.includes('quý I.') && t.includes('chủ trì.'),
    );
    expect(text).toContain('Sở Thông tin và Truyền thông xây dựng kế hoạch. Thời gian thực hiện: quý I.');
    expect(text).toContain('Phòng Bưu chính - Viễn thông chủ trì.');
    await expect.poll(() => indicator(an.page).textContent(), { timeout: 15_000 }).toMatch(/^Đã đồng bộ · 0 thay đổi đang chờ$/);
    expect([...an.errors, ...binh.errors]).toEqual([]);
    await an.context.close();
    await binh.context.close();
  }, 120_000);

  it('a viewer sees the document live but cannot change it', async () => {
    const an = await signIn(browser, server.url, 'an.nguyen');
    const docId = await createThroughUi(an.page, 'Thông báo lịch họp giao ban', 'TB');
    await documentOnServer(server, 'an.nguyen', docId);
    const owner = await apiLogin(server.url, 'an.nguyen');
    await share(server.url, owner, docId, { type: 'user', id: await userId('dung.vu') }, 'viewer');
    await caretToEnd(an.page);
    await an.page.keyboard.type('Họp giao ban vào 8 giờ sáng thứ Hai.');

    const dung = await signIn(browser, server.url, 'dung.vu');
    const dungEditor = await openDocument(dung.page, server.url, docId);
    expect(await dung.page.getByText('Chỉ xem: bạn không thể sửa văn bản này.').isVisible()).toBe(true);
    expect(await dungEditor.getAttribute('contenteditable')).toBe('false');
    expect(await dungEditor.getAttribute('aria-readonly')).toBe('true');
    expect(await dung.page.getByRole('toolbar').count()).toBe(0);
    await expect.poll(() => dungEditor.textContent(), { timeout: 15_000 }).toContain('8 giờ sáng thứ Hai.');

    // Live: the owner keeps typing, the viewer sees it.
    await an.page.keyboard.type(' Thành phần: lãnh đạo các phòng.');
    await expect.poll(() => dungEditor.textContent(), { timeout: 15_000 }).toContain('lãnh đạo các phòng.');

    // The viewer's keystrokes change nothing, here or on the server.
    await dungEditor.click();
    await dung.page.keyboard.type('SỬA TRÁI PHÉP');
    await dung.page.keyboard.press('Enter');
    await dung.page.waitForTimeout(1000);
    expect(await dungEditor.textContent()).not.toContain('SỬA TRÁI PHÉP');
    expect(await serverText(server, 'an.nguyen', docId)).not.toContain('SỬA TRÁI PHÉP');
    expect(await editor(an.page).textContent()).not.toContain('SỬA TRÁI PHÉP');
    await expect.poll(() => indicator(dung.page).textContent(), { timeout: 15_000 }).toMatch(/^Đã đồng bộ · 0 thay đổi đang chờ$/);
    await an.context.close();
    await dung.context.close();
  }, 120_000);
});

/**
 * Sharing through the "Chia sẻ" dialog, in Chromium against the real server: the owner shares a
 * document with an official of another agency as viewer, raises her to editor and finally removes
 * her share; she sees it in her list, reads it, types into it once she may, and is told clearly
 * when her access ends. Also: dates on the document list in the long Vietnamese form, and no
 * Content-Security-Policy violation on the way (zod must not probe eval).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, type ServerProcess } from '../support/server.ts';
import { caretToEnd, createThroughUi, editor, launchBrowser, signIn, startServer, type UserPage } from './harness.ts';

let server: ServerProcess;
let browser: Browser;
const AXE = readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

/** Records CSP violations from the first script on, for the whole life of the page. */
async function watchCsp(user: UserPage): Promise<() => Promise<string[]>> {
  await user.context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  return () => user.page.evaluate(() => (window as unknown as { cspViolations?: string[] }).cspViolations ?? []);
}

/** Serious or critical axe-core violations on the page as it is now. */
async function axeProblems(page: Page, screen: string): Promise<string[]> {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    type Found = { id: string; impact: string | null; nodes: { target: string[] }[] };
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Found[] }> } }).axe;
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${screen}: ${v.id} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

function shareDialog(page: Page) {
  return page.getByRole('dialog');
}

describe('sharing a document through the dialog', () => {
  it('the owner shares with another agency’s official as viewer, raises her to editor, then removes her access', async () => {
    const an = await signIn(browser, server.url, 'an.nguyen');
    const anCsp = await watchCsp(an);
    await an.page.reload();
    const title = 'Kế hoạch phối hợp với xã Yên Hòa';
    const docId = await createThroughUi(an.page, title, 'KH');
    await caretToEnd(an.page);
    await an.page.keyboard.type('Sở và xã cùng thực hiện.');

    // Share with Vũ Thị Dung (Ủy ban nhân dân xã Yên Hòa) as Người xem.
    await an.page.getByRole('button', { name: 'Chia sẻ' }).click();
    const dialog = shareDialog(an.page);
    await expect.poll(() => dialog.getByText('Chưa chia sẻ với ai').isVisible()).toBe(true);
    await dialog.getByLabel('Tìm trong danh bạ').fill('vu thi dung');
    await dialog.getByLabel('Người dùng hoặc cơ quan').selectOption({ label: 'Vũ Thị Dung (Văn phòng, công chức)' });
    expect(await dialog.getByLabel('Quyền', { exact: true }).inputValue()).toBe('viewer');
    await dialog.getByRole('button', { name: 'Chia sẻ', exact: true }).click();
    await expect.poll(() => dialog.getByRole('status').textContent()).toBe('Đã chia sẻ với Vũ Thị Dung: Người xem.');
    const dungRole = dialog.getByRole('combobox', { name: 'Quyền của Vũ Thị Dung' });
    expect(await dungRole.inputValue()).toBe('viewer');

    // She finds it in her list and opens it read-only.
    const dung = await signIn(browser, server.url, 'dung.vu');
    await dung.page.getByRole('link', { name: title }).click();
    await expect.poll(() => editor(dung.page).textContent(), { timeout: 15_000 }).toContain('Sở và xã cùng thực hiện.');
    expect(await dung.page.getByText('Chỉ xem: bạn không thể sửa văn bản này.').isVisible()).toBe(true);
    expect(await editor(dung.page).getAttribute('contenteditable')).toBe('false');

    // Raised to Người sửa: her open page becomes editable and her words reach the owner.
    await dungRole.selectOption('editor');
    await expect.poll(() => dialog.getByRole('status').textContent()).toBe('Đã đổi quyền của Vũ Thị Dung thành Người sửa.');
    await expect.poll(() => editor(dung.page).getAttribute('contenteditable'), { timeout: 15_000 }).toBe('true');
    await caretToEnd(dung.page);
    await dung.page.keyboard.press('Enter');
    await dung.page.keyboard.type('Xã Yên Hòa cử cán bộ đầu mối.');
    await expect.poll(() => editor(an.page).textContent(), { timeout: 15_000 }).toContain('Xã Yên Hòa cử cán bộ đầu mối.');
    // No eval probe anywhere so far (zod is jitless), then the dialogs pass axe: the owner's, and hers.
    expect(await anCsp()).toEqual([]);
    const problems = await axeProblems(an.page, 'share dialog (owner)');
    await dung.page.getByRole('button', { name: 'Người có quyền' }).click();
    await expect.poll(() => shareDialog(dung.page).getByText('Chỉ chủ sở hữu xem được toàn bộ danh sách người được chia sẻ.').isVisible()).toBe(true);
    problems.push(...(await axeProblems(dung.page, 'share dialog (editor)')));
    await shareDialog(dung.page).getByRole('button', { name: 'Đóng' }).click();
    expect(problems).toEqual([]);

    // Removed: her connection is closed and she is told so; the editor takes no more input.
    await dialog.getByRole('button', { name: 'Gỡ quyền của Vũ Thị Dung' }).click();
    await expect.poll(() => dialog.getByRole('status').textContent()).toBe('Đã gỡ quyền của Vũ Thị Dung.');
    expect(await dialog.getByText('Chưa chia sẻ với ai').isVisible()).toBe(true);
    const revoked = dung.page.getByRole('alert').filter({ hasText: 'Bạn không còn quyền với văn bản này' });
    await expect.poll(() => revoked.count(), { timeout: 15_000 }).toBe(1);
    expect(await editor(dung.page).getAttribute('contenteditable')).toBe('false');
    expect(await revoked.getByRole('link', { name: 'Về danh sách văn bản' }).isVisible()).toBe(true);

    expect(docId).toMatch(/^[0-9a-f-]{36}$/);
    expect([...an.errors, ...dung.errors]).toEqual([]);
    await an.context.close();
    await dung.context.close();
  }, 120_000);

  it('the document list shows when each document changed as “ngày DD tháng MM năm YYYY”', async () => {
    const an = await signIn(browser, server.url, 'an.nguyen');
    const title = 'Báo cáo tuần về chuyển đổi số';
    await createThroughUi(an.page, title, 'BC');
    await an.page.getByRole('link', { name: 'Về danh sách văn bản' }).click();
    const row = an.page.getByRole('row').filter({ hasText: title });
    const now = new Date();
    const pad = (n: number) => String(n).padStart(2, '0');
    const long = `ngày ${pad(now.getDate())} tháng ${pad(now.getMonth() + 1)} năm ${now.getFullYear()}`;
    await expect.poll(() => row.getByRole('cell').nth(4).textContent()).toBe(long);
    expect(await row.textContent()).not.toMatch(/\d{2}\/\d{2}\/\d{4}/);
    await an.context.close();
  }, 60_000);
});

/**
 * The approval procedure in Chromium with the demo users, through the app only (issue 5): an.nguyen
 * drafts a công văn and submits it; binh.tran returns it with a comment; an.nguyen changes it and
 * submits again; binh.tran approves; cuong.pham approves while the server is STOPPED (his signed
 * decision waits in the outbox, shown as pending, and goes through when the server is back);
 * chi.le numbers and issues it and sees `Số: 01/STTTT-BCVT` and the date line in the Decree 30
 * header; afterwards the editor takes no input and the server stores nothing, and "Tạo bản sao"
 * starts a new draft. One browser, one context per user, each signed in once through the login form.
 *
 * Set APPROVAL_SHOTS=<dir> to keep screenshots of each stage.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowResponse } from '../../common/api.ts';
import { dateLine, placeOfAgency, vietnamDate } from '../../common/numbering.ts';
import { api, login as apiLogin } from '../support/clients.ts';
import type { ServerProcess } from '../support/server.ts';
import { caretToEnd, createThroughUi, editor, indicator, launchBrowser, poll, serverText, signIn, startServer, type UserPage } from './harness.ts';

let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

const SHOTS = process.env.APPROVAL_SHOTS;
async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: false });
}

const TITLE = 'Về việc triển khai chữ ký số trong cơ quan';

function panel(page: Page): Locator {
  return page.getByRole('complementary', { name: 'Trình duyệt và ban hành' });
}

/** The panel's history, opened (it is folded on narrow screens). */
async function history(page: Page): Promise<Locator> {
  const details = panel(page).locator('details.approval-timeline');
  if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
  return details;
}

async function openFromAwaitingMe(user: UserPage): Promise<void> {
  const link = user.page.getByRole('link', { name: /^Chờ tôi xử lý/ });
  await expect.poll(() => link.textContent(), { timeout: 20_000 }).toMatch(/Chờ tôi xử lý\s*1/);
  await link.click();
  await user.page.getByRole('heading', { name: 'Chờ tôi xử lý' }).waitFor();
  await user.page.getByRole('link', { name: TITLE }).click();
  await editor(user.page).waitFor();
}

/** Waits until the decide form can approve: the local copy is the version under review. */
async function readyToApprove(page: Page): Promise<Locator> {
  const approve = panel(page).getByRole('button', { name: 'Duyệt', exact: true });
  await expect.poll(() => approve.getAttribute('aria-disabled'), { timeout: 20_000 }).toBe('false');
  return approve;
}

async function acceptedNotice(page: Page, decision: string): Promise<void> {
  await panel(page).getByText(`Máy chủ đã ghi nhận ý kiến “${decision}” của bạn.`).waitFor({ timeout: 30_000 });
}

describe('from draft to issued document in the app', () => {
  it('the demo users take a công văn from draft to 01/STTTT-BCVT, one of them offline, and the issued document cannot be changed', async () => {
    const users: UserPage[] = [];
    try {
      await procedure(users);
    } catch (error) {
      for (const user of users) await shot(user.page, `failed-${user.username}`).catch(() => {});
      throw error;
    }
  }, 300_000);
});

/** The whole procedure, user by user; `users` collects the signed-in users for screenshots on failure. */
async function procedure(users: UserPage[]): Promise<void> {
  // an.nguyen drafts and submits (the proposed chain: check by the head of his unit, signature of the director).
  const an = await signIn(browser, server.url, 'an.nguyen');
  users.push(an);
  const docId = await createThroughUi(an.page, TITLE, 'CV');
  await caretToEnd(an.page);
  await an.page.keyboard.type('Kính gửi: Các phòng, đơn vị thuộc Sở.');
  await panel(an.page).getByRole('button', { name: 'Trình duyệt' }).click();
  const dialog = an.page.getByRole('dialog', { name: 'Trình duyệt văn bản' });
  await expect.poll(() => dialog.getByLabel('Người kiểm tra 1').locator('option:checked').textContent()).toContain('Trần Thị Bình');
  expect(await dialog.getByLabel('Người ký ban hành').locator('option:checked').textContent()).toContain('Phạm Quốc Cường');
  await shot(an.page, '01-submit-dialog');
  await dialog.getByRole('button', { name: 'Trình', exact: true }).click();
  await dialog.waitFor({ state: 'detached', timeout: 30_000 });
  await expect.poll(() => panel(an.page).locator('.approval-head .status-badge').textContent()).toBe('Đang xem xét');
  await expect.poll(() => panel(an.page).locator('.approval-next').textContent()).toBe('Đang chờ Trần Thị Bình kiểm tra.');
  await expect.poll(() => editor(an.page).getAttribute('contenteditable')).toBe('false');
  await shot(an.page, '02-drafter-in-review');

  // binh.tran finds it awaiting him, and returns it: first without a comment (refused here), then with one.
  const binh = await signIn(browser, server.url, 'binh.tran');
  users.push(binh);
  await openFromAwaitingMe(binh);
  await expect.poll(() => editor(binh.page).textContent(), { timeout: 20_000 }).toContain('Kính gửi: Các phòng, đơn vị thuộc Sở.');
  await panel(binh.page).getByRole('button', { name: 'Trả lại' }).click();
  await panel(binh.page).getByText('Vui lòng ghi lý do trả lại.').waitFor();
  await panel(binh.page).getByRole('textbox', { name: 'Ý kiến' }).fill('Đề nghị bổ sung căn cứ pháp lý.');
  await shot(binh.page, '03-reviewer-returns');
  await panel(binh.page).getByRole('button', { name: 'Trả lại' }).click();
  await acceptedNotice(binh.page, 'Trả lại');

  // an.nguyen sees it returned with the comment, the editor writable again; he adds the legal basis and submits again.
  await expect.poll(() => panel(an.page).locator('.approval-head .status-badge').textContent(), { timeout: 20_000 }).toBe('Bị trả lại');
  await panel(an.page).getByText('“Đề nghị bổ sung căn cứ pháp lý.”').first().waitFor();
  const timeline = await history(an.page);
  await timeline.locator('.signature-valid', { hasText: 'Chữ ký hợp lệ' }).waitFor();
  await shot(an.page, '04-drafter-returned');
  await caretToEnd(an.page);
  await an.page.keyboard.press('Enter');
  await an.page.keyboard.type('Căn cứ Nghị định số 30/2020/NĐ-CP của Chính phủ về công tác văn thư.');
  await panel(an.page).getByRole('button', { name: 'Trình lại' }).click();
  await an.page.getByRole('dialog', { name: 'Trình duyệt văn bản' }).getByRole('button', { name: 'Trình', exact: true }).click();
  await expect.poll(() => panel(an.page).locator('.approval-head .status-badge').textContent(), { timeout: 30_000 }).toBe('Đang xem xét');
  // The return was signed over round 1's content, which is no longer what is shown.
  await (await history(an.page)).locator('.signature-stale', { hasText: 'Chữ ký hợp lệ, nhưng không còn khớp với nội dung hiện tại' }).waitFor({ timeout: 20_000 });

  // binh.tran (still on the page) gets round 2 and approves it once his copy is the version submitted.
  await expect.poll(() => editor(binh.page).textContent(), { timeout: 20_000 }).toContain('Căn cứ Nghị định số 30/2020/NĐ-CP');
  await (await readyToApprove(binh.page)).click();
  await acceptedNotice(binh.page, 'Duyệt');

  // cuong.pham reads it online, then the server stops; he approves offline: signed, pending, counted.
  const cuong = await signIn(browser, server.url, 'cuong.pham');
  users.push(cuong);
  await openFromAwaitingMe(cuong);
  await readyToApprove(cuong.page);
  await server.stop();
  await cuong.context.setOffline(true);
  await expect.poll(() => indicator(cuong.page).textContent(), { timeout: 20_000 }).toMatch(/^Ngoại tuyến/);
  await panel(cuong.page).getByRole('button', { name: 'Duyệt', exact: true }).click();
  await panel(cuong.page).getByText('Đang chờ gửi').waitFor();
  await expect.poll(() => indicator(cuong.page).textContent(), { timeout: 10_000 }).toBe('Ngoại tuyến · 1 thay đổi đang chờ');
  await shot(cuong.page, '05-leader-offline-pending');

  server = await server.restart();
  await cuong.context.setOffline(false);
  await acceptedNotice(cuong.page, 'Duyệt');
  await expect.poll(() => panel(cuong.page).locator('.approval-head .status-badge').textContent(), { timeout: 20_000 }).toBe('Đã duyệt');
  expect(await panel(cuong.page).getByText('Đang chờ gửi').count()).toBe(0);
  await expect.poll(() => indicator(cuong.page).textContent(), { timeout: 30_000 }).toBe('Đã đồng bộ · 0 thay đổi đang chờ');
  const signed = WorkflowResponse.parse((await api(server.url, 'GET', `/api/documents/${docId}/workflow`, undefined, (await apiLogin(server.url, 'cuong.pham')).token)).body);
  expect(signed.rounds.map((r) => [r.number, r.status])).toEqual([
    [1, 'returned'],
    [2, 'completed'],
  ]);
  await shot(cuong.page, '06-leader-accepted');

  // chi.le, the clerk, numbers and issues it: the number and date appear where Decree 30 puts them.
  const chi = await signIn(browser, server.url, 'chi.le');
  users.push(chi);
  await openFromAwaitingMe(chi);
  await panel(chi.page).getByRole('button', { name: 'Cho số và ban hành' }).click();
  const issueDialog = chi.page.getByRole('dialog', { name: 'Cho số và ban hành' });
  await shot(chi.page, '07-issue-dialog');
  await issueDialog.getByRole('button', { name: 'Cho số và ban hành' }).click();
  await issueDialog.waitFor({ state: 'detached', timeout: 20_000 });
  const header = chi.page.locator('header.decree-header');
  await expect.poll(() => header.locator('.decree-number').textContent(), { timeout: 20_000 }).toBe('Số: 01/STTTT-BCVT');
  const today = dateLine(placeOfAgency('Sở Thông tin và Truyền thông tỉnh Ninh Bình') ?? '', vietnamDate(new Date()));
  expect(await header.locator('.decree-place-date').textContent()).toBe(today);
  expect(await header.locator('.decree-vv').textContent()).toBe(`V/v ${TITLE}`);
  await expect.poll(() => panel(chi.page).locator('.approval-head .status-badge').textContent()).toBe('Đã ban hành');
  await shot(chi.page, '08-issued');

  // The drafter's page follows: issued, the same number, an editor that takes nothing; the server stores nothing.
  await expect.poll(() => an.page.locator('.decree-number').textContent(), { timeout: 20_000 }).toBe('Số: 01/STTTT-BCVT');
  await expect.poll(() => editor(an.page).getAttribute('contenteditable')).toBe('false');
  const before = await editor(an.page).textContent();
  await editor(an.page).click();
  await an.page.keyboard.press('Control+End');
  await an.page.keyboard.type(' Sửa sau khi ban hành.');
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(await editor(an.page).textContent()).toBe(before);
  expect(await serverText(server, 'an.nguyen', docId)).not.toContain('Sửa sau khi ban hành');
  await an.page.getByText('Văn bản đã ban hành: không ai sửa được nữa.', { exact: false }).waitFor();
  await shot(an.page, '09-drafter-issued-locked');

  // "Tạo bản sao" starts a new draft with the same content, writable.
  await panel(an.page).getByRole('button', { name: 'Tạo bản sao' }).click();
  await an.page.waitForURL((url) => /\/documents\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.endsWith(docId), { timeout: 20_000 });
  await expect.poll(() => editor(an.page).getAttribute('contenteditable'), { timeout: 20_000 }).toBe('true');
  await expect.poll(() => editor(an.page).textContent(), { timeout: 20_000 }).toContain('Căn cứ Nghị định số 30/2020/NĐ-CP');
  expect(await panel(an.page).locator('.approval-head .status-badge').textContent()).toBe('Dự thảo');
  expect(await poll(() => serverText(server, 'an.nguyen', docId), () => true)).not.toContain('Sửa sau khi ban hành');

  for (const user of [an, binh, cuong, chi]) {
    expect(user.errors, user.username).toEqual([]);
    await user.context.close();
  }
}

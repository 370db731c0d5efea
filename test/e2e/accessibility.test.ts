/**
 * An axe-core scan of the main screens (login, document list, the "Văn bản mới" form, the
 * document page, tasks, approvals) in Vietnamese and English: no serious or critical violations.
 * Also: every screen works from the keyboard alone for the main path (log in, create, type).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, type ServerProcess } from '../support/server.ts';
import { editor, launchBrowser, startServer } from './harness.ts';

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

interface Violation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly string[] }[];
}

async function scan(page: Page, screen: string): Promise<string[]> {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${screen}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('accessibility', () => {
  it('the main screens have no serious axe violations, and the main path works by keyboard alone', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    const problems: string[] = [];

    await page.goto(`${server.url}/login`);
    await page.getByLabel('Tên đăng nhập').waitFor();
    problems.push(...(await scan(page, 'login')));

    // Keyboard only: the username field is reachable with Tab, Enter submits.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.getByLabel('Tên đăng nhập').focus();
    await page.keyboard.type('an.nguyen');
    await page.keyboard.press('Tab');
    await page.keyboard.type('congvu-demo');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/documents');
    await page.getByRole('button', { name: 'Văn bản mới' }).waitFor();
    problems.push(...(await scan(page, 'documents (empty)')));

    await page.getByRole('button', { name: 'Văn bản mới' }).focus();
    await page.keyboard.press('Enter');
    await page.getByLabel('Tiêu đề').waitFor();
    problems.push(...(await scan(page, 'new document form')));
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('new-doc-title');
    await page.keyboard.type('Kế hoạch kiểm tra khả năng tiếp cận');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/documents\/[0-9a-f-]{36}$/);
    await page.locator('[role="textbox"][contenteditable="true"]').waitFor();
    await editor(page).focus();
    await page.keyboard.type('Nội dung gõ bằng bàn phím.');
    await page.keyboard.press('Control+b');
    await page.keyboard.type(' In đậm.');
    problems.push(...(await scan(page, 'document')));

    await page.getByRole('link', { name: 'Về danh sách văn bản' }).click();
    await page.getByRole('link', { name: 'Kế hoạch kiểm tra khả năng tiếp cận' }).waitFor();
    problems.push(...(await scan(page, 'documents (list)')));
    await page.getByRole('link', { name: 'Việc của tôi' }).click();
    await page.getByRole('heading', { name: 'Việc của tôi' }).waitFor();
    problems.push(...(await scan(page, 'tasks')));
    await page.getByRole('link', { name: 'Chờ tôi xử lý' }).click();
    await page.getByRole('heading', { name: 'Chờ tôi xử lý' }).waitFor();
    problems.push(...(await scan(page, 'approvals')));

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('link', { name: 'Mine' }).click();
    await page.getByRole('heading', { name: 'My documents' }).waitFor();
    problems.push(...(await scan(page, 'documents (English)')));
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');

    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});

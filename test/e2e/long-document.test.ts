/**
 * A long document in the real app: its blocks are `content-visibility: auto` (laid out only near
 * the viewport, renderer/styles/document.css), so whatever needs the far blocks must still work:
 * the whole text is in the DOM, Ctrl+End / Ctrl+Home reach the real ends (Chromium's own command
 * lands at the START of a skipped last block; renderer/editor/DocumentEdgesPlugin.tsx), and
 * Ctrl+Shift+End selects to the end.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { contentText } from '../../common/document-content.ts';
import { buildBenchDocument, END_MARKER } from '../bench/client/document.ts';
import { api, connect, login, synced } from '../support/clients.ts';
import type { ServerProcess } from '../support/server.ts';
import { launchBrowser, openDocument, poll, serverText, signIn, startServer } from './harness.ts';

let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

describe('a long document', () => {
  it('keeps every block in the page, and Ctrl+End, Ctrl+Home and Ctrl+Shift+End reach the real ends', async () => {
    // About 30 pages, written by the real editor binding (the benchmark's document builder).
    const content = await buildBenchDocument(15_000, 0);
    const session = await login(server.url, 'an.nguyen');
    const docId = crypto.randomUUID();
    expect((await api(server.url, 'POST', '/api/documents', { id: docId, title: 'Báo cáo dài', type: 'BC' }, session.token)).status).toBe(201);
    const uploader = connect(server.wsUrl, `doc:${docId}`, session.token, new Y.Doc());
    await synced(uploader);
    Y.applyUpdate(uploader.doc, content.update);
    const full = contentText(uploader.doc);
    await poll(() => serverText(server, 'an.nguyen', docId), (t) => t === full);
    uploader.destroy();

    const an = await signIn(browser, server.url, 'an.nguyen');
    const box = await openDocument(an.page, server.url, docId);
    await an.page.locator('[aria-label="Nội dung văn bản"][contenteditable="true"]').waitFor();
    // This browser has never seen the document: its content arrives from the server after the
    // editor opens (editable at once, on the seed paragraph).
    await expect.poll(() => box.evaluate((el) => el.lastElementChild?.textContent ?? ''), { timeout: 30_000 }).toContain(END_MARKER);
    // Skipped blocks are still in the DOM with their text (find in page, screen readers).
    expect(await box.evaluate((el) => el.children.length)).toBeGreaterThan(200);
    expect(await box.evaluate((el) => getComputedStyle(el.children[Math.floor(el.children.length / 2)]).contentVisibility)).toBe('auto');

    await box.focus();
    await an.page.keyboard.press('Control+End');
    await an.page.keyboard.type(' Hết.');
    await expect.poll(() => box.evaluate((el) => el.lastElementChild?.textContent ?? '')).toMatch(/cuối văn bản\. Hết\.$/);
    // The caret was brought into view.
    const caretTop = await an.page.evaluate(() => window.getSelection()!.getRangeAt(0).getBoundingClientRect().top);
    expect(caretTop).toBeGreaterThanOrEqual(0);
    expect(caretTop).toBeLessThan(await an.page.evaluate(() => window.innerHeight));

    await an.page.keyboard.press('Control+Home');
    await an.page.keyboard.type('Kính gửi: ');
    await expect.poll(() => box.evaluate((el) => el.firstElementChild?.textContent ?? '')).toMatch(/^Kính gửi: /);

    await an.page.keyboard.press('Control+Shift+End');
    const selected = await an.page.evaluate(() => {
      const range = window.getSelection()!.getRangeAt(0);
      const root = document.querySelector('[aria-label="Nội dung văn bản"]')!;
      return { collapsed: range.collapsed, endsInLast: root.lastElementChild!.contains(range.endContainer), startsInFirst: root.firstElementChild!.contains(range.startContainer) };
    });
    expect(selected).toEqual({ collapsed: false, endsInLast: true, startsInFirst: true });

    await expect.poll(() => serverText(server, 'an.nguyen', docId), { timeout: 15_000 }).toMatch(/^Kính gửi: [\s\S]*cuối văn bản\. Hết\.$/);
    expect(an.errors).toEqual([]);
    await an.context.close();
  }, 180_000);
});

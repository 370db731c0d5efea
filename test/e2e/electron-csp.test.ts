/**
 * The desktop app's Content-Security-Policy against the real web app in real Chromium, which runs
 * here even though Electron cannot: the built renderer is served through the same protocol
 * handler the app registers for `congvu-app://` (electron/protocol.ts), only over http on a
 * local port. The API goes through that handler's pass-through to a real server, as in the app;
 * the sync socket is piped to the server on the same origin (in the app it connects to the
 * server of the settings directly). The test signs in, creates a document, types in the editor,
 * opens the share dialog and exports the document, and fails on any CSP violation: a policy that
 * broke the editor's styles or a script would show up here first. zod does not probe eval: the
 * renderer makes it jitless before any schema exists (renderer/platform/zod-jitless.ts).
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appProtocolHandler, contentSecurityPolicy } from '../../electron/protocol.ts';
import { createThroughUi, editor, ensureAppBuilt, launchBrowser, WEB_ROOT } from './harness.ts';
import { spawnServer, type ServerProcess } from '../support/server.ts';

describe('the desktop CSP on the real web app', () => {
  let server: ServerProcess;
  let front: http.Server;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    await ensureAppBuilt();
    server = await spawnServer();
    const target = new URL(server.url);
    const handler = appProtocolHandler({
      root: WEB_ROOT,
      csp: () => contentSecurityPolicy({ serverUrl: server.url }),
      server: { serverUrl: () => server.url, fetch: (url, init) => fetch(url, init) },
    });
    front = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = Object.entries(req.headers).flatMap(([name, value]) => (typeof value === 'string' ? [[name, value] as [string, string]] : []));
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      const response = await handler(new Request(`congvu-app://app${req.url ?? '/'}`, { method: req.method, headers, body }));
      const answerHeaders: Record<string, string> = {};
      response.headers.forEach((value, name) => (answerHeaders[name] = value));
      res.writeHead(response.status, answerHeaders);
      res.end(Buffer.from(await response.arrayBuffer()));
    });
    front.on('upgrade', (req, socket, head) => {
      const upstream = net.connect(Number(target.port), target.hostname, () => {
        const headers = Object.entries(req.headers).map(([name, value]) => `${name}: ${String(value)}`).join('\r\n');
        upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers}\r\n\r\n`);
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    front?.closeAllConnections();
    await new Promise((resolve) => front?.close(resolve));
    await server?.dispose();
  });

  it('lets the app sign in, create a document and edit it with no CSP violation at all', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
    // Violations are reported as events in the page; collect them from the first script on.
    await context.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.effectiveDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`));
    });
    const page = await context.newPage();
    const consoleViolations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) consoleViolations.push(message.text());
    });
    try {
      const response = await page.goto(`${base}/login`);
      expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
      await page.getByLabel('Tên đăng nhập').fill('an.nguyen');
      await page.getByLabel('Mật khẩu').fill('congvu-demo');
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      await page.waitForURL('**/documents');
      await createThroughUi(page, 'Công văn kiểm tra CSP');
      await editor(page).click();
      await page.keyboard.type('Kính gửi Sở Nội vụ');
      await expect.poll(() => editor(page).textContent()).toContain('Kính gửi Sở Nội vụ');
      await page.getByRole('status').filter({ hasText: 'Đã đồng bộ' }).first().waitFor({ timeout: 15_000 });
      // The document's own actions too: the share dialog, and the export (Lexical's HTML export
      // builds elements with inline styles; a download here, the save dialog in the app).
      await page.getByRole('button', { name: 'Chia sẻ' }).click();
      await page.getByRole('dialog').getByText('Chưa chia sẻ với ai').waitFor();
      await page.getByRole('dialog').getByRole('button', { name: 'Đóng' }).click();
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Xuất tệp' }).click();
      expect((await download).suggestedFilename()).toBe('Công văn kiểm tra CSP.html');

      const violations = await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
      expect(violations).toEqual([]);
      expect(consoleViolations).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

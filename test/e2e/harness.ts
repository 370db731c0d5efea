/**
 * End-to-end harness: the web app built once per change of its sources (React's development
 * build, so StrictMode's double mounts and effects really run), the real server started on a free
 * port serving that build, and headless Chromium (Debian's /usr/bin/chromium) driven by
 * playwright-core, one browser context per user.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { build } from 'vite';
import * as Y from 'yjs';
import { contentText } from '../../common/document-content.ts';
import { api, connect, login as apiLogin, synced, type Session } from '../support/clients.ts';
import { ROOT, spawnServer, type ServerProcess } from '../support/server.ts';

export const WEB_ROOT = path.join(ROOT, 'dist/renderer-e2e');
const STAMP = path.join(WEB_ROOT, '.sources-mtime');
const LOCK = path.join(ROOT, 'dist/.renderer-e2e.lock');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the app for the tests unless an up-to-date build exists; safe from parallel test files. */
export async function ensureAppBuilt(): Promise<void> {
  const sources = Math.max(newestMtime(path.join(ROOT, 'renderer')), newestMtime(path.join(ROOT, 'common')), statSync(path.join(ROOT, 'vite.config.ts')).mtimeMs);
  const fresh = () => existsSync(STAMP) && Number(readFileSync(STAMP, 'utf8')) >= sources;
  if (fresh()) return;
  mkdirSync(path.dirname(LOCK), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // Another test file is building: wait for it (and take over a lock left by a crash).
      if (Date.now() - statSync(LOCK).mtimeMs > 120_000) rmSync(LOCK, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 250));
      if (fresh()) return;
    }
  }
  try {
    if (fresh()) return;
    await build({
      configFile: path.join(ROOT, 'vite.config.ts'),
      mode: 'development',
      logLevel: 'warn',
      build: { outDir: WEB_ROOT, emptyOutDir: true, sourcemap: false },
    });
    writeFileSync(STAMP, String(sources));
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

export async function startServer(): Promise<ServerProcess> {
  await ensureAppBuilt();
  return spawnServer({ env: { CONGVU_WEB_ROOT: WEB_ROOT } });
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface UserPage {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly username: string;
  /** Browser errors seen so far (uncaught exceptions): a test can assert there were none. */
  readonly errors: string[];
}

export async function signIn(browser: Browser, base: string, username: string): Promise<UserPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${base}/login`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill('congvu-demo');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL('**/documents');
  return { context, page, username, errors };
}

export function editor(page: Page): Locator {
  return page.getByRole('textbox', { name: 'Nội dung văn bản' });
}

export function indicator(page: Page): Locator {
  return page.getByRole('status').filter({ hasText: /Đã đồng bộ|Đang đồng bộ|Ngoại tuyến/ });
}

/** Creates a document through the UI ("Văn bản mới" → type, title → "Tạo"); returns its id. */
export async function createThroughUi(page: Page, title: string, type = 'CV'): Promise<string> {
  await page.getByRole('button', { name: 'Văn bản mới' }).click();
  await page.getByLabel('Loại văn bản').selectOption(type);
  await page.getByLabel('Tiêu đề').fill(title);
  await page.getByRole('button', { name: 'Tạo' }).click();
  await page.waitForURL(/\/documents\/[0-9a-f-]{36}$/);
  await editor(page).waitFor();
  return page.url().split('/').pop() as string;
}

export async function openDocument(page: Page, base: string, id: string): Promise<Locator> {
  await page.goto(`${base}/documents/${id}`);
  const box = editor(page);
  await box.waitFor();
  return box;
}

/** Puts the caret at the end of the document's last paragraph. */
export async function caretToEnd(page: Page): Promise<void> {
  await page.locator('[aria-label="Nội dung văn bản"][contenteditable="true"]').waitFor();
  await editor(page).click();
  await page.keyboard.press('Control+End');
}

/** Waits until the page is controlled by the service worker (the app shell is cached). */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.waitForFunction(async () => {
    const registration = await navigator.serviceWorker.ready;
    return registration.active !== null && navigator.serviceWorker.controller !== null;
  }, undefined, { timeout: 20_000 });
}

/**
 * Waits until a document created in the app (offline-first: the record goes to the server through
 * the outbox, a moment after the editor opens) is known to the server. Sharing it before then is a
 * 404, which is right for the server and a race for the test.
 */
export async function documentOnServer(server: ServerProcess, username: string, docId: string, timeoutMs = 15_000): Promise<void> {
  const session: Session = await apiLogin(server.url, username);
  const started = Date.now();
  for (;;) {
    const { status } = await api(server.url, 'GET', `/api/documents/${docId}`, undefined, session.token);
    if (status === 200) return;
    if (status !== 404) throw new Error(`reading document ${docId} failed with ${status}`);
    if (Date.now() - started > timeoutMs) throw new Error(`document ${docId} did not reach the server within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The document's text as the server has it, read by a fresh client of the relay. */
export async function serverText(server: ServerProcess, username: string, docId: string): Promise<string> {
  const session: Session = await apiLogin(server.url, username);
  const provider = connect(server.wsUrl, `doc:${docId}`, session.token, new Y.Doc());
  try {
    await synced(provider);
    return contentText(provider.doc);
  } finally {
    provider.destroy();
  }
}

export async function poll<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const started = Date.now();
  let value = await read();
  while (!ok(value)) {
    if (Date.now() - started > timeoutMs) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
    value = await read();
  }
  return value;
}

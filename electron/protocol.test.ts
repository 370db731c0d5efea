/**
 * The app's custom scheme: the CSP it sends and the files it serves. The handler is a plain
 * web-Request → web-Response function (what `protocol.handle` takes), tested here on a temporary
 * folder without Electron, whose binary cannot run on our machines.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_SCHEME_PRIVILEGES, appProtocolHandler, contentSecurityPolicy } from './protocol.ts';

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
}

describe('the Content-Security-Policy', () => {
  const csp = contentSecurityPolicy({ serverUrl: 'http://127.0.0.1:8787' });
  const parsed = directives(csp);

  it('allows scripts only from the app itself: no inline script, no eval, no remote origin', () => {
    expect(parsed.get('script-src')).toEqual(["'self'"]);
    expect(csp).not.toMatch(/unsafe-eval|unsafe-inline|wasm-unsafe-eval|unsafe-hashes|strict-dynamic|\*/);
    expect(parsed.get('default-src')).toEqual(["'none'"]);
  });

  it('names no remote origin in any directive but connect-src', () => {
    for (const [name, values] of parsed) {
      if (name === 'connect-src') continue;
      for (const value of values) expect(`${name} ${value}`).toMatch(/ ('self'|'none'|data:|blob:)$/);
    }
  });

  it('lets the page talk to the configured server over HTTP and WebSocket, and nowhere else', () => {
    expect(parsed.get('connect-src')).toEqual(["'self'", 'http://127.0.0.1:8787', 'ws://127.0.0.1:8787']);
    expect(directives(contentSecurityPolicy({ serverUrl: 'https://congvu.ninhbinh.gov.vn/' })).get('connect-src')).toEqual([
      "'self'",
      'https://congvu.ninhbinh.gov.vn',
      'wss://congvu.ninhbinh.gov.vn',
    ]);
  });

  it('forbids frames, plugins, form posts, framing and <base>', () => {
    for (const name of ['object-src', 'frame-src', 'child-src', 'frame-ancestors', 'form-action', 'base-uri']) expect(parsed.get(name), name).toEqual(["'none'"]);
    expect(parsed.get('worker-src')).toEqual(["'self'"]);
  });
});

describe('the privileged scheme', () => {
  it('is standard and secure, with fetch and service workers allowed', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual([
      {
        scheme: 'congvu-app',
        privileges: { standard: true, secure: true, supportFetchAPI: true, allowServiceWorkers: true, corsEnabled: true, codeCache: true, stream: true },
      },
    ]);
  });
});

describe('serving the web app', () => {
  let root: string;
  let outside: string;
  let handler: ReturnType<typeof appProtocolHandler>;
  const get = (url: string, method = 'GET') => handler(new Request(url, { method }));

  beforeAll(() => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'congvu-protocol-'));
    root = path.join(base, 'renderer');
    outside = path.join(base, 'secret.txt');
    mkdirSync(path.join(root, 'assets'), { recursive: true });
    writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Công vụ</title>');
    writeFileSync(path.join(root, 'sw.js'), 'self.addEventListener("fetch", () => {});');
    writeFileSync(path.join(root, 'assets/app-1234.js'), 'console.log(1)');
    writeFileSync(outside, 'secret');
    symlinkSync(outside, path.join(root, 'link.txt'));
    handler = appProtocolHandler({ root, csp: () => "default-src 'none'" });
  });
  afterAll(() => rmSync(path.dirname(root), { recursive: true, force: true }));

  it('serves index.html at the root with the CSP and nosniff', async () => {
    const response = await get('congvu-app://app/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('Công vụ');
  });

  it('answers client routes with the app shell', async () => {
    for (const route of ['/login', '/documents', '/documents/0b7e5c58-3f1a-4c2d-9e8b-7a6f5d4c3b2a', '/tasks?x=1']) {
      const response = await get(`congvu-app://app${route}`);
      expect(response.status, route).toBe(200);
      expect(await response.text()).toContain('<title>Công vụ</title>');
    }
  });

  it('serves assets with their type, hashed ones as immutable, the service worker uncached', async () => {
    const asset = await get('congvu-app://app/assets/app-1234.js');
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const worker = await get('congvu-app://app/sw.js');
    expect(worker.status).toBe(200);
    expect(worker.headers.get('cache-control')).toBe('no-cache');
    expect(worker.headers.get('content-security-policy')).toBe("default-src 'none'");
  });

  it('answers 404 for a missing file with an extension, instead of the shell', async () => {
    expect((await get('congvu-app://app/assets/missing.js')).status).toBe(404);
  });

  it('never serves a file outside its folder, however the path is spelled', async () => {
    for (const url of [
      'congvu-app://app/../secret.txt',
      'congvu-app://app/%2e%2e/secret.txt',
      'congvu-app://app/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      'congvu-app://app/..%5csecret.txt',
      'congvu-app://app/link.txt',
      'congvu-app://app/%00.txt',
      'congvu-app://app/%E0%A4%A.txt',
    ]) {
      const response = await get(url);
      expect(response.status, url).toBe(404);
      expect(await response.text()).not.toContain('secret');
    }
  });

  it('answers only its own host and only GET and HEAD', async () => {
    expect((await get('congvu-app://other/index.html')).status).toBe(404);
    expect((await get('congvu-app://app/index.html', 'POST')).status).toBe(405);
    const head = await get('congvu-app://app/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('reads the CSP per response, so a new server address applies from the next load', async () => {
    let server = 'http://127.0.0.1:8787';
    const live = appProtocolHandler({ root, csp: () => contentSecurityPolicy({ serverUrl: server }) });
    expect((await live(new Request('congvu-app://app/'))).headers.get('content-security-policy')).toContain('ws://127.0.0.1:8787');
    server = 'https://congvu.example.vn';
    expect((await live(new Request('congvu-app://app/'))).headers.get('content-security-policy')).toContain('wss://congvu.example.vn');
  });
});

describe('passing the API through to the configured server', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'congvu-pass-'));
  writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  function setup(answer: (url: string, init: RequestInit) => Promise<Response>) {
    const seen: { url: string; init: RequestInit }[] = [];
    let serverUrl = 'http://127.0.0.1:8787';
    const handler = appProtocolHandler({
      root,
      csp: () => "default-src 'none'",
      server: {
        serverUrl: () => serverUrl,
        fetch: (url, init) => {
          seen.push({ url, init });
          return answer(url, init);
        },
      },
    });
    return { handler, seen, moveServer: (url: string) => (serverUrl = url) };
  }

  it('forwards /api/ calls with their method, query, body and API headers only', async () => {
    const { handler, seen } = setup(async () => new Response('{"token":"t"}', { status: 200, headers: { 'content-type': 'application/json', 'set-cookie': 'a=b', 'x-internal': '1' } }));
    const response = await handler(
      new Request('congvu-app://app/api/auth/login?x=1', {
        method: 'POST',
        body: '{"username":"an.nguyen"}',
        headers: { 'content-type': 'application/json', authorization: 'Bearer abc', cookie: 'c=d', origin: 'congvu-app://app', 'x-forwarded-for': '1.2.3.4' },
      }),
    );
    expect(seen).toHaveLength(1);
    expect(seen[0].url).toBe('http://127.0.0.1:8787/api/auth/login?x=1');
    expect(seen[0].init.method).toBe('POST');
    expect(new TextDecoder().decode(seen[0].init.body as Uint8Array)).toBe('{"username":"an.nguyen"}');
    expect(Object.fromEntries(seen[0].init.headers as Headers)).toEqual({ 'content-type': 'application/json', authorization: 'Bearer abc' });
    expect(seen[0].init.redirect).toBe('manual');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"token":"t"}');
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(response.headers.get('x-internal')).toBeNull();
  });

  it('keeps the server status, and forwards /healthz', async () => {
    const { handler, seen } = setup(async (url) => (url.endsWith('/healthz') ? Response.json({ status: 'ok' }) : new Response('{"error":{}}', { status: 404 })));
    expect((await handler(new Request('congvu-app://app/healthz'))).status).toBe(200);
    expect((await handler(new Request('congvu-app://app/api/documents/x'))).status).toBe(404);
    const deleted = await handler(new Request('congvu-app://app/api/documents/x/shares/user/y', { method: 'DELETE' }));
    expect(deleted.status).toBe(404);
    expect(seen.map((call) => call.init.method)).toEqual(['GET', 'GET', 'DELETE']);
  });

  it('answers 502 when the server cannot be reached, which the page reads as offline', async () => {
    const { handler } = setup(async () => {
      throw new TypeError('fetch failed');
    });
    const response = await handler(new Request('congvu-app://app/api/me'));
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ error: { code: 'server_unreachable', message: 'the Congvu server cannot be reached' } });
  });

  it('goes to the server configured at the time of the call', async () => {
    const { handler, seen, moveServer } = setup(async () => new Response(null, { status: 204 }));
    moveServer('https://congvu.ninhbinh.gov.vn');
    expect((await handler(new Request('congvu-app://app/api/changes?since=3'))).status).toBe(204);
    expect(seen[0].url).toBe('https://congvu.ninhbinh.gov.vn/api/changes?since=3');
  });

  it('passes through only the API paths, and only API methods', async () => {
    const { handler, seen } = setup(async () => new Response('{}'));
    for (const route of ['/api', '/apix/1', '/metrics', '/sync/doc:1', '/healthz/x', '/documents/api/x']) {
      await handler(new Request(`congvu-app://app${route}`));
    }
    expect(seen).toEqual([]);
    expect((await handler(new Request('congvu-app://app/api/me', { method: 'OPTIONS' }))).status).toBe(405);
  });

  it('answers the API paths 404 when no server is configured', async () => {
    const handler = appProtocolHandler({ root, csp: () => '' });
    expect((await handler(new Request('congvu-app://app/api/me'))).status).toBe(404);
  });
});

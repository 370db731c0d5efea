/**
 * The app's own origin, `congvu-app://app`: a privileged custom scheme that serves the packaged
 * web app (dist/renderer) with a strict Content-Security-Policy. A standard, secure scheme gives
 * the page a real origin, so IndexedDB persists, service workers register and `fetch` works,
 * none of which `file://` offers (PITFALLS.md). Unknown paths without a file extension answer
 * index.html, so every client route opens directly; nothing outside the folder is ever served.
 *
 * `/api/…` and `/healthz` are passed through to the configured Congvu server, so the page calls
 * its API on its own origin exactly as it does when the server serves it (no CORS needed), and
 * an unreachable server answers 502, which the page reads as "offline". Only the sync WebSocket
 * goes to the server directly (custom schemes carry no WebSockets): `connect-src` allows it.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

export const APP_SCHEME = 'congvu-app';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** The argument of `protocol.registerSchemesAsPrivileged`, which must run before `ready`. */
export const APP_SCHEME_PRIVILEGES = [
  {
    scheme: APP_SCHEME,
    privileges: {
      standard: true,
      secure: true,
      supportFetchAPI: true,
      allowServiceWorkers: true,
      // Module scripts load in CORS mode; same-origin loads still need the scheme to speak CORS.
      corsEnabled: true,
      codeCache: true,
      stream: true,
    },
  },
] as const;

export interface CspOptions {
  /** The Congvu server the page talks to (http(s) origin); its ws(s) twin is allowed too. */
  readonly serverUrl: string;
}

/**
 * The Content-Security-Policy of every response: scripts and styles only from the app's own
 * files (no inline script, no eval, no remote origin), connections only to the app and the
 * configured server, no frames, no plugins, no form posts, no `<base>` games.
 */
export function contentSecurityPolicy(options: CspOptions): string {
  const server = options.serverUrl.replace(/\/$/, '');
  const socket = server.replace(/^http/, 'ws');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ${server} ${socket}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "media-src 'self' blob:",
    "object-src 'none'",
    "frame-src 'none'",
    "child-src 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** Paths of the server's HTTP API that the scheme passes through (CONTRACT.md, "HTTP API"). */
export const SERVER_PATHS = /^\/(?:api\/|healthz$)/;

/** Request headers the API uses; nothing else (cookies, origin, Chromium's own) is forwarded. */
const FORWARDED_REQUEST_HEADERS = ['accept', 'accept-language', 'authorization', 'content-type', 'if-none-match'];
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'cache-control', 'etag', 'retry-after', 'www-authenticate'];
const API_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);
/** Largest request body passed through (the API's bodies are small JSON). */
export const MAX_API_BODY_BYTES = 16 * 1024 * 1024;

export interface ServerPassThrough {
  /** The configured server's origin, read per request. */
  readonly serverUrl: () => string;
  /** Electron's `net.fetch` (Chromium's network stack: the system's proxy settings apply). */
  readonly fetch: (url: string, init: RequestInit) => Promise<Response>;
}

export interface AppProtocolOptions {
  /** The folder of the built web app (its index.html is the SPA fallback). */
  readonly root: string;
  /** Read per response, so a changed server address applies from the next page load on. */
  readonly csp: () => string;
  /** Where `/api/…` and `/healthz` go; without it they are answered 404. */
  readonly server?: ServerPassThrough;
}

type ResponseBody = ConstructorParameters<typeof Response>[0];

/** A `protocol.handle` handler: web Request in, web Response out (testable without Electron). */
export type ProtocolHandler = (request: Request) => Promise<Response>;

export function appProtocolHandler(options: AppProtocolOptions): ProtocolHandler {
  const root = path.resolve(options.root);
  let realRoot: string | undefined;

  const respond = (status: number, body: ResponseBody, contentType: string, extra: Record<string, string> = {}): Response =>
    new Response(body, {
      status,
      headers: {
        'Content-Type': contentType,
        'Content-Security-Policy': options.csp(),
        'X-Content-Type-Options': 'nosniff',
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Referrer-Policy': 'no-referrer',
        ...extra,
      },
    });
  const notFound = (): Response => respond(404, 'not found', 'text/plain; charset=utf-8');

  /** The file for a URL path, or undefined: resolved inside the root, symlinks included. */
  async function fileFor(urlPath: string): Promise<string | undefined> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(urlPath);
    } catch {
      return undefined;
    }
    if (decoded.includes('\0')) return undefined;
    const candidate = path.resolve(root, `.${path.posix.normalize(decoded)}`);
    if (candidate !== root && !candidate.startsWith(root + path.sep)) return undefined;
    try {
      const real = await realpath(candidate);
      realRoot ??= await realpath(root);
      if (!real.startsWith(realRoot + path.sep)) return undefined;
      return (await stat(real)).isFile() ? real : undefined;
    } catch {
      return undefined;
    }
  }

  const json = (status: number, code: string, message: string): Response =>
    new Response(JSON.stringify({ error: { code, message } }), { status, headers: { 'Content-Type': 'application/json' } });

  async function passThrough(server: ServerPassThrough, request: Request, url: URL): Promise<Response> {
    if (!API_METHODS.has(request.method)) return json(405, 'method_not_allowed', 'method not allowed');
    const headers = new Headers();
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = request.headers.get(name);
      if (value !== null) headers.set(name, value);
    }
    let body: Uint8Array<ArrayBuffer> | undefined;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      body = new Uint8Array(await request.arrayBuffer());
      if (body.byteLength > MAX_API_BODY_BYTES) return json(413, 'too_large', 'request body too large');
    }
    let answer: Response;
    try {
      answer = await server.fetch(`${server.serverUrl()}${url.pathname}${url.search}`, { method: request.method, headers, body, redirect: 'manual' });
    } catch {
      // The page treats a gateway failure as the network being down, which it is.
      return json(502, 'server_unreachable', 'the Congvu server cannot be reached');
    }
    const out = new Headers({ 'X-Content-Type-Options': 'nosniff' });
    for (const name of FORWARDED_RESPONSE_HEADERS) {
      const value = answer.headers.get(name);
      if (value !== null) out.set(name, value);
    }
    const empty = answer.status === 204 || answer.status === 205 || answer.status === 304 || request.method === 'HEAD';
    return new Response(empty ? null : answer.body, { status: answer.status, headers: out });
  }

  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return notFound();
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return notFound();
    if (SERVER_PATHS.test(url.pathname)) {
      return options.server ? passThrough(options.server, request, url) : json(404, 'not_found', 'not found');
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return respond(405, 'method not allowed', 'text/plain; charset=utf-8', { Allow: 'GET, HEAD' });
    }
    const urlPath = url.pathname === '/' ? '/index.html' : url.pathname;
    let file = await fileFor(urlPath);
    // Client routes (`/documents/<id>`) have no extension: they get the app shell.
    if (!file && path.posix.extname(urlPath) === '') file = await fileFor('/index.html');
    if (!file) return notFound();
    const extension = path.extname(file).toLowerCase();
    const immutable = file.includes(`${path.sep}assets${path.sep}`);
    const body = request.method === 'HEAD' ? null : new Uint8Array(await readFile(file));
    return respond(200, body, CONTENT_TYPES[extension] ?? 'application/octet-stream', {
      // Hashed assets never change; the shell and the service worker must be re-read.
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
  };
}

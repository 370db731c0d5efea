/**
 * Serves the built web app (renderer) from one folder: files by path, and index.html for the
 * app's own routes (`/documents/<id>`, …) so a route opened directly works. Hashed assets are
 * cached for good; index.html and the service worker never, so an update reaches users.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

/** Content-Security-Policy of the app: own origin only, plus WebSockets to the same host. */
export const APP_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "font-src 'self' data:; connect-src 'self' ws: wss:; worker-src 'self'; frame-ancestors 'none'; " +
  "base-uri 'none'; form-action 'self'; object-src 'none'";

export function staticFiles(root: string): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const resolvedRoot = path.resolve(root);

  async function fileAt(urlPath: string): Promise<string | null> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(urlPath);
    } catch {
      return null;
    }
    const file = path.resolve(resolvedRoot, '.' + path.posix.normalize('/' + decoded));
    if (file !== resolvedRoot && !file.startsWith(resolvedRoot + path.sep)) return null;
    try {
      return (await stat(file)).isFile() ? file : null;
    } catch {
      return null;
    }
  }

  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const urlPath = new URL(req.url ?? '/', 'http://x').pathname;
    let file = await fileAt(urlPath);
    // Client routes have no file extension; they all get the app shell.
    if (!file && !path.posix.extname(urlPath)) file = await fileAt('/index.html');
    if (!file) return false;
    const ext = path.extname(file);
    const immutable = urlPath.startsWith('/assets/');
    res.writeHead(200, {
      'Content-Type': TYPES[ext] ?? 'application/octet-stream',
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'Content-Security-Policy': APP_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
    return true;
  };
}

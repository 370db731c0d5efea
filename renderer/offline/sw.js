/**
 * The service worker: keeps the app shell (every built asset and index.html) in a cache, so a
 * reload with no network still opens the app, on any client route, and the user's documents (which
 * live in IndexedDB). The build (vite.config.ts) fills in the list of files and a version; a new
 * version installs beside the old one and takes over on the next load.
 *
 * API calls and the sync socket are never cached: their answers must be live or fail, so the app
 * knows it is offline.
 */
/* global self, caches, fetch, URL, Response, setTimeout */
const VERSION = '__CONGVU_VERSION__';
const PRECACHE = __CONGVU_PRECACHE__;
const CACHE = `congvu-shell-${VERSION}`;
const SHELL = '/index.html';
const NAVIGATION_TIMEOUT_MS = 4000;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll([SHELL, ...PRECACHE.filter((f) => f !== SHELL)]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('congvu-shell-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

function isLive(url) {
  return url.pathname.startsWith('/api/') || url.pathname.startsWith('/sync') || url.pathname === '/healthz' || url.pathname === '/metrics';
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || isLive(url)) return;

  if (request.mode === 'navigate') {
    // Network first (a new deployment wins), the cached shell when the server cannot be reached:
    // every client route (/documents/<id>, /tasks, …) is the same single-page app.
    event.respondWith(
      withTimeout(fetch(request), NAVIGATION_TIMEOUT_MS)
        .then((response) => {
          if (response.ok && (response.headers.get('content-type') || '').includes('text/html')) {
            const copy = response.clone();
            void caches.open(CACHE).then((cache) => cache.put(SHELL, copy));
          }
          return response;
        })
        .catch(() => caches.match(SHELL, { cacheName: CACHE }).then((cached) => cached || caches.match(SHELL)))
        .then((response) => response || new Response('Offline', { status: 503, headers: { 'content-type': 'text/plain' } })),
    );
    return;
  }

  // Built assets have content hashes in their names: the cache is always right for them.
  event.respondWith(
    caches.match(request).then(
      (cached) =>
        cached ||
        fetch(request).then((response) => {
          if (response.ok && url.pathname.startsWith('/assets/')) {
            const copy = response.clone();
            void caches.open(CACHE).then((cache) => cache.put(request, copy));
          }
          return response;
        }),
    ),
  );
});

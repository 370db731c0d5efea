/**
 * Registers the service worker (public/sw.js) that caches the app shell, so the app and the
 * user's documents open with no network once the app has been loaded before. Only where service
 * workers exist and the page is served over http(s) (Electron will load from disk instead).
 */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || !/^https?:$/.test(location.protocol)) return;
  // Not under the Vite dev server (its modules are not a fixed set of files to cache).
  if (import.meta.hot) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error: unknown) => {
      console.warn('service worker registration failed', error);
    });
  });
}

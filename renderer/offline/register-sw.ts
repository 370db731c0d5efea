/**
 * Registers the service worker (sw.js) that caches the app shell, so the app and the user's
 * documents open with no network once the app has been loaded before. Where service workers
 * exist and the page is served over http(s), or by the desktop app's own scheme (`congvu-app:`,
 * registered there as privileged with service workers allowed, docs/desktop.md). The worker's
 * navigations are network-first, which matters in the desktop app: the scheme handler always
 * answers, and a cached index.html would carry an old CSP after the server address changed.
 */
const SCHEMES = new Set(['http:', 'https:', 'congvu-app:']);

/** Whether a page served with this protocol may register the worker. */
export function servesServiceWorker(protocol: string): boolean {
  return SCHEMES.has(protocol);
}

export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || !servesServiceWorker(location.protocol)) return;
  // Not under the Vite dev server (its modules are not a fixed set of files to cache).
  if (import.meta.hot) return;
  const register = () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error: unknown) => {
      console.warn('service worker registration failed', error);
    });
  };
  // After the page has loaded, so the worker's precaching does not compete with the app's start.
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}

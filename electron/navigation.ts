/**
 * Where a page of the app may go. The window only ever shows the app's own origin; an http(s)
 * link to a host on the allowlist (exact host name, so `example.com.attacker.com` is not
 * `example.com`) opens in the system browser; everything else (`file:`, `javascript:`, `data:`,
 * other ports, other hosts, new windows) is refused. Applied to every WebContents the app
 * creates (Electron security checklist: "limit navigation", "limit the creation of new windows").
 */

export interface NavigationPolicy {
  /** The app's origin, e.g. `congvu-app://app` (or the Vite dev server's origin in `npm run dev`). */
  readonly appOrigin: string;
  /** Host names (exact, lower case) whose http(s) links open in the system browser. */
  readonly externalHosts: readonly string[];
}

/** `allow`: stay in the app; `external`: hand to the system browser; `deny`: do nothing. */
export type NavigationDecision = 'allow' | 'external' | 'deny';

/**
 * The origin of a URL as `scheme://host[:port]`. WHATWG's `URL.origin` is "null" for custom
 * schemes such as ours, so it is built from the parts; undefined for URLs without a host.
 */
export function originOf(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.host === '') return undefined;
  return `${parsed.protocol}//${parsed.host}`.toLowerCase();
}

export function isAppUrl(url: string, appOrigin: string): boolean {
  return originOf(url) === appOrigin.toLowerCase();
}

/** An http(s) URL without credentials whose host is exactly one of the allowed hosts. */
export function isAllowedExternalUrl(url: string, hosts: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false;
  if (parsed.username !== '' || parsed.password !== '') return false;
  const host = parsed.hostname.toLowerCase();
  return hosts.some((allowed) => allowed.toLowerCase() === host);
}

/** A navigation of a page (link click, `location = …`, redirect). */
export function decideNavigation(url: string, policy: NavigationPolicy): NavigationDecision {
  if (isAppUrl(url, policy.appOrigin)) return 'allow';
  return isAllowedExternalUrl(url, policy.externalHosts) ? 'external' : 'deny';
}

/** `window.open` and `target=_blank`: the app never opens a second window of its own. */
export function decideWindowOpen(url: string, policy: NavigationPolicy): NavigationDecision {
  return isAllowedExternalUrl(url, policy.externalHosts) ? 'external' : 'deny';
}

/** The part of Electron's WebContents the guards use. */
export interface GuardedContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: { preventDefault(): void; url: string }) => void): unknown;
  on(event: 'will-frame-navigate', listener: (event: { preventDefault(): void; url: string; isMainFrame: boolean }) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void;
}

export interface NavigationGuardOptions {
  readonly policy: NavigationPolicy;
  /** `shell.openExternal`, called only with URLs that passed `isAllowedExternalUrl`. */
  readonly openExternal: (url: string) => void;
  /** Told about every refusal (for the log). */
  readonly onDenied?: (kind: 'navigate' | 'frame' | 'redirect' | 'window-open' | 'webview', url: string) => void;
}

/**
 * Installs the guards on one WebContents: `will-navigate` for the page itself,
 * `will-frame-navigate` for sub-frames (the CSP forbids frames; this is the second lock),
 * `will-redirect` for redirects, `will-attach-webview` and the window-open handler.
 */
export function guardNavigation(contents: GuardedContents, options: NavigationGuardOptions): void {
  const { policy, openExternal, onDenied } = options;
  contents.on('will-navigate', (event) => {
    const decision = decideNavigation(event.url, policy);
    if (decision === 'allow') return;
    event.preventDefault();
    if (decision === 'external') openExternal(event.url);
    else onDenied?.('navigate', event.url);
  });
  contents.on('will-frame-navigate', (event) => {
    if (event.isMainFrame || isAppUrl(event.url, policy.appOrigin)) return;
    event.preventDefault();
    onDenied?.('frame', event.url);
  });
  contents.on('will-redirect', (event) => {
    if (isAppUrl(event.url, policy.appOrigin)) return;
    event.preventDefault();
    onDenied?.('redirect', event.url);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    onDenied?.('webview', '');
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (decideWindowOpen(url, policy) === 'external') openExternal(url);
    else onDenied?.('window-open', url);
    return { action: 'deny' };
  });
}

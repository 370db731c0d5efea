/**
 * `congvu://doc/<uuid>` links: opening one starts the app, or brings the running one forward, and
 * shows the document. Parsing is strict (exactly that shape, a real UUID, nothing else), since
 * anything on the machine can hand the app such a URL. The link arrives in three ways: the
 * command line of the first instance (Windows, Linux), the command line of a second instance
 * that the single-instance lock turns away (`second-instance`), and `open-url` on macOS.
 */
import { AppLink } from '../common/ipc.ts';

export const DEEP_LINK_SCHEME = 'congvu';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * The link a `congvu:` URL names, or undefined. Accepted: `congvu://doc/<uuid>`, with one
 * trailing slash (Windows and some browsers add one when they launch a protocol handler).
 */
export function parseDeepLink(raw: string): AppLink | undefined {
  if (raw.length > 200) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== `${DEEP_LINK_SCHEME}:`) return undefined;
  if (url.username || url.password || url.port || url.search || url.hash) return undefined;
  if (url.hostname.toLowerCase() !== 'doc') return undefined;
  const match = /^\/([^/]+)\/?$/.exec(url.pathname);
  if (!match || !UUID.test(match[1])) return undefined;
  const parsed = AppLink.safeParse({ kind: 'document', documentId: match[1] });
  return parsed.success ? parsed.data : undefined;
}

/** The first deep link among command-line arguments (Windows and Linux pass it there). */
export function findDeepLink(argv: readonly string[]): AppLink | undefined {
  for (const arg of argv) {
    if (!arg.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`)) continue;
    const link = parseDeepLink(arg);
    if (link) return link;
  }
  return undefined;
}

/** The part of Electron's `app` the deep links use. */
export interface DeepLinkApp {
  requestSingleInstanceLock(): boolean;
  on(event: 'second-instance', listener: (event: unknown, argv: string[]) => void): unknown;
  on(event: 'open-url', listener: (event: { preventDefault(): void }, url: string) => void): unknown;
  setAsDefaultProtocolClient(protocol: string, path?: string, args?: string[]): boolean;
}

export interface DeepLinkOptions {
  /** Called with each link, and with undefined when a second instance starts without one. */
  readonly onActivate: (link: AppLink | undefined) => void;
  /** Rejected links, for the log. */
  readonly onRejected?: (raw: string) => void;
}

/**
 * Takes the single-instance lock and listens for links. Returns false when another instance
 * holds the lock: this one must quit (its arguments have already been handed over).
 * Call before `ready`: macOS may deliver `open-url` that early.
 */
export function claimSingleInstance(app: DeepLinkApp, options: DeepLinkOptions): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', (_event, argv) => {
    const candidates = argv.filter((arg) => arg.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`));
    const link = findDeepLink(candidates);
    if (!link) for (const raw of candidates) options.onRejected?.(raw);
    options.onActivate(link);
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    const link = parseDeepLink(url);
    if (link) options.onActivate(link);
    else options.onRejected?.(url);
  });
  return true;
}

/**
 * Makes the app the handler of `congvu:` links. Packaged builds register themselves (the
 * installers also declare the scheme: build/electron-builder.config.ts). A development run
 * registers only when asked, since it would point the whole system at a checkout.
 */
export function registerProtocolClient(
  app: DeepLinkApp,
  options: Readonly<{ isPackaged: boolean; execPath: string; entry?: string; force?: boolean }>,
): boolean {
  if (options.isPackaged) return app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
  if (!options.force || !options.entry) return false;
  return app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, options.execPath, [options.entry]);
}

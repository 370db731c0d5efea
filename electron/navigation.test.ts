/**
 * The navigation and window-open guards, as pure decisions and installed on a fake WebContents
 * (Electron's binary cannot run on our machines; the fake records the listeners the guard adds
 * and lets the test fire them as Electron would).
 */
import { describe, expect, it } from 'vitest';
import { decideNavigation, decideWindowOpen, guardNavigation, type GuardedContents, isAllowedExternalUrl, originOf, type NavigationPolicy } from './navigation.ts';

const policy: NavigationPolicy = { appOrigin: 'congvu-app://app', externalHosts: ['example.com', 'vanban.chinhphu.vn'] };

describe('navigation decisions', () => {
  it('keeps the app on its own origin, whatever the route', () => {
    expect(decideNavigation('congvu-app://app/documents/0b7e5c58-3f1a-4c2d-9e8b-7a6f5d4c3b2a', policy)).toBe('allow');
    expect(decideNavigation('congvu-app://APP/login?next=%2Ftasks', policy)).toBe('allow');
  });

  it('sends links to allowed hosts to the system browser, matching the host exactly', () => {
    expect(decideNavigation('https://example.com/page', policy)).toBe('external');
    expect(decideNavigation('http://example.com/', policy)).toBe('external');
    expect(decideNavigation('https://EXAMPLE.com./x', policy)).toBe('deny');
    expect(decideNavigation('https://example.com.attacker.com/', policy)).toBe('deny');
    expect(decideNavigation('https://attacker.com/example.com', policy)).toBe('deny');
    expect(decideNavigation('https://sub.example.com/', policy)).toBe('deny');
    expect(decideNavigation('https://attacker-example.com/', policy)).toBe('deny');
  });

  it('refuses links that carry credentials, which can disguise the real host', () => {
    expect(decideNavigation('https://example.com@attacker.com/', policy)).toBe('deny');
    expect(decideNavigation('https://user:pw@example.com/', policy)).toBe('deny');
  });

  it('refuses file:, javascript:, data: and other schemes', () => {
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'blob:congvu-app://app/1234',
      'ftp://example.com/',
      'congvu://doc/0b7e5c58-3f1a-4c2d-9e8b-7a6f5d4c3b2a',
      'chrome://settings',
      'about:blank',
      'not a url',
      '',
    ]) {
      expect(decideNavigation(url, policy), url).toBe('deny');
      expect(decideWindowOpen(url, policy), url).toBe('deny');
    }
  });

  it('treats another port of the same host as another origin', () => {
    const dev: NavigationPolicy = { appOrigin: 'http://localhost:5173', externalHosts: [] };
    expect(decideNavigation('http://localhost:5173/documents', dev)).toBe('allow');
    expect(decideNavigation('http://localhost:5174/documents', dev)).toBe('deny');
    expect(decideNavigation('http://localhost/documents', dev)).toBe('deny');
    expect(decideNavigation('https://localhost:5173/documents', dev)).toBe('deny');
    expect(decideNavigation('http://127.0.0.1:5173/documents', dev)).toBe('deny');
  });

  it('never opens a second window of the app, only the system browser for allowed hosts', () => {
    expect(decideWindowOpen('congvu-app://app/documents', policy)).toBe('deny');
    expect(decideWindowOpen('https://vanban.chinhphu.vn/?pageid=27160', policy)).toBe('external');
    expect(decideWindowOpen('https://example.com.attacker.com/', policy)).toBe('deny');
  });

  it('builds origins for custom schemes, where URL.origin says "null"', () => {
    expect(new URL('congvu-app://app/x').origin).toBe('null');
    expect(originOf('congvu-app://app/x')).toBe('congvu-app://app');
    expect(originOf('http://127.0.0.1:8787/api')).toBe('http://127.0.0.1:8787');
    expect(originOf('data:text/html,x')).toBeUndefined();
    expect(isAllowedExternalUrl('https://example.com:8443/', ['example.com'])).toBe(true);
  });
});

type Listener = (event: { preventDefault(): void; url: string; isMainFrame?: boolean }) => void;

/** A fake WebContents: records listeners and the window-open handler. */
function fakeContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((details: { url: string }) => { action: 'deny' } | { action: 'allow' }) | undefined;
  const contents = {
    on(event: string, listener: Listener) {
      listeners.set(event, listener);
      return contents;
    },
    setWindowOpenHandler(handler: typeof openHandler) {
      openHandler = handler;
    },
  };
  const fire = (event: string, url: string, isMainFrame = true) => {
    let prevented = false;
    listeners.get(event)?.({ url, isMainFrame, preventDefault: () => (prevented = true) });
    return prevented;
  };
  return { contents: contents as unknown as GuardedContents, fire, open: (url: string) => openHandler!({ url }), events: () => [...listeners.keys()].sort() };
}

describe('the guards on a WebContents', () => {
  const setup = () => {
    const opened: string[] = [];
    const denied: string[] = [];
    const fake = fakeContents();
    guardNavigation(fake.contents, { policy, openExternal: (url) => opened.push(url), onDenied: (kind, url) => denied.push(`${kind} ${url}`) });
    return { ...fake, opened, denied };
  };

  it('listens to every way a page can leave the app', () => {
    expect(setup().events()).toEqual(['will-attach-webview', 'will-frame-navigate', 'will-navigate', 'will-redirect']);
  });

  it('lets the app navigate within itself', () => {
    const { fire, opened } = setup();
    expect(fire('will-navigate', 'congvu-app://app/tasks')).toBe(false);
    expect(opened).toEqual([]);
  });

  it('stops a navigation to an allowed host and opens it in the system browser instead', () => {
    const { fire, opened } = setup();
    expect(fire('will-navigate', 'https://example.com/')).toBe(true);
    expect(opened).toEqual(['https://example.com/']);
  });

  it('stops navigations to look-alike hosts, local files and scripts without opening anything', () => {
    const { fire, opened, denied } = setup();
    for (const url of ['https://example.com.attacker.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,x']) {
      expect(fire('will-navigate', url), url).toBe(true);
    }
    expect(opened).toEqual([]);
    expect(denied).toHaveLength(4);
  });

  it('stops sub-frames from loading anything but the app, and redirects off the app', () => {
    const { fire } = setup();
    expect(fire('will-frame-navigate', 'https://example.com/', false)).toBe(true);
    expect(fire('will-frame-navigate', 'congvu-app://app/x', false)).toBe(false);
    expect(fire('will-redirect', 'https://example.com/')).toBe(true);
    expect(fire('will-redirect', 'congvu-app://app/login')).toBe(false);
  });

  it('refuses <webview> tags', () => {
    expect(setup().fire('will-attach-webview', '')).toBe(true);
  });

  it('denies every new window, opening allowed links in the system browser', () => {
    const { open, opened } = setup();
    expect(open('https://example.com/a')).toEqual({ action: 'deny' });
    expect(open('congvu-app://app/documents')).toEqual({ action: 'deny' });
    expect(open('https://example.com.attacker.com/')).toEqual({ action: 'deny' });
    expect(open('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://example.com/a']);
  });
});

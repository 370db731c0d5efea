/**
 * `congvu://` links: strict parsing, and the single-instance lock with a fake `app` that records
 * its listeners (Electron's binary cannot run on our machines).
 */
import { describe, expect, it } from 'vitest';
import { claimSingleInstance, type DeepLinkApp, findDeepLink, parseDeepLink, registerProtocolClient } from './deep-links.ts';

const ID = '0b7e5c58-3f1a-4c2d-9e8b-7a6f5d4c3b2a';

describe('parsing deep links', () => {
  it('reads congvu://doc/<uuid> as the document, in lower case', () => {
    expect(parseDeepLink(`congvu://doc/${ID}`)).toEqual({ kind: 'document', documentId: ID });
    expect(parseDeepLink(`congvu://doc/${ID.toUpperCase()}`)).toEqual({ kind: 'document', documentId: ID });
    expect(parseDeepLink(`CONGVU://DOC/${ID}`)).toEqual({ kind: 'document', documentId: ID });
  });

  it('accepts the one trailing slash that Windows adds', () => {
    expect(parseDeepLink(`congvu://doc/${ID}/`)).toEqual({ kind: 'document', documentId: ID });
  });

  it('refuses ids that are not UUIDs', () => {
    for (const id of ['123', `${ID}0`, ID.slice(1), ID.replace(/-/g, ''), '../../etc/passwd', '%2e%2e', `${ID.slice(0, -1)}g`, '']) {
      expect(parseDeepLink(`congvu://doc/${id}`), id).toBeUndefined();
    }
  });

  it('refuses extra path, query, fragment, port and credentials', () => {
    for (const url of [
      `congvu://doc/${ID}/comments`,
      `congvu://doc/${ID}//`,
      `congvu://doc//${ID}`,
      `congvu://doc/${ID}?open=1`,
      `congvu://doc/${ID}#x`,
      `congvu://doc:80/${ID}`,
      `congvu://user@doc/${ID}`,
      `congvu://board/${ID}`,
      `congvu://doc.attacker.com/${ID}`,
      `congvu:doc/${ID}`,
    ]) {
      expect(parseDeepLink(url), url).toBeUndefined();
    }
  });

  it('refuses other schemes and junk', () => {
    for (const url of [`https://doc/${ID}`, `congvu-app://doc/${ID}`, `file:///doc/${ID}`, `javascript:congvu://doc/${ID}`, 'congvu://', '', `congvu://doc/${ID}${'/'.repeat(300)}`]) {
      expect(parseDeepLink(url), url).toBeUndefined();
    }
  });

  it('finds the link among command-line arguments', () => {
    expect(findDeepLink(['/opt/Congvu/congvu', '--no-sandbox', `congvu://doc/${ID}`])).toEqual({ kind: 'document', documentId: ID });
    expect(findDeepLink(['/opt/Congvu/congvu', 'congvu://doc/nope'])).toBeUndefined();
    expect(findDeepLink(['/opt/Congvu/congvu'])).toBeUndefined();
  });
});

/** A fake `app`: the lock's answer is chosen by the test; listeners are recorded. */
function fakeApp(lock: boolean) {
  const listeners = new Map<string, (...args: never[]) => void>();
  const registered: unknown[][] = [];
  const app = {
    requestSingleInstanceLock: () => lock,
    on(event: string, listener: (...args: never[]) => void) {
      listeners.set(event, listener);
      return app;
    },
    setAsDefaultProtocolClient(...args: unknown[]) {
      registered.push(args);
      return true;
    },
  };
  return { app: app as DeepLinkApp, listeners, registered };
}

describe('the single instance', () => {
  it('tells a second instance to quit, listening to nothing', () => {
    const { app, listeners } = fakeApp(false);
    expect(claimSingleInstance(app, { onActivate: () => {} })).toBe(false);
    expect(listeners.size).toBe(0);
  });

  it("hands the link in a second instance's arguments to the first", () => {
    const { app, listeners } = fakeApp(true);
    const seen: unknown[] = [];
    const rejected: string[] = [];
    expect(claimSingleInstance(app, { onActivate: (link) => seen.push(link), onRejected: (raw) => rejected.push(raw) })).toBe(true);
    const secondInstance = listeners.get('second-instance') as (event: unknown, argv: string[]) => void;
    secondInstance({}, ['congvu.exe', `congvu://doc/${ID}`]);
    secondInstance({}, ['congvu.exe']);
    secondInstance({}, ['congvu.exe', 'congvu://doc/not-a-uuid']);
    expect(seen).toEqual([{ kind: 'document', documentId: ID }, undefined, undefined]);
    expect(rejected).toEqual(['congvu://doc/not-a-uuid']);
  });

  it('takes macOS open-url events, preventing the default handling', () => {
    const { app, listeners } = fakeApp(true);
    const seen: unknown[] = [];
    claimSingleInstance(app, { onActivate: (link) => seen.push(link) });
    let prevented = 0;
    const openUrl = listeners.get('open-url') as (event: { preventDefault(): void }, url: string) => void;
    openUrl({ preventDefault: () => prevented++ }, `congvu://doc/${ID}`);
    openUrl({ preventDefault: () => prevented++ }, 'congvu://evil');
    expect(seen).toEqual([{ kind: 'document', documentId: ID }]);
    expect(prevented).toBe(2);
  });

  it('registers the protocol when packaged, and in development only on request', () => {
    const packaged = fakeApp(true);
    expect(registerProtocolClient(packaged.app, { isPackaged: true, execPath: '/x' })).toBe(true);
    expect(packaged.registered).toEqual([['congvu']]);
    const dev = fakeApp(true);
    expect(registerProtocolClient(dev.app, { isPackaged: false, execPath: '/electron', entry: '/repo/dist/electron' })).toBe(false);
    expect(registerProtocolClient(dev.app, { isPackaged: false, execPath: '/electron', entry: '/repo/dist/electron', force: true })).toBe(true);
    expect(dev.registered).toEqual([['congvu', '/electron', ['/repo/dist/electron']]]);
  });
});

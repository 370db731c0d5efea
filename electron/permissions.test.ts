/**
 * The permission handlers, installed on a fake Session (Electron's binary cannot run on our
 * machines; the fake keeps the handlers so the test can call them as Chromium would).
 */
import { describe, expect, it } from 'vitest';
import { installPermissionHandlers, isPermissionAllowed, type PermissionSession } from './permissions.ts';

const APP = 'congvu-app://app';

function fakeSession() {
  const handlers: Partial<{
    request: Parameters<PermissionSession['setPermissionRequestHandler']>[0];
    check: Parameters<PermissionSession['setPermissionCheckHandler']>[0];
    device: Parameters<PermissionSession['setDevicePermissionHandler']>[0];
  }> = {};
  const session: PermissionSession = {
    setPermissionRequestHandler: (handler) => void (handlers.request = handler),
    setPermissionCheckHandler: (handler) => void (handlers.check = handler),
    setDevicePermissionHandler: (handler) => void (handlers.device = handler),
  };
  const request = (permission: string, requestingUrl: string) => {
    let granted: boolean | undefined;
    handlers.request!(null, permission, (answer) => (granted = answer), { requestingUrl });
    return granted;
  };
  return { session, handlers, request };
}

describe('permissions', () => {
  it('grants notifications and clipboard writes to the app', () => {
    const { session, request, handlers } = fakeSession();
    installPermissionHandlers(session, APP);
    expect(request('notifications', 'congvu-app://app/documents')).toBe(true);
    expect(request('clipboard-sanitized-write', 'congvu-app://app/documents/1')).toBe(true);
    expect(handlers.check!(null, 'notifications', APP)).toBe(true);
  });

  it('refuses everything else, even to the app', () => {
    const { session, request, handlers } = fakeSession();
    const denied: string[] = [];
    installPermissionHandlers(session, APP, (permission) => denied.push(permission));
    const others = ['media', 'geolocation', 'midi', 'midiSysex', 'pointerLock', 'fullscreen', 'openExternal', 'clipboard-read', 'display-capture', 'hid', 'serial', 'usb', 'idle-detection', 'window-management', 'unknown'];
    for (const permission of others) {
      expect(request(permission, 'congvu-app://app/'), permission).toBe(false);
      expect(handlers.check!(null, permission, APP), permission).toBe(false);
    }
    expect(denied).toEqual(others);
    expect(handlers.device!()).toBe(false);
  });

  it('refuses even allowed permissions to other origins', () => {
    const { session, request, handlers } = fakeSession();
    installPermissionHandlers(session, APP);
    expect(request('notifications', 'https://attacker.com/')).toBe(false);
    expect(request('notifications', 'http://127.0.0.1:8787/')).toBe(false);
    expect(request('notifications', '')).toBe(false);
    expect(handlers.check!(null, 'notifications', 'https://attacker.com')).toBe(false);
    expect(isPermissionAllowed('notifications', 'congvu-app://app.attacker.com/', APP)).toBe(false);
  });
});

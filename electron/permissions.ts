/**
 * Which web permissions the app's pages get: notifications and writing to the clipboard
 * (copying from the editor), and only for the app's own origin. Everything else (camera,
 * microphone, geolocation, MIDI, HID/USB/serial devices, screen capture, opening external
 * protocols from the page, …) is refused, both when a page asks and when it only checks
 * (Electron grants everything by default; security checklist "handle permission requests").
 */
import { originOf } from './navigation.ts';

export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications', 'clipboard-sanitized-write']);

export function isPermissionAllowed(permission: string, requestingUrl: string, appOrigin: string): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && originOf(requestingUrl) === appOrigin.toLowerCase();
}

/** The part of Electron's Session the handlers are installed on. */
export interface PermissionSession {
  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl?: string }) => void,
  ): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string, requestingOrigin: string) => boolean): void;
  setDevicePermissionHandler(handler: () => boolean): void;
}

export function installPermissionHandlers(session: PermissionSession, appOrigin: string, onDenied?: (permission: string, origin: string) => void): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const url = details.requestingUrl ?? '';
    const granted = isPermissionAllowed(permission, url, appOrigin);
    if (!granted) onDenied?.(permission, url);
    callback(granted);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionAllowed(permission, requestingOrigin, appOrigin));
  session.setDevicePermissionHandler(() => false);
}

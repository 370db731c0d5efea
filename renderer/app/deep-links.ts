/**
 * Links the system asks the app to open (`congvu://doc/<id>` in the desktop app, a notification's
 * link in either) become in-page navigations to their route (common/ipc.ts `appRouteOf`). Once
 * this listener is registered, the desktop shell sends links as events instead of reloading the
 * page. Without a session the route is kept and shown after signing in.
 */
import { useEffect } from 'react';
import { appRouteOf } from '../../common/ipc.ts';
import { currentPlatform } from '../platform/platform.ts';
import { navigate } from './router.tsx';

export function useDeepLinkNavigation(): void {
  useEffect(() => currentPlatform().onDeepLink((link) => navigate(appRouteOf(link))), []);
}

/**
 * The app: the login form without a session, the workspace shell with one. The Workspace lives
 * outside React (created once per session, stopped on sign-out), so StrictMode's double
 * invocations never create or stop it twice.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { LoginResponse } from '../../common/api.ts';
import { Workspace } from '../sync/workspace.ts';
import { clearSession, loadSession, saveSession, type StoredSession } from './auth.ts';
import { useDeepLinkNavigation } from './deep-links.ts';
import { LoginPage } from './LoginPage.tsx';
import { navigate, useRoute } from './router.tsx';
import { Shell } from './Shell.tsx';
import { WorkspaceContext } from './workspace-context.tsx';

let current: { readonly key: string; readonly workspace: Workspace } | null = null;

function workspaceFor(session: StoredSession, syncUrl: string): Workspace {
  const key = session.user.id;
  if (current?.key === key) {
    current.workspace.setToken(session.token);
    return current.workspace;
  }
  current?.workspace.stop();
  const workspace = new Workspace({ user: session.user, token: session.token, baseUrl: location.origin, syncUrl });
  void workspace.start();
  current = { key, workspace };
  return workspace;
}

/** `syncUrl`: the sync server's y-websocket URL, from the platform (renderer/platform). */
export function App({ syncUrl }: { readonly syncUrl: string }) {
  const [session, setSession] = useState<StoredSession | null>(loadSession);
  const route = useRoute();
  const workspace = session ? workspaceFor(session, syncUrl) : null;
  useDeepLinkNavigation();
  const authExpired = useSyncExternalStore(
    workspace?.subscribe ?? noopSubscribe,
    () => workspace?.status.authExpired ?? false,
  );

  useEffect(() => {
    if (session && route.name === 'login') {
      const next = new URLSearchParams(location.search).get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/documents', { replace: true });
    }
  }, [session, route.name]);

  const onLoggedIn = (login: LoginResponse) => {
    const stored: StoredSession = { token: login.token, user: login.user, expiresAt: login.expiresAt };
    saveSession(stored);
    setSession(stored);
  };

  const onSignOut = () => {
    current?.workspace.stop();
    current = null;
    clearSession();
    setSession(null);
    navigate('/login', { replace: true });
  };

  if (!session || !workspace || authExpired) {
    return <LoginPage onLoggedIn={onLoggedIn} expired={authExpired} knownUser={session?.user.username} />;
  }
  return (
    <WorkspaceContext.Provider value={workspace}>
      <Shell route={route} onSignOut={onSignOut} />
    </WorkspaceContext.Provider>
  );
}

const noopSubscribe = (): (() => void) => () => {};

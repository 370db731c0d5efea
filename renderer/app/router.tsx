/**
 * History API routing for the routes of CONTRACT.md ("Web app"): /login, /documents,
 * /documents/<id>, /boards/<id>, /tasks, /approvals, and /settings. No hash: every route is a real address the
 * server (and, offline, the service worker) answers with the app.
 */
import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

export type Route =
  | { readonly name: 'login' }
  | { readonly name: 'documents'; readonly view: DocumentsView; readonly query: string }
  | { readonly name: 'document'; readonly id: string }
  | { readonly name: 'board'; readonly id: string }
  | { readonly name: 'tasks' }
  | { readonly name: 'approvals' }
  | { readonly name: 'settings' }
  | { readonly name: 'notFound' };

export type DocumentsView = 'all' | 'mine' | 'shared' | 'agency';

const NAVIGATE_EVENT = 'congvu:navigate';

export function parseRoute(pathname: string, search: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  const params = new URLSearchParams(search);
  if (path === '/login') return { name: 'login' };
  if (path === '/' || path === '/documents') {
    const view = params.get('view');
    return {
      name: 'documents',
      view: view === 'mine' || view === 'shared' || view === 'agency' ? view : 'all',
      query: params.get('q') ?? '',
    };
  }
  const doc = /^\/documents\/([^/]+)$/.exec(path);
  if (doc) return { name: 'document', id: decodeURIComponent(doc[1]) };
  const board = /^\/boards\/([^/]+)$/.exec(path);
  if (board) return { name: 'board', id: decodeURIComponent(board[1]) };
  if (path === '/tasks') return { name: 'tasks' };
  if (path === '/approvals') return { name: 'approvals' };
  if (path === '/settings') return { name: 'settings' };
  return { name: 'notFound' };
}

export function navigate(to: string, options: { readonly replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

function subscribe(callback: () => void): () => void {
  window.addEventListener('popstate', callback);
  window.addEventListener(NAVIGATE_EVENT, callback);
  return () => {
    window.removeEventListener('popstate', callback);
    window.removeEventListener(NAVIGATE_EVENT, callback);
  };
}

const currentHref = (): string => location.pathname + location.search;

export function useLocationHref(): string {
  return useSyncExternalStore(subscribe, currentHref);
}

export function useRoute(): Route {
  const href = useLocationHref();
  const url = new URL(href, 'http://x');
  return parseRoute(url.pathname, url.search);
}

/** An ordinary link (keyboard, middle-click and screen readers work) that routes in-page. */
export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { readonly href: string }) {
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={handle} {...rest} />;
}

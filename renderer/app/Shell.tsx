/**
 * The workspace frame: top bar (app, search, sync indicator, language, user and agency), the
 * sidebar, and the page of the current route.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApprovalsNavItem } from '../approvals/ApprovalsNavItem.tsx';
import { ApprovalsPage } from '../approvals/ApprovalsPage.tsx';
import { BoardNav } from '../boards/BoardNav.tsx';
import { BoardPage } from '../boards/BoardPage.tsx';
import { DocumentListPage } from '../documents/DocumentListPage.tsx';
import { DocumentPage } from '../documents/DocumentPage.tsx';
import { useT } from '../i18n/i18n.tsx';
import { SettingsPage } from '../settings/SettingsPage.tsx';
import { getKv } from '../store/db.ts';
import { TaskReminders } from '../tasks/TaskReminders.tsx';
import { TasksPage } from '../tasks/TasksPage.tsx';
import { Emblem } from './Emblem.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { Link, navigate, type Route } from './router.tsx';
import { SyncIndicator } from './SyncIndicator.tsx';
import { useLiveQuery, useWorkspace } from './workspace-context.tsx';

export function Shell({ route, onSignOut }: { readonly route: Route; readonly onSignOut: () => void }) {
  const t = useT();
  const workspace = useWorkspace();
  const directory = useLiveQuery(() => getKv(workspace.db, 'directory'), [workspace]);
  const agency = directory?.agencies.find((a) => a.id === workspace.user.agencyId);
  const mainRef = useRef<HTMLElement>(null);
  const routeKey = route.name === 'document' || route.name === 'board' ? `${route.name}:${route.id}` : route.name;

  // Move focus to the page on navigation, so screen readers start at the new content.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (route.name !== 'document') mainRef.current?.focus({ preventScroll: true });
  }, [routeKey, route.name]);

  const signOut = () => {
    // Read at the click: the status changes while typing, and the shell does not re-render for it.
    const { waiting } = workspace.status;
    if (waiting > 0 && !window.confirm(t.shell.signOutWaiting(waiting))) return;
    onSignOut();
  };

  const view = route.name === 'documents' ? route.view : null;
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t.skipToContent}
      </a>
      <header className="topbar">
        <Link href="/documents" className="brand">
          <Emblem size={32} />
          <span className="brand-name">{t.appName}</span>
        </Link>
        <SearchBox initial={route.name === 'documents' ? route.query : ''} />
        <div className="topbar-end">
          <SyncIndicator />
          <LanguageSwitch />
          <div className="user-block">
            <span className="user-name">{workspace.user.displayName}</span>
            <span className="user-agency">{agency?.name ?? workspace.user.agencyId}</span>
          </div>
          <button type="button" className="button button-ghost button-small" onClick={signOut}>
            {t.shell.signOut}
          </button>
        </div>
      </header>
      <div className="layout">
        <nav className="sidebar" aria-label={t.shell.navLabel}>
          <p className="nav-heading" id="nav-documents">
            {t.shell.documents}
          </p>
          <ul aria-labelledby="nav-documents">
            <NavItem href="/documents" current={view === 'all'} label={t.shell.docsAll} />
            <NavItem href="/documents?view=mine" current={view === 'mine'} label={t.shell.docsMine} />
            <NavItem href="/documents?view=shared" current={view === 'shared'} label={t.shell.docsShared} />
            <NavItem href="/documents?view=agency" current={view === 'agency'} label={t.shell.docsAgency} />
          </ul>
          <ul className="nav-secondary">
            <NavItem href="/tasks" current={route.name === 'tasks'} label={t.shell.tasks} />
            <ApprovalsNavItem current={route.name === 'approvals'} />
          </ul>
          <BoardNav route={route} />
          <ul className="nav-secondary">
            <NavItem href="/settings" current={route.name === 'settings'} label={t.settings.nav} />
          </ul>
        </nav>
        <main id="main" ref={mainRef} tabIndex={-1} className="main">
          <TaskReminders />
          <RoutePage route={route} />
        </main>
      </div>
    </div>
  );
}

function NavItem({ href, current, label }: { readonly href: string; readonly current: boolean; readonly label: string }) {
  return (
    <li>
      <Link href={href} className="nav-link" aria-current={current ? 'page' : undefined}>
        {label}
      </Link>
    </li>
  );
}

function SearchBox({ initial }: { readonly initial: string }) {
  const t = useT();
  const [value, setValue] = useState(initial);
  useEffect(() => setValue(initial), [initial]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const q = value.trim();
    navigate(q ? `/documents?q=${encodeURIComponent(q)}` : '/documents');
  };
  return (
    <form role="search" className="search" onSubmit={submit}>
      <label htmlFor="global-search" className="visually-hidden">
        {t.shell.search}
      </label>
      <svg className="search-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
        <circle cx="8.5" cy="8.5" r="5.5" fill="none" stroke="currentColor" strokeWidth="2" />
        <path d="M13 13l4.5 4.5" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
      </svg>
      <input
        id="global-search"
        type="search"
        placeholder={t.shell.searchPlaceholder}
        value={value}
        onChange={(e) => setValue(e.target.value)}
      />
    </form>
  );
}

function RoutePage({ route }: { readonly route: Route }) {
  const t = useT();
  switch (route.name) {
    case 'documents':
      return <DocumentListPage view={route.view} query={route.query} />;
    case 'document':
      return <DocumentPage key={route.id} id={route.id} />;
    case 'board':
      return <BoardPage key={route.id} id={route.id} />;
    case 'tasks':
      return <TasksPage />;
    case 'approvals':
      return <ApprovalsPage />;
    case 'settings':
      return <SettingsPage />;
    case 'login':
      return null;
    case 'notFound':
      return (
        <section className="page">
          <h1>{t.notFound.title}</h1>
          <Link href="/documents">{t.notFound.back}</Link>
        </section>
      );
  }
}

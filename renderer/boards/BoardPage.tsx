/**
 * /boards/<id>: a task board from the local store (fetched from the API when it is not there yet),
 * live on the relay while open. Two views of the same tasks, a kanban board and a sortable list
 * (`?view=list`), one set of filters (assignee, due date, status, words), the task dialog
 * (`?task=<id>` opens it, which is how "Việc của tôi" links to a task), and the members dialog.
 *
 * Opening is two steps, so that a board of thousands of tasks shows at once: the cards are drawn
 * from the local task index first (a plain indexed read), the board's Y.Doc is loaded right after
 * that frame, and from then on everything is live and editable (`data-board-state`: preview, ready).
 */
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { localIsoDate, moveTask, type BoardView, type TaskView } from '../../common/board.ts';
import { canWriteBoard } from '../../common/board-access.ts';
import { Link, navigate, useLocationHref } from '../app/router.tsx';
import { SaveStateText } from '../app/SaveStateText.tsx';
import { useLiveQuery, useWorkspace, useWorkspaceStatus } from '../app/workspace-context.tsx';
import { useT } from '../i18n/i18n.tsx';
import { getKv, type LocalBoard } from '../store/db.ts';
import type { BoardSession } from './board-session.ts';
import { useBoardSession } from './board-slot.ts';
import { filterTasks, isFiltering, NO_FILTER, type TaskFilter } from './filters.ts';
import { KanbanView } from './KanbanView.tsx';
import { ListView } from './ListView.tsx';
import { MembersDialog } from './MembersDialog.tsx';
import { boardPeople, nameIn } from './people.ts';
import { groupByColumn, summaryFromIndex, summaryOf, type BoardSummary } from './summary.ts';
import { storedBoardView } from './task-index.ts';
import { TaskDialog } from './TaskDialog.tsx';

export function BoardPage({ id }: { readonly id: string }) {
  const t = useT();
  const workspace = useWorkspace();
  const record = useLiveQuery(async () => (await workspace.db.boards.get(id)) ?? null, [workspace, id]);
  const [fetchState, setFetchState] = useState<'idle' | 'fetching' | 'missing'>('idle');
  // The stored view is read at once, beside the record, for the first frame of the board.
  const [storedView] = useState(() => storedBoardView(workspace.db, id));

  useEffect(() => {
    if (record !== null || fetchState !== 'idle') return;
    setFetchState('fetching');
    void workspace.fetchBoard(id).then((board) => setFetchState(board ? 'idle' : 'missing'));
  }, [record, fetchState, workspace, id]);

  useEffect(() => {
    if (record) document.title = `${record.title} · ${t.appName}`;
    return () => {
      document.title = t.appName;
    };
  }, [record, t]);

  if (record === undefined || (record === null && fetchState !== 'missing')) {
    return (
      <section className="page" data-board-state="loading">
        <p className="muted" role="status" aria-live="polite">
          {t.boards.loading}
        </p>
      </section>
    );
  }
  if (record === null) {
    return (
      <section className="page">
        <h1>{t.boards.notFound}</h1>
        <Link href="/documents">{t.boards.back}</Link>
      </section>
    );
  }
  const readOnly = !canWriteBoard(record.role);
  return <OpenBoard key={`${record.id}:${readOnly}`} record={record} readOnly={readOnly} storedView={storedView} />;
}

type StoredView = ReturnType<typeof storedBoardView>;

function OpenBoard({ record, readOnly, storedView }: { readonly record: LocalBoard; readonly readOnly: boolean; readonly storedView: StoredView }) {
  const workspace = useWorkspace();
  const session = useBoardSession(workspace, record.id, readOnly);
  if (!session) return null;
  return <BoardScreen record={record} readOnly={readOnly} session={session} storedView={storedView} />;
}

type ViewMode = 'board' | 'list';

function BoardScreen({
  record,
  readOnly,
  session,
  storedView,
}: {
  readonly record: LocalBoard;
  readonly readOnly: boolean;
  readonly session: BoardSession;
  readonly storedView: StoredView;
}) {
  const t = useT();
  const workspace = useWorkspace();
  const status = useWorkspaceStatus();
  const snapshot = useSyncExternalStore(session.subscribe, () => session.snapshot);
  const board: BoardView = useMemo(() => session.view, [session, snapshot.version]);
  const [preview, setPreview] = useState<BoardSummary | undefined>(undefined);
  const live: BoardSummary | undefined = useMemo(
    () => (snapshot.loaded ? { columns: board.columns, tasks: board.tasks.map(summaryOf) } : undefined),
    [snapshot.loaded, board],
  );
  const shown = live ?? preview;
  const directory = useLiveQuery(() => getKv(workspace.db, 'directory'), [workspace]);
  const href = useLocationHref();
  const params = new URL(href, 'http://x').searchParams;
  const mode: ViewMode = params.get('view') === 'list' ? 'list' : 'board';
  const openTaskId = params.get('task');
  const [filter, setFilter] = useState<TaskFilter>(NO_FILTER);
  const [membersOpen, setMembersOpen] = useState(false);
  const [addingIn, setAddingIn] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const returnFocus = useRef<string | null>(null);
  const me = workspace.user;
  const today = localIsoDate(new Date());
  const nameOf = useMemo(() => nameIn(directory, me), [directory, me]);
  const people = useMemo(() => boardPeople(record.ownerId, record.members, directory, me), [record.ownerId, record.members, directory, me]);

  useEffect(() => {
    if (status.reachability === 'online' && !record.pendingCreate) void workspace.refreshBoardMembers(record.id);
  }, [workspace, record.id, record.pendingCreate, status.reachability]);

  // Step 1: the board as the task index last saw it (one read), unless the Y.Doc is already loaded.
  useEffect(() => {
    if (session.snapshot.loaded) return;
    let cancelled = false;
    void storedView.then((stored) => {
      if (!cancelled) setPreview(summaryFromIndex(stored?.rows ?? [], stored?.columns));
    });
    return () => {
      cancelled = true;
    };
  }, [session, storedView]);

  // Step 2, once the preview is on screen: load the Y.Doc (hundreds of milliseconds for thousands
  // of tasks) and connect.
  const previewReady = preview !== undefined;
  useEffect(() => {
    if (!previewReady) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => void session.start(), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [session, previewReady]);

  const columns = shown?.columns ?? board.columns;
  const visible = useMemo(() => (shown ? filterTasks(shown.tasks, shown.columns, filter, me.id, today) : []), [shown, filter, me.id, today]);
  const byColumn = useMemo(() => groupByColumn(columns, visible), [columns, visible]);
  const editable = !readOnly && snapshot.loaded;
  const openTask: TaskView | undefined = openTaskId ? board.tasks.find((task) => task.id === openTaskId) : undefined;

  const setParam = (name: string, value: string | null, replace = false) => {
    const url = new URL(href, 'http://x');
    if (value === null) url.searchParams.delete(name);
    else url.searchParams.set(name, value);
    navigate(url.pathname + url.search, { replace });
  };
  const openTaskDialog = (taskId: string) => {
    returnFocus.current = taskId;
    setParam('task', taskId);
    // The assignee list follows the members the owner may just have added.
    if (status.reachability === 'online' && !record.pendingCreate) void workspace.refreshBoardMembers(record.id);
  };
  const closeTaskDialog = () => {
    setParam('task', null, true);
    const taskId = returnFocus.current;
    // Back to the card (or row) the dialog was opened from, once the dialog has gone.
    setTimeout(() => {
      if (taskId) document.querySelector<HTMLElement>(`[data-task-id="${taskId}"]`)?.focus();
    }, 0);
  };

  const moveTo = (task: TaskView, column: string) => {
    if (readOnly || task.column === column) return;
    moveTask(session.ydoc, task.id, { column });
    const title = board.columns.find((c) => c.id === column)?.title ?? column;
    setAnnouncement(t.boards.moved(task.title, title));
  };

  return (
    <section className="page board-page" aria-labelledby="board-title" data-board-state={snapshot.loaded ? 'ready' : preview ? 'preview' : 'loading'}>
      <div className="page-header board-header">
        <div>
          <h1 id="board-title">{record.title}</h1>
          <p className="board-meta small">
            <span className="role-badge">{t.boards.role[record.role]}</span>
            <BoardSyncInfo session={session} pendingCreate={record.pendingCreate === true} refused={record.refused} />
          </p>
        </div>
        <div className="board-actions">
          {!readOnly && (
            <button type="button" className="button button-primary" aria-disabled={!editable} onClick={() => editable && setAddingIn(columns[0]?.id ?? null)}>
              <span aria-hidden="true" className="button-icon">
                +
              </span>
              {t.boards.column.add}
            </button>
          )}
          <button type="button" className="button button-secondary" onClick={() => setMembersOpen(true)}>
            {t.boards.members.button}
          </button>
        </div>
      </div>
      {readOnly && (
        <p className="notice" role="note">
          {t.boards.readOnly}
        </p>
      )}
      {snapshot.problem && (
        <p className="notice notice-danger" role="alert">
          {t.sync.problem[snapshot.problem]}
        </p>
      )}
      <div className="board-toolbar">
        <nav className="view-switch" aria-label={t.boards.views.label}>
          <Link href={`/boards/${record.id}`} className="view-tab" aria-current={mode === 'board' ? 'page' : undefined}>
            {t.boards.views.board}
          </Link>
          <Link href={`/boards/${record.id}?view=list`} className="view-tab" aria-current={mode === 'list' ? 'page' : undefined}>
            {t.boards.views.list}
          </Link>
        </nav>
        <FilterBar filter={filter} onChange={setFilter} columns={columns} people={people} />
        <p className="muted small board-count" aria-live="polite">
          {shown ? t.boards.shown(visible.length, shown.tasks.length) : ''}
        </p>
      </div>
      {!shown ? (
        <p className="muted">{t.boards.loading}</p>
      ) : mode === 'board' ? (
        <KanbanView
          columns={columns}
          byColumn={byColumn}
          filtered={isFiltering(filter)}
          editable={editable}
          session={session}
          today={today}
          nameOf={nameOf}
          addingIn={addingIn}
          onAddingIn={setAddingIn}
          onOpen={openTaskDialog}
          onAnnounce={setAnnouncement}
        />
      ) : (
        <ListView columns={columns} tasks={visible} today={today} nameOf={nameOf} onOpen={openTaskDialog} />
      )}
      <p className="visually-hidden" aria-live="polite" aria-atomic="true">
        {announcement}
      </p>
      {openTaskId && (
        <TaskDialog
          key={openTaskId}
          task={openTask}
          loading={!snapshot.loaded}
          board={board}
          session={session}
          readOnly={readOnly}
          people={people}
          nameOf={nameOf}
          today={today}
          onMove={moveTo}
          onClose={closeTaskDialog}
          onAnnounce={setAnnouncement}
        />
      )}
      {membersOpen && <MembersDialog record={record} nameOf={nameOf} onClose={() => setMembersOpen(false)} />}
    </section>
  );
}

function FilterBar({
  filter,
  onChange,
  columns,
  people,
}: {
  readonly filter: TaskFilter;
  readonly onChange: (filter: TaskFilter) => void;
  readonly columns: readonly { readonly id: string; readonly title: string }[];
  readonly people: readonly { readonly id: string; readonly displayName: string }[];
}) {
  const t = useT();
  const f = t.boards.filters;
  const set = (patch: Partial<TaskFilter>) => onChange({ ...filter, ...patch });
  return (
    <div className="filter-bar" role="group" aria-label={f.label}>
      <div className="filter-field">
        <label htmlFor="filter-assignee">{f.assignee}</label>
        <select id="filter-assignee" value={filter.assignee} onChange={(e) => set({ assignee: e.target.value })}>
          <option value="all">{f.anyone}</option>
          <option value="me">{f.me}</option>
          <option value="none">{f.unassigned}</option>
          {people.map((p) => (
            <option key={p.id} value={p.id}>
              {p.displayName}
            </option>
          ))}
        </select>
      </div>
      <div className="filter-field">
        <label htmlFor="filter-due">{f.due}</label>
        <select id="filter-due" value={filter.due} onChange={(e) => set({ due: e.target.value as TaskFilter['due'] })}>
          <option value="all">{f.anyDue}</option>
          <option value="overdue">{f.overdue}</option>
          <option value="today">{f.today}</option>
          <option value="week">{f.week}</option>
          <option value="none">{f.noDue}</option>
        </select>
      </div>
      <div className="filter-field">
        <label htmlFor="filter-status">{f.status}</label>
        <select id="filter-status" value={filter.status} onChange={(e) => set({ status: e.target.value })}>
          <option value="all">{f.anyStatus}</option>
          {columns.map((c) => (
            <option key={c.id} value={c.id}>
              {c.title}
            </option>
          ))}
        </select>
      </div>
      <div className="filter-field filter-search">
        <label htmlFor="filter-query">{f.search}</label>
        <input id="filter-query" type="search" value={filter.query} placeholder={f.searchPlaceholder} onChange={(e) => set({ query: e.target.value })} />
      </div>
      {isFiltering(filter) && (
        <button type="button" className="button button-ghost button-small filter-clear" onClick={() => onChange(NO_FILTER)}>
          {f.clear}
        </button>
      )}
    </div>
  );
}

function BoardSyncInfo({ session, pendingCreate, refused }: { readonly session: BoardSession; readonly pendingCreate: boolean; readonly refused?: string }) {
  const t = useT();
  const snapshot = useSyncExternalStore(session.subscribe, () => session.snapshot);
  if (refused) return <span className="text-danger">{t.boards.refused(refused)}</span>;
  const at = snapshot.lastServerAt ? new Date(snapshot.lastServerAt) : null;
  const live = snapshot.status === 'connected' && snapshot.synced;
  return (
    <span className="doc-sync">
      <SaveStateText persistence={session.persistence} />
      <span aria-hidden="true"> · </span>
      {live ? (
        <span className="text-success">{t.sync.live}</span>
      ) : pendingCreate ? (
        <span className="text-warning">{t.boards.pendingCreate}</span>
      ) : at ? (
        <span>{t.sync.lastServer(`${t.date.time(at)}, ${t.date.short(at)}`)}</span>
      ) : (
        <span>{t.sync.neverServer}</span>
      )}
    </span>
  );
}

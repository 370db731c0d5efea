/**
 * "Việc của tôi": the tasks assigned to the user on every board, read from the local task index
 * (renderer/boards/task-index.ts), so the list is there offline and after a reload with no
 * network; grouped by urgency, overdue and due-today highlighted. Above them, the documents waiting
 * for the user's decision in the approval procedure ("Chờ tôi xử lý", from GET /api/approvals,
 * kept in the local store): a submission puts "review <document>" here, and it leaves once decided.
 */
import { useEffect } from 'react';
import type { ApprovalItem } from '../../common/api.ts';
import { localIsoDate } from '../../common/board.ts';
import { Link } from '../app/router.tsx';
import { useLiveQuery, useWorkspace } from '../app/workspace-context.tsx';
import { DueBadge, PriorityBadge } from '../boards/task-parts.tsx';
import { tasksAssignedTo } from '../boards/task-index.ts';
import { useT } from '../i18n/i18n.tsx';
import { getKv, type TaskIndexRow } from '../store/db.ts';
import { GROUP_ORDER, groupMyTasks, type MyTaskGroup } from './my-tasks.ts';

export function TasksPage() {
  const t = useT();
  const workspace = useWorkspace();
  const rows = useLiveQuery(() => tasksAssignedTo(workspace.db, workspace.user.id), [workspace]);
  const boards = useLiveQuery(() => workspace.db.boards.toArray(), [workspace]);
  const approvals = useLiveQuery(async () => (await getKv(workspace.db, 'approvals')) ?? null, [workspace]);
  const today = localIsoDate(new Date());

  useEffect(() => {
    void workspace.refreshApprovals();
  }, [workspace]);

  const boardTitle = new Map((boards ?? []).map((b) => [b.id, b.title]));
  const groups = groupMyTasks(rows ?? [], today);
  const open = (rows ?? []).filter((r) => !r.done).length;

  return (
    <section className="page tasks-page" aria-labelledby="tasks-title">
      <div className="page-header">
        <div>
          <h1 id="tasks-title">{t.tasks.title}</h1>
          <p className="muted small">{rows ? `${t.tasks.count(open)} · ${t.tasks.intro}` : t.tasks.intro}</p>
        </div>
      </div>

      <section className="task-group" aria-labelledby="approvals-heading">
        <h2 id="approvals-heading" className="group-title">
          {t.tasks.approvals}
        </h2>
        {approvals === undefined ? null : approvals === null ? (
          <p className="muted small">{t.tasks.approvalsUnknown}</p>
        ) : approvals.items.length === 0 ? (
          <p className="muted small">{t.tasks.noApprovals}</p>
        ) : (
          <ul className="my-task-list">
            {approvals.items.map((item) => (
              <ApprovalRow key={`${item.document.id}:${item.action === 'decide' ? item.roundId : 'issue'}`} item={item} />
            ))}
          </ul>
        )}
      </section>

      {rows !== undefined && rows.length === 0 && <p className="empty-state">{t.tasks.empty}</p>}
      {GROUP_ORDER.map((group) => {
        const list = groups.get(group) ?? [];
        if (list.length === 0) return null;
        return (
          <section key={group} className={`task-group task-group-${group}`} aria-labelledby={`group-${group}`}>
            <h2 id={`group-${group}`} className="group-title">
              {t.tasks.groups[group]} <span className="group-count">({list.length})</span>
            </h2>
            <ul className="my-task-list">
              {list.map((row) => (
                <MyTaskRow key={row.taskId} row={row} group={group} boardTitle={boardTitle.get(row.boardId)} />
              ))}
            </ul>
          </section>
        );
      })}
    </section>
  );
}

function MyTaskRow({ row, group, boardTitle }: { readonly row: TaskIndexRow; readonly group: MyTaskGroup; readonly boardTitle: string | undefined }) {
  const t = useT();
  const state = group === 'overdue' || group === 'today' ? group : group === 'upcoming' ? 'upcoming' : null;
  return (
    <li className={`my-task${group === 'overdue' ? ' task-overdue' : group === 'today' ? ' task-due-today' : ''}`} data-task-id={row.taskId}>
      <div className="my-task-main">
        <Link href={`/boards/${row.boardId}?task=${row.taskId}`} className="my-task-title">
          {row.title}
        </Link>
        <span className="muted small">
          {boardTitle ? t.tasks.onBoard(boardTitle) : t.tasks.unknownBoard} · {row.columnTitle}
        </span>
        {row.links.length > 0 && (
          <span className="small my-task-links">
            {row.links.map((link) => (
              <Link key={link.documentId} href={`/documents/${link.documentId}`}>
                {link.title || link.documentId}
              </Link>
            ))}
          </span>
        )}
      </div>
      <div className="my-task-side">
        {row.due && <DueBadge due={row.due} state={state} />}
        <PriorityBadge priority={row.priority} />
      </div>
    </li>
  );
}

function ApprovalRow({ item }: { readonly item: ApprovalItem }) {
  const t = useT();
  const kind = item.action === 'decide' ? t.tasks.approvalKind[item.kind] : t.tasks.approvalKind.issue;
  const submitted = item.action === 'decide' ? new Date(item.submittedAt) : null;
  return (
    <li className="my-task my-approval">
      <div className="my-task-main">
        <Link href={`/documents/${item.document.id}`} className="my-task-title">
          {t.tasks.approvalItem(kind, item.document.title)}
        </Link>
        {submitted && <span className="muted small">{t.tasks.submittedOn(t.date.long(submitted))}</span>}
      </div>
      <div className="my-task-side">
        <span className={`status-badge status-${item.document.status}`}>{t.documents.status[item.document.status]}</span>
      </div>
    </li>
  );
}

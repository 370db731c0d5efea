/**
 * The list view of a board: the same (filtered) tasks as a table, sortable by name, status,
 * assignees, due date or priority through buttons in the column headers (`aria-sort` says how it
 * is sorted). Each name is a button that opens the task.
 */
import { useMemo, useState } from 'react';
import { dueState, type ColumnView } from '../../common/board.ts';
import { useT } from '../i18n/i18n.tsx';
import { sortTasks, type SortDirection, type SortKey } from './filters.ts';
import type { TaskSummary } from './summary.ts';
import { DueBadge, PriorityBadge } from './task-parts.tsx';

const ROWS_PER_PAGE = 200;

export function ListView({
  columns: boardColumns,
  tasks,
  today,
  nameOf,
  onOpen,
}: {
  readonly columns: readonly ColumnView[];
  readonly tasks: readonly TaskSummary[];
  readonly today: string;
  readonly nameOf: (userId: string) => string;
  readonly onOpen: (taskId: string) => void;
}) {
  const t = useT();
  const [sort, setSort] = useState<{ key: SortKey; direction: SortDirection }>({ key: 'board', direction: 'ascending' });
  const [limit, setLimit] = useState(ROWS_PER_PAGE);
  const sorted = useMemo(() => sortTasks(tasks, sort.key, sort.direction, boardColumns, nameOf), [tasks, sort, boardColumns, nameOf]);
  const columns = new Map(boardColumns.map((c) => [c.id, c]));

  const header = (key: SortKey, label: string) => {
    const active = sort.key === key;
    const toggle = () =>
      setSort(active ? { key, direction: sort.direction === 'ascending' ? 'descending' : 'ascending' } : { key, direction: 'ascending' });
    return (
      <th scope="col" aria-sort={active ? sort.direction : 'none'}>
        <button type="button" className="sort-button" onClick={toggle}>
          {label}
          <span aria-hidden="true" className="sort-arrow">
            {active ? (sort.direction === 'ascending' ? '▲' : '▼') : '↕'}
          </span>
        </button>
      </th>
    );
  };

  if (tasks.length === 0) return <p className="empty-state">{t.boards.list.empty}</p>;
  const shown = sorted.slice(0, limit);
  return (
    <>
      <table className="doc-table task-table">
        <caption className="visually-hidden">{t.boards.list.caption}</caption>
        <thead>
          <tr>
            {header('title', t.boards.list.title)}
            {header('status', t.boards.list.status)}
            {header('assignees', t.boards.list.assignees)}
            {header('due', t.boards.list.due)}
            {header('priority', t.boards.list.priority)}
          </tr>
        </thead>
        <tbody>
          {shown.map((task) => {
            const column = columns.get(task.column);
            const state = dueState(task.due, column?.done === true, today);
            return (
              <tr key={task.id} className={state === 'overdue' ? 'row-overdue' : state === 'today' ? 'row-due-today' : undefined}>
                <td className="doc-title-cell">
                  <button type="button" className="link-button" data-task-id={task.id} onClick={() => onOpen(task.id)}>
                    {task.title}
                  </button>
                </td>
                <td>
                  <span className={`status-badge${column?.done ? ' status-approved' : ''}`}>{column?.title ?? task.column}</span>
                </td>
                <td>{task.assignees.length === 0 ? <span className="muted">{t.boards.card.unassigned}</span> : task.assignees.map(nameOf).join(', ')}</td>
                <td>{task.due ? <DueBadge due={task.due} state={state} compact /> : <span className="muted">—</span>}</td>
                <td>{task.priority === 'normal' ? t.boards.priority.normal : <PriorityBadge priority={task.priority} />}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {sorted.length > shown.length && (
        <button type="button" className="button button-secondary button-small list-more" onClick={() => setLimit(limit + ROWS_PER_PAGE * 5)}>
          {t.boards.list.more(sorted.length - shown.length)}
        </button>
      )}
    </>
  );
}

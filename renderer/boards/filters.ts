/**
 * Filtering and sorting of a board's tasks for the kanban and list views: pure functions over the
 * plain values of common/board.ts, so they are fast on a board of thousands of tasks and tested
 * without a browser.
 */
import { dueState, type ColumnView, type Priority } from '../../common/board.ts';

/** What filtering and sorting look at: a live task (TaskView) and a card summary both have it. */
export interface FilterableTask {
  readonly id: string;
  readonly title: string;
  readonly column: string;
  readonly assignees: readonly string[];
  readonly due: string | null;
  readonly priority: Priority;
}

export interface TaskFilter {
  /** 'all', 'me', 'none' (unassigned) or a user id. */
  readonly assignee: string;
  readonly due: 'all' | 'overdue' | 'today' | 'week' | 'none';
  /** 'all' or a column id. */
  readonly status: string;
  readonly query: string;
}

export const NO_FILTER: TaskFilter = { assignee: 'all', due: 'all', status: 'all', query: '' };

export function isFiltering(filter: TaskFilter): boolean {
  return filter.assignee !== 'all' || filter.due !== 'all' || filter.status !== 'all' || filter.query.trim() !== '';
}

/** `YYYY-MM-DD` plus days, in the calendar (no time zone involved). */
export function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d + days));
  return date.toISOString().slice(0, 10);
}

/** Folds case and Vietnamese diacritics, so "hoan thanh" finds "Hoàn thành". */
export function searchKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLocaleLowerCase('vi');
}

export function filterTasks<T extends FilterableTask>(tasks: readonly T[], columns: readonly ColumnView[], filter: TaskFilter, me: string, today: string): T[] {
  if (!isFiltering(filter)) return [...tasks];
  const doneColumns = new Set(columns.filter((c) => c.done).map((c) => c.id));
  const query = searchKey(filter.query.trim());
  const weekEnd = addDays(today, 7);
  return tasks.filter((task) => {
    if (filter.status !== 'all' && task.column !== filter.status) return false;
    if (filter.assignee === 'me' && !task.assignees.includes(me)) return false;
    if (filter.assignee === 'none' && task.assignees.length > 0) return false;
    if (!['all', 'me', 'none'].includes(filter.assignee) && !task.assignees.includes(filter.assignee)) return false;
    if (filter.due !== 'all') {
      const state = dueState(task.due, doneColumns.has(task.column), today);
      if (filter.due === 'none' && task.due !== null) return false;
      if (filter.due === 'overdue' && state !== 'overdue') return false;
      if (filter.due === 'today' && state !== 'today') return false;
      if (filter.due === 'week' && (task.due === null || task.due < today || task.due > weekEnd)) return false;
    }
    if (query && !searchKey(task.title).includes(query)) return false;
    return true;
  });
}

export type SortKey = 'board' | 'title' | 'status' | 'assignees' | 'due' | 'priority';
export type SortDirection = 'ascending' | 'descending';

const PRIORITY_RANK: Readonly<Record<Priority, number>> = { urgent: 0, high: 1, normal: 2, low: 3 };
const vietnamese = new Intl.Collator('vi');

/**
 * Tasks sorted by one key; ties keep the board's order. Tasks without a due date or assignee go
 * last in either direction: "no date" is not earlier than every date.
 */
export function sortTasks<T extends FilterableTask>(
  tasks: readonly T[],
  key: SortKey,
  direction: SortDirection,
  columns: readonly ColumnView[],
  nameOf: (userId: string) => string,
): T[] {
  if (key === 'board') return direction === 'ascending' ? [...tasks] : [...tasks].reverse();
  const sign = direction === 'ascending' ? 1 : -1;
  const columnRank = new Map(columns.map((c, i) => [c.id, i]));
  const indexed = tasks.map((task, index) => ({ task, index }));
  const firstName = (task: T): string | null => (task.assignees.length === 0 ? null : task.assignees.map(nameOf).sort(vietnamese.compare)[0]);
  const compare = (a: T, b: T): number => {
    switch (key) {
      case 'title':
        return sign * vietnamese.compare(a.title, b.title);
      case 'status':
        return sign * (((columnRank.get(a.column) ?? 0) as number) - ((columnRank.get(b.column) ?? 0) as number));
      case 'priority':
        return sign * (PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority]);
      case 'due':
        if (a.due === b.due) return 0;
        if (a.due === null) return 1;
        if (b.due === null) return -1;
        return sign * (a.due < b.due ? -1 : 1);
      case 'assignees': {
        const [x, y] = [firstName(a), firstName(b)];
        if (x === y) return 0;
        if (x === null) return 1;
        if (y === null) return -1;
        return sign * vietnamese.compare(x, y);
      }
    }
  };
  return indexed.sort((a, b) => compare(a.task, b.task) || a.index - b.index).map((entry) => entry.task);
}

/**
 * "Việc của tôi" as groups: overdue, due today, upcoming, without a due date, done; each sorted
 * by due date then title. Pure, over rows of the local task index.
 */
import { dueState } from '../../common/board.ts';
import type { TaskIndexRow } from '../store/db.ts';

export type MyTaskGroup = 'overdue' | 'today' | 'upcoming' | 'noDue' | 'done';
export const GROUP_ORDER: readonly MyTaskGroup[] = ['overdue', 'today', 'upcoming', 'noDue', 'done'];

const vietnamese = new Intl.Collator('vi');

export function groupOf(row: TaskIndexRow, today: string): MyTaskGroup {
  if (row.done) return 'done';
  const state = dueState(row.due, false, today);
  return state === null ? 'noDue' : state;
}

export function groupMyTasks(rows: readonly TaskIndexRow[], today: string): Map<MyTaskGroup, TaskIndexRow[]> {
  const groups = new Map<MyTaskGroup, TaskIndexRow[]>(GROUP_ORDER.map((g) => [g, []]));
  for (const row of rows) groups.get(groupOf(row, today))?.push(row);
  for (const list of groups.values()) {
    list.sort((a, b) => (a.due ?? '9999').localeCompare(b.due ?? '9999') || vietnamese.compare(a.title, b.title) || a.taskId.localeCompare(b.taskId));
  }
  return groups;
}

/**
 * Due-date reminders: which of my unfinished tasks are overdue or due today and have not been
 * mentioned yet today on this device. One reminder per day per task, whatever the number of
 * windows or reloads; a task that becomes due later in the day is mentioned then.
 */
import { dueState } from '../../common/board.ts';
import type { TaskIndexRow } from '../store/db.ts';

export interface Reminder {
  readonly overdue: readonly TaskIndexRow[];
  readonly today: readonly TaskIndexRow[];
}

export interface Reminded {
  readonly day: string;
  readonly taskIds: readonly string[];
}

/** The tasks to remind about now (null when there is nothing new) and what to remember afterwards. */
export function dueReminder(rows: readonly TaskIndexRow[], today: string, reminded: Reminded | undefined): { reminder: Reminder | null; remember: Reminded } {
  const already = new Set(reminded?.day === today ? reminded.taskIds : []);
  const overdue: TaskIndexRow[] = [];
  const dueToday: TaskIndexRow[] = [];
  for (const row of rows) {
    const state = dueState(row.due, row.done, today);
    if (state === 'overdue') overdue.push(row);
    else if (state === 'today') dueToday.push(row);
  }
  const fresh = [...overdue, ...dueToday].some((row) => !already.has(row.taskId));
  const remember: Reminded = { day: today, taskIds: [...new Set([...already, ...overdue.map((r) => r.taskId), ...dueToday.map((r) => r.taskId)])] };
  return { reminder: fresh ? { overdue, today: dueToday } : null, remember };
}

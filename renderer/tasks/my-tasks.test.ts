import { describe, expect, it } from 'vitest';
import type { TaskIndexRow } from '../store/db.ts';
import { groupMyTasks } from './my-tasks.ts';
import { dueReminder } from './reminders.ts';

const row = (taskId: string, due: string | null, done = false, title = taskId): TaskIndexRow => ({
  boardId: 'b',
  taskId,
  title,
  column: done ? 'done' : 'todo',
  columnTitle: done ? 'Hoàn thành' : 'Cần làm',
  done,
  assignees: ['me'],
  due,
  priority: 'normal',
  links: [],
  order: 'V',
  checklistDone: 0,
  checklistTotal: 0,
  comments: 0,
});

describe('my tasks', () => {
  it('groups my tasks into overdue, today, upcoming, no due date and done, each by date then title', () => {
    const groups = groupMyTasks(
      [row('late2', '2026-01-03'), row('late1', '2026-01-01'), row('now', '2026-01-05'), row('soon', '2026-02-01'), row('free', null), row('old', '2025-12-01', true)],
      '2026-01-05',
    );
    expect(Object.fromEntries([...groups].map(([g, rows]) => [g, rows.map((r) => r.taskId)]))).toEqual({
      overdue: ['late1', 'late2'],
      today: ['now'],
      upcoming: ['soon'],
      noDue: ['free'],
      done: ['old'],
    });
  });
});

describe('due-date reminders', () => {
  it('reminds once a day about overdue and due-today tasks, and again for a task that becomes due', () => {
    const rows = [row('late', '2026-01-01'), row('now', '2026-01-05'), row('later', '2026-01-09'), row('finished', '2026-01-01', true)];
    const first = dueReminder(rows, '2026-01-05', undefined);
    expect(first.reminder?.overdue.map((r) => r.taskId)).toEqual(['late']);
    expect(first.reminder?.today.map((r) => r.taskId)).toEqual(['now']);
    expect(dueReminder(rows, '2026-01-05', first.remember).reminder).toBeNull();

    const withNew = [...rows, row('added', '2026-01-05')];
    const second = dueReminder(withNew, '2026-01-05', first.remember);
    expect(second.reminder?.today.map((r) => r.taskId)).toEqual(['now', 'added']);

    // The next day starts afresh.
    expect(dueReminder(rows, '2026-01-06', second.remember).reminder?.overdue.map((r) => r.taskId)).toEqual(['late', 'now']);
    expect(dueReminder([row('later', '2026-01-09')], '2026-01-05', undefined).reminder).toBeNull();
  });
});

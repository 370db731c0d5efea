/**
 * What the board views draw of a task: the fields of a card and of a list row. It comes from the
 * live Y.Doc (common/board.ts TaskView) once that is loaded, and before that from the local task
 * index, so that a board of thousands of tasks shows at once: loading its Y.Doc takes longer than
 * a glance (docs/decisions.md, "Tasks and boards").
 */
import { DEFAULT_COLUMNS, type ColumnView, type Priority, type TaskView } from '../../common/board.ts';
import { compareOrder } from '../../common/ordering.ts';
import type { TaskIndexRow } from '../store/db.ts';

export interface TaskSummary {
  readonly id: string;
  readonly title: string;
  readonly column: string;
  readonly order: string;
  readonly assignees: readonly string[];
  readonly due: string | null;
  readonly priority: Priority;
  readonly checklistDone: number;
  readonly checklistTotal: number;
  readonly comments: number;
  readonly links: number;
}

export interface BoardSummary {
  readonly columns: readonly ColumnView[];
  /** In column order, then in order within the column. */
  readonly tasks: readonly TaskSummary[];
}

export function summaryOf(task: TaskView): TaskSummary {
  return {
    id: task.id,
    title: task.title,
    column: task.column,
    order: task.order,
    assignees: task.assignees,
    due: task.due,
    priority: task.priority,
    checklistDone: task.checklist.filter((item) => item.done).length,
    checklistTotal: task.checklist.length,
    comments: task.comments.length,
    links: task.links.length,
  };
}

/** The board as the task index last saw it, in the live board's order (unknown columns read as the first). */
export function summaryFromIndex(rows: readonly TaskIndexRow[], columns: readonly ColumnView[] | undefined): BoardSummary {
  const shown = columns && columns.length > 0 ? columns : DEFAULT_COLUMNS;
  const rank = new Map(shown.map((c, i) => [c.id, i]));
  const tasks = rows.map(
    (row): TaskSummary => ({
      id: row.taskId,
      title: row.title,
      column: rank.has(row.column) ? row.column : shown[0].id,
      order: row.order ?? 'V',
      assignees: row.assignees,
      due: row.due,
      priority: row.priority,
      checklistDone: row.checklistDone ?? 0,
      checklistTotal: row.checklistTotal ?? 0,
      comments: row.comments ?? 0,
      links: row.links.length,
    }),
  );
  tasks.sort((a, b) => (rank.get(a.column) as number) - (rank.get(b.column) as number) || compareOrder(a, b));
  return { columns: shown, tasks };
}

/** Tasks by column id, each list in the given order. */
export function groupByColumn<T extends { readonly column: string }>(columns: readonly ColumnView[], tasks: readonly T[]): Map<string, T[]> {
  const byColumn = new Map<string, T[]>(columns.map((c) => [c.id, []]));
  for (const task of tasks) byColumn.get(task.column)?.push(task);
  return byColumn;
}

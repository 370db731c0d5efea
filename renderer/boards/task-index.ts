/**
 * The local index of tasks across boards (Dexie table `taskIndex`): a projection of each board's
 * Y.Doc that "Việc của tôi" and the reminders read with one indexed query, offline, without loading
 * every board. It is rewritten for a board whenever this device sees that board change (an open
 * board, a background exchange, a task made from a document), in one transaction per board.
 */
import { readBoard, type BoardView, type ColumnView } from '../../common/board.ts';
import type * as Y from 'yjs';
import type { CongvuDb, TaskIndexRow } from '../store/db.ts';

/** Local-store key (and room name) of a board's Y.Doc. */
export function boardKey(boardId: string): string {
  return `board:${boardId}`;
}

export function isBoardKey(key: string): boolean {
  return key.startsWith('board:');
}

export function taskRows(boardId: string, board: BoardView): TaskIndexRow[] {
  const columns = new Map(board.columns.map((c) => [c.id, c]));
  return board.tasks.map((task) => {
    const column = columns.get(task.column);
    return {
      boardId,
      taskId: task.id,
      title: task.title,
      column: task.column,
      columnTitle: column?.title ?? task.column,
      done: column?.done === true,
      assignees: task.assignees,
      due: task.due,
      priority: task.priority,
      links: task.links,
      order: task.order,
      checklistDone: task.checklist.filter((item) => item.done).length,
      checklistTotal: task.checklist.length,
      comments: task.comments.length,
    };
  });
}

/**
 * Makes the board's rows say what its Y.Doc holds now, and stores them again as one value (the
 * board's view, what an opening board draws first). Only rows that differ are written to the
 * index: an edit of one task rewrites one row, not the whole board. What differs is found against
 * the stored view (one read), not by reading every row back.
 */
export async function indexBoard(db: CongvuDb, boardId: string, source: Y.Doc | BoardView): Promise<void> {
  const board = 'tasks' in source ? source : readBoard(source);
  const rows = taskRows(boardId, board);
  await db.transaction('rw', db.taskIndex, db.boardViews, async () => {
    const stored = await db.boardViews.get(boardId);
    const previous: TaskIndexRow[] = stored ? (JSON.parse(stored.rows) as TaskIndexRow[]) : await db.taskIndex.where('boardId').equals(boardId).toArray();
    const before = new Map(previous.map((row) => [row.taskId, JSON.stringify(row)]));
    const changed = rows.filter((row) => before.get(row.taskId) !== JSON.stringify(row));
    const kept = new Set(rows.map((row) => row.taskId));
    const gone = [...before.keys()].filter((taskId) => !kept.has(taskId));
    if (gone.length > 0) await db.taskIndex.bulkDelete(gone);
    if (changed.length > 0) await db.taskIndex.bulkPut(changed);
    await db.boardViews.put({ boardId, columns: board.columns, rows: JSON.stringify(rows) });
  });
}

/** The board as last indexed, as one read: its columns and rows (in no particular order), or undefined. */
export async function storedBoardView(db: CongvuDb, boardId: string): Promise<{ columns: readonly ColumnView[]; rows: TaskIndexRow[] } | undefined> {
  const stored = await db.boardViews.get(boardId);
  return stored && { columns: stored.columns, rows: JSON.parse(stored.rows) as TaskIndexRow[] };
}

/** How many tasks the stored view has (to see whether a loaded board was ever indexed). */
export async function countBoardRows(db: CongvuDb, boardId: string): Promise<number> {
  return (await storedBoardView(db, boardId))?.rows.length ?? 0;
}

export async function dropBoardIndex(db: CongvuDb, boardId: string): Promise<void> {
  await db.transaction('rw', db.taskIndex, db.boardViews, async () => {
    await db.taskIndex.where('boardId').equals(boardId).delete();
    await db.boardViews.delete(boardId);
  });
}

/** Tasks assigned to the user, across every board this device knows. */
export function tasksAssignedTo(db: CongvuDb, userId: string): Promise<TaskIndexRow[]> {
  return db.taskIndex.where('assignees').equals(userId).toArray();
}

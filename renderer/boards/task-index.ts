/**
 * The local index of tasks across boards (Dexie table `taskIndex`): a projection of each board's
 * Y.Doc that "Việc của tôi" and the reminders read with one indexed query, offline, without loading
 * every board. It is rewritten for a board whenever this device sees that board change (an open
 * board, a background exchange, a task made from a document), in one transaction per board.
 */
import { readBoard, type BoardView } from '../../common/board.ts';
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
    };
  });
}

/** Replaces the board's rows with what its Y.Doc holds now. */
export async function indexBoard(db: CongvuDb, boardId: string, source: Y.Doc | BoardView): Promise<void> {
  const board = 'tasks' in source ? source : readBoard(source);
  const rows = taskRows(boardId, board);
  await db.transaction('rw', db.taskIndex, async () => {
    await db.taskIndex.where('boardId').equals(boardId).delete();
    await db.taskIndex.bulkPut(rows);
  });
}

export async function dropBoardIndex(db: CongvuDb, boardId: string): Promise<void> {
  await db.taskIndex.where('boardId').equals(boardId).delete();
}

/** Tasks assigned to the user, across every board this device knows. */
export function tasksAssignedTo(db: CongvuDb, userId: string): Promise<TaskIndexRow[]> {
  return db.taskIndex.where('assignees').equals(userId).toArray();
}

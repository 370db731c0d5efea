import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTask, moveTask, seedBoard, setAssignee, updateTask } from '../../common/board.ts';
import { openDb, type CongvuDb } from '../store/db.ts';
import { dropBoardIndex, indexBoard, tasksAssignedTo } from './task-index.ts';

const dbs: CongvuDb[] = [];
function freshDb(): CongvuDb {
  const db = openDb(`test-${crypto.randomUUID()}`);
  dbs.push(db);
  return db;
}
afterEach(async () => {
  for (const db of dbs.splice(0)) {
    db.close();
    await db.delete();
  }
});

const at = '2026-01-05T00:00:00.000Z';

describe('task index', () => {
  it('finds my tasks across boards, with their column, and follows reassignments, moves and archiving', async () => {
    const db = freshDb();
    const one = new Y.Doc();
    const two = new Y.Doc();
    seedBoard(one);
    seedBoard(two);
    createTask(one, { id: 't1', title: 'Soạn tờ trình', createdBy: 'x', createdAt: at, assignees: ['me'], due: '2026-01-10' });
    createTask(one, { id: 't2', title: 'Việc của người khác', createdBy: 'x', createdAt: at, assignees: ['other'] });
    createTask(two, { id: 't3', title: 'Kiểm tra số liệu', createdBy: 'x', createdAt: at, assignees: ['me', 'other'] });
    await indexBoard(db, 'b1', one);
    await indexBoard(db, 'b2', two);
    expect((await tasksAssignedTo(db, 'me')).map((r) => r.taskId).sort()).toEqual(['t1', 't3']);

    moveTask(one, 't1', { column: 'done' });
    setAssignee(one, 't2', 'me', true);
    updateTask(two, 't3', { archived: true });
    await indexBoard(db, 'b1', one);
    await indexBoard(db, 'b2', two);
    const mine = await tasksAssignedTo(db, 'me');
    expect(mine.map((r) => r.taskId).sort()).toEqual(['t1', 't2']);
    expect(mine.find((r) => r.taskId === 't1')).toMatchObject({ boardId: 'b1', column: 'done', columnTitle: 'Hoàn thành', done: true, due: '2026-01-10' });

    await dropBoardIndex(db, 'b1');
    expect(await tasksAssignedTo(db, 'me')).toEqual([]);
  });
});

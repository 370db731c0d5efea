import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTask, moveTask, seedBoard, setAssignee, updateTask } from '../../common/board.ts';
import { openDb, type CongvuDb } from '../store/db.ts';
import { dropBoardIndex, indexBoard, storedBoardView, tasksAssignedTo } from './task-index.ts';

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

    // The board's view (one value) says the same as its rows.
    const view = await storedBoardView(db, 'b1');
    expect(view?.rows.map((r) => r.taskId).sort()).toEqual(['t1', 't2']);
    expect(view?.columns.map((c) => c.id)).toEqual(['todo', 'doing', 'done']);

    await dropBoardIndex(db, 'b1');
    expect(await tasksAssignedTo(db, 'me')).toEqual([]);
    expect(await storedBoardView(db, 'b1')).toBeUndefined();
  });

  it('writes only the rows that changed, and removes the rows of archived tasks', async () => {
    const db = freshDb();
    const doc = new Y.Doc();
    seedBoard(doc);
    for (let i = 0; i < 50; i++) createTask(doc, { id: `t${i}`, title: `Việc ${i}`, createdBy: 'x', createdAt: at, assignees: ['me'] });
    await indexBoard(db, 'b', doc);
    const writes: string[] = [];
    db.taskIndex.hook('creating', (key) => void writes.push(String(key)));
    db.taskIndex.hook('updating', (_changes, key) => void writes.push(String(key)));
    updateTask(doc, 't7', { title: 'Việc bảy' });
    updateTask(doc, 't9', { archived: true });
    await indexBoard(db, 'b', doc);
    expect(writes).toEqual(['t7']);
    expect((await tasksAssignedTo(db, 'me')).length).toBe(49);
  });
});

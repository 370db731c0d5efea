import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addChecklistItem,
  addComment,
  boardSeedUpdate,
  createTask,
  createTasks,
  dueState,
  getTask,
  isIsoDate,
  localIsoDate,
  moveTask,
  readBoard,
  removeChecklistItem,
  seedBoard,
  setAssignee,
  setChecklistDone,
  setLink,
  tasksByColumn,
  updateTask,
  COLUMNS_MAP,
  TASKS_MAP,
} from './board.ts';

const at = '2026-01-05T02:00:00.000Z';

function replica(clientID: number, from?: Y.Doc): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  if (from) Y.applyUpdate(doc, Y.encodeStateAsUpdate(from));
  return doc;
}

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
}

const titles = (doc: Y.Doc, column: string): string[] => (tasksByColumn(readBoard(doc)).get(column) ?? []).map((t) => t.title);

describe('board document', () => {
  it('a new board has the three Vietnamese default columns, once, however many clients seed it', () => {
    const a = replica(1);
    const b = replica(2);
    seedBoard(a);
    seedBoard(b);
    Y.applyUpdate(a, boardSeedUpdate());
    sync(a, b);
    expect(readBoard(a).columns.map((c) => c.title)).toEqual(['Cần làm', 'Đang làm', 'Hoàn thành']);
    expect(a.getMap(COLUMNS_MAP).size).toBe(3);
    expect(readBoard(b).columns.find((c) => c.id === 'done')?.done).toBe(true);
  });

  it('tasks are created at the bottom of their column and read back with every field', () => {
    const doc = replica(1);
    createTask(doc, { id: 't1', title: ' Soạn báo cáo ', createdBy: 'u1', createdAt: at });
    createTask(doc, {
      id: 't2',
      title: 'Trình ký',
      createdBy: 'u1',
      createdAt: at,
      column: 'doing',
      assignees: ['u2'],
      due: '2026-01-10',
      priority: 'high',
      links: [{ documentId: 'd1', title: 'Công văn 12' }],
    });
    createTask(doc, { id: 't3', title: 'Gửi công văn', createdBy: 'u1', createdAt: at });
    expect(titles(doc, 'todo')).toEqual(['Soạn báo cáo', 'Gửi công văn']);
    expect(getTask(doc, 't2')).toMatchObject({
      column: 'doing',
      assignees: ['u2'],
      due: '2026-01-10',
      priority: 'high',
      links: [{ documentId: 'd1', title: 'Công văn 12' }],
      createdBy: 'u1',
      createdAt: at,
      archived: false,
    });
  });

  it('moving a task changes its column and place without copying it', () => {
    const doc = replica(1);
    for (const [id, title] of [
      ['a', 'A'],
      ['b', 'B'],
      ['c', 'C'],
    ]) {
      createTask(doc, { id, title, createdBy: 'u', createdAt: at });
    }
    moveTask(doc, 'c', { column: 'todo', after: null });
    expect(titles(doc, 'todo')).toEqual(['C', 'A', 'B']);
    moveTask(doc, 'c', { column: 'todo', after: 'a' });
    expect(titles(doc, 'todo')).toEqual(['A', 'C', 'B']);
    moveTask(doc, 'a', { column: 'done' });
    expect(titles(doc, 'todo')).toEqual(['C', 'B']);
    expect(titles(doc, 'done')).toEqual(['A']);
    moveTask(doc, 'b', { column: 'done', before: 'a' });
    expect(titles(doc, 'done')).toEqual(['B', 'A']);
    expect(doc.getMap(TASKS_MAP).size).toBe(3);
  });

  it('two offline moves of one card to different columns, with a title edit, merge to one card with the edit', () => {
    const base = replica(1);
    createTask(base, { id: 'card', title: 'Tổng hợp ý kiến', createdBy: 'u', createdAt: at });
    const an = replica(10, base);
    const binh = replica(20, base);
    moveTask(an, 'card', { column: 'doing' });
    moveTask(binh, 'card', { column: 'done' });
    updateTask(binh, 'card', { title: 'Tổng hợp ý kiến góp ý' });
    sync(an, binh);
    for (const doc of [an, binh]) {
      const board = readBoard(doc);
      expect(board.tasks).toHaveLength(1);
      expect(board.tasks[0].title).toBe('Tổng hợp ý kiến góp ý');
    }
    expect(readBoard(an)).toEqual(readBoard(binh));
    expect(['doing', 'done']).toContain(readBoard(an).tasks[0].column);
  });

  it('assignees, checklist, comments and links merge from several replicas', () => {
    const base = replica(1);
    createTask(base, { id: 't', title: 'Việc', createdBy: 'u', createdAt: at });
    const a = replica(10, base);
    const b = replica(20, base);
    setAssignee(a, 't', 'u1', true);
    setAssignee(b, 't', 'u2', true);
    addChecklistItem(a, 't', { id: 'i1', text: 'Bước 1' });
    addChecklistItem(b, 't', { id: 'i2', text: 'Bước 2' });
    addComment(a, 't', { id: 'c1', authorId: 'u1', text: 'Đã xem', at });
    setLink(b, 't', { documentId: 'd9', title: 'Quyết định 5' }, true);
    sync(a, b);
    setChecklistDone(a, 't', 'i2', true);
    removeChecklistItem(b, 't', 'i1');
    sync(a, b);
    const task = getTask(a, 't');
    expect(task?.assignees).toEqual(['u1', 'u2']);
    expect(task?.checklist).toEqual([{ id: 'i2', text: 'Bước 2', done: true }]);
    expect(task?.comments.map((c) => c.text)).toEqual(['Đã xem']);
    expect(task?.links).toEqual([{ documentId: 'd9', title: 'Quyết định 5' }]);
    expect(getTask(b, 't')).toEqual(task);
    setAssignee(a, 't', 'u1', false);
    setLink(a, 't', { documentId: 'd9', title: '' }, false);
    expect(getTask(a, 't')).toMatchObject({ assignees: ['u2'], links: [] });
  });

  it('archived tasks leave the board but remain readable by id', () => {
    const doc = replica(1);
    createTask(doc, { id: 't', title: 'Việc cũ', createdBy: 'u', createdAt: at });
    updateTask(doc, 't', { archived: true });
    expect(readBoard(doc).tasks).toEqual([]);
    expect(getTask(doc, 't')?.archived).toBe(true);
  });

  it('malformed values written by a rogue client read as safe defaults, and every task stays in one column', () => {
    const doc = replica(1);
    seedBoard(doc);
    const rogue = new Y.Map<unknown>();
    doc.getMap(TASKS_MAP).set('x', rogue);
    rogue.set('column', 'no-such-column');
    rogue.set('order', '!!');
    rogue.set('due', '2026-02-30');
    rogue.set('priority', 'extreme');
    rogue.set('assignees', 'everyone');
    doc.getMap(TASKS_MAP).set('y', 'not a map');
    const task = getTask(doc, 'x');
    expect(task).toMatchObject({ column: 'todo', due: null, priority: 'normal', assignees: [], title: '' });
    expect(readBoard(doc).tasks.map((t) => t.id)).toEqual(['x']);
    // A task written without its nested fields gets them on first use.
    setAssignee(doc, 'x', 'u1', true);
    addChecklistItem(doc, 'x', { id: 'i', text: 'Một' });
    expect(getTask(doc, 'x')).toMatchObject({ assignees: ['u1'], checklist: [{ id: 'i', text: 'Một', done: false }] });
  });

  it('only changed fields are written, so re-saving a field does not overwrite a concurrent edit', () => {
    const base = replica(1);
    createTask(base, { id: 't', title: 'Cũ', createdBy: 'u', createdAt: at });
    const a = replica(10, base);
    const b = replica(20, base);
    updateTask(a, 't', { title: 'Mới' });
    const before = Y.encodeStateVector(b);
    updateTask(b, 't', { title: 'Cũ', priority: 'normal', due: null });
    expect(Y.encodeStateVector(b)).toEqual(before);
    sync(a, b);
    expect(getTask(b, 't')?.title).toBe('Mới');
  });

  it('due dates: overdue, today, upcoming, and never for finished tasks', () => {
    expect(dueState('2026-01-04', false, '2026-01-05')).toBe('overdue');
    expect(dueState('2026-01-05', false, '2026-01-05')).toBe('today');
    expect(dueState('2026-01-06', false, '2026-01-05')).toBe('upcoming');
    expect(dueState('2026-01-04', true, '2026-01-05')).toBeNull();
    expect(dueState(null, false, '2026-01-05')).toBeNull();
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(localIsoDate(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
  });
});

describe('bulk task creation', () => {
  it('createTasks appends many tasks per column in order, in one update, like createTask one by one', () => {
    const bulk = replica(1);
    seedBoard(bulk);
    const inputs = Array.from({ length: 30 }, (_, i) => ({ id: `t${i}`, title: `Việc ${i}`, createdBy: 'u', createdAt: at, column: ['todo', 'doing', 'done'][i % 3] }));
    let updates = 0;
    bulk.on('update', () => updates++);
    createTasks(bulk, inputs);
    expect(updates).toBe(1);
    const single = replica(2);
    seedBoard(single);
    for (const input of inputs) createTask(single, input);
    for (const column of ['todo', 'doing', 'done']) expect(titles(bulk, column)).toEqual(titles(single, column));
    expect(() => createTasks(bulk, [inputs[0]])).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addChecklistItem, addComment, createTask, readBoard, seedBoard, setChecklistDone, setLink } from '../../common/board.ts';
import { groupByColumn, summaryFromIndex, summaryOf } from './summary.ts';
import { taskRows } from './task-index.ts';

describe('board summaries', () => {
  it('the board drawn from the task index is the board drawn from its Y.Doc: same cards, same order, same counts', () => {
    const doc = new Y.Doc();
    seedBoard(doc);
    const at = '2026-01-05T00:00:00.000Z';
    for (let i = 0; i < 12; i++) createTask(doc, { id: `t${i}`, title: `Việc ${i}`, createdBy: 'u', createdAt: at, column: ['todo', 'doing', 'done'][i % 3], due: i % 2 ? '2026-01-0' + ((i % 9) + 1) : null });
    addChecklistItem(doc, 't1', { id: 'c1', text: 'Một' });
    addChecklistItem(doc, 't1', { id: 'c2', text: 'Hai' });
    setChecklistDone(doc, 't1', 'c2', true);
    addComment(doc, 't2', { id: 'k', authorId: 'u', text: 'Ý kiến', at });
    setLink(doc, 't3', { documentId: 'd', title: 'Công văn' }, true);
    const board = readBoard(doc);
    // The index is unordered: shuffle its rows.
    const rows = taskRows('b', board).reverse();
    const fromIndex = summaryFromIndex(rows, board.columns);
    expect(fromIndex.tasks).toEqual(board.tasks.map(summaryOf));
    expect(fromIndex.columns).toEqual(board.columns);
    expect(fromIndex.tasks.find((t) => t.id === 't1')).toMatchObject({ checklistDone: 1, checklistTotal: 2 });
    expect([...groupByColumn(board.columns, fromIndex.tasks).values()].map((list) => list.length)).toEqual([4, 4, 4]);
  });

  it('without known columns the index reads with the default columns', () => {
    expect(summaryFromIndex([], undefined).columns.map((c) => c.title)).toEqual(['Cần làm', 'Đang làm', 'Hoàn thành']);
  });
});

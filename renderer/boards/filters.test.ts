import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTask, readBoard, seedBoard, type TaskView } from '../../common/board.ts';
import { addDays, filterTasks, isFiltering, NO_FILTER, searchKey, sortTasks } from './filters.ts';
import { boardPeople, initials, nameIn } from './people.ts';

const today = '2026-01-05';
const at = '2026-01-01T00:00:00.000Z';

function board() {
  const doc = new Y.Doc();
  seedBoard(doc);
  createTask(doc, { id: 'a', title: 'Hoàn thiện dự thảo', createdBy: 'u', createdAt: at, assignees: ['me'], due: '2026-01-04', priority: 'high' });
  createTask(doc, { id: 'b', title: 'Gửi xin ý kiến', createdBy: 'u', createdAt: at, assignees: ['other'], due: '2026-01-05', column: 'doing' });
  createTask(doc, { id: 'c', title: 'Báo cáo tuần', createdBy: 'u', createdAt: at, due: '2026-01-09', priority: 'urgent' });
  createTask(doc, { id: 'd', title: 'Lưu hồ sơ', createdBy: 'u', createdAt: at, assignees: ['me', 'other'], due: '2026-01-02', column: 'done', priority: 'low' });
  createTask(doc, { id: 'e', title: 'Đọc tài liệu', createdBy: 'u', createdAt: at });
  return readBoard(doc);
}

const ids = (tasks: readonly TaskView[]) => tasks.map((t) => t.id);

describe('board filters', () => {
  const view = board();
  const filter = (patch: Partial<typeof NO_FILTER>) => ids(filterTasks(view.tasks, view.columns, { ...NO_FILTER, ...patch }, 'me', today));

  it('no filter keeps every task in board order', () => {
    expect(isFiltering(NO_FILTER)).toBe(false);
    expect(filter({})).toEqual(['a', 'c', 'e', 'b', 'd']);
  });

  it('filters by assignee: me, unassigned, a given person', () => {
    expect(filter({ assignee: 'me' })).toEqual(['a', 'd']);
    expect(filter({ assignee: 'none' })).toEqual(['c', 'e']);
    expect(filter({ assignee: 'other' })).toEqual(['b', 'd']);
  });

  it('filters by due date; a finished task is never overdue', () => {
    expect(filter({ due: 'overdue' })).toEqual(['a']);
    expect(filter({ due: 'today' })).toEqual(['b']);
    expect(filter({ due: 'week' })).toEqual(['c', 'b']);
    expect(filter({ due: 'none' })).toEqual(['e']);
  });

  it('filters by status and by words, ignoring case and diacritics', () => {
    expect(filter({ status: 'doing' })).toEqual(['b']);
    expect(filter({ query: 'BAO CAO' })).toEqual(['c']);
    expect(filter({ query: 'đọc' })).toEqual(['e']);
    expect(filter({ query: 'doc', assignee: 'me' })).toEqual([]);
    expect(searchKey('Đường Hoàn Thành')).toBe('duong hoan thanh');
  });

  it('sorts by due date with undated tasks last in both directions, and by priority and title', () => {
    const names = (id: string) => ({ me: 'Nguyễn Văn An', other: 'Trần Thị Bình' })[id] ?? id;
    expect(ids(sortTasks(view.tasks, 'due', 'ascending', view.columns, names))).toEqual(['d', 'a', 'b', 'c', 'e']);
    expect(ids(sortTasks(view.tasks, 'due', 'descending', view.columns, names))).toEqual(['c', 'b', 'a', 'd', 'e']);
    expect(ids(sortTasks(view.tasks, 'priority', 'ascending', view.columns, names))).toEqual(['c', 'a', 'e', 'b', 'd']);
    expect(ids(sortTasks(view.tasks, 'title', 'ascending', view.columns, names))).toEqual(['c', 'e', 'b', 'a', 'd']);
    expect(ids(sortTasks(view.tasks, 'assignees', 'ascending', view.columns, names))).toEqual(['a', 'd', 'b', 'c', 'e']);
    expect(ids(sortTasks(view.tasks, 'status', 'descending', view.columns, names))).toEqual(['d', 'b', 'a', 'c', 'e']);
  });

  it('adds days across months and years', () => {
    expect(addDays('2025-12-29', 7)).toBe('2026-01-05');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  });
});

describe('board people', () => {
  const me = { id: 'me', username: 'an', displayName: 'Nguyễn Văn An', agencyId: 'a1', unit: '', title: '', roles: [] };
  const directory = {
    agencies: [],
    users: [
      me,
      { ...me, id: 'u2', username: 'binh', displayName: 'Trần Thị Bình' },
      { ...me, id: 'u3', username: 'dung', displayName: 'Vũ Thị Dung', agencyId: 'a2' },
      { ...me, id: 'u4', username: 'chi', displayName: 'Lê Minh Chi' },
    ],
  };

  it('the owner, user members and users of member agencies can be assigned; nobody else', () => {
    const people = boardPeople('me', [
      { principal: { type: 'user', id: 'u2' }, role: 'editor' },
      { principal: { type: 'agency', id: 'a2' }, role: 'viewer' },
    ], directory, me);
    expect(people.map((p) => p.id)).toEqual(['me', 'u2', 'u3']);
    expect(boardPeople('me', undefined, undefined, me).map((p) => p.id)).toEqual(['me']);
  });

  it('names people from the directory and makes initials from Vietnamese names', () => {
    const name = nameIn(directory, me);
    expect(name('u2')).toBe('Trần Thị Bình');
    expect(name('0123456789abcdef')).toBe('01234567');
    expect(initials('Nguyễn Văn An')).toBe('NA');
    expect(initials('Đạt')).toBe('Đ');
  });
});

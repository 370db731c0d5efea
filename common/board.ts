/**
 * The shape of a task board's Y.Doc (room `board:<id>`, DESIGN.md "Data model") and the only code
 * that reads or writes it, so that every replica (the app, tests, the benchmark) merges the same way.
 *
 * - `columns`: Y.Map of column id → Y.Map {title, order, done}. New boards get the default columns
 *   "Cần làm", "Đang làm", "Hoàn thành" from a seed update written by a reserved Yjs client id: the
 *   same bytes on every client, so a board seeded by several clients has its columns once.
 * - `tasks`: Y.Map of task id → Y.Map {title, description, column, order, assignees (Y.Map as a
 *   set of user ids), due (ISO date), priority, checklist (Y.Array of Y.Map {id, text, done}),
 *   comments (Y.Array), links (Y.Map of document id → title), createdBy, createdAt, archived}.
 *
 * Why it merges without losing or doubling a task: a task is ONE entry of `tasks`, created once
 * under a fresh UUID. Moving it sets two last-writer-wins fields of that entry (`column`, `order`,
 * common/ordering.ts): nothing is deleted and re-inserted, so two replicas moving the same card
 * offline end with one card, in the column of whichever move Yjs orders last. Fields change one by
 * one, so a title edit on one replica and a move on another both survive. Assignees and links are
 * sets (map keys), so concurrent additions merge. Tasks are archived, never deleted, so a deletion
 * cannot swallow a concurrent edit.
 *
 * Anyone with write access can write anything into a CRDT (DESIGN.md), so the readers check every
 * value and fall back to something sensible: a task whose column is unknown shows in the first
 * column, so every task is in exactly one column.
 */
import * as Y from 'yjs';
import { compareOrder, isOrderKey, keyBetween, replicaTag } from './ordering.ts';

export const COLUMNS_MAP = 'columns';
export const TASKS_MAP = 'tasks';

/** Reserved Yjs client id of the board seed (see common/document-content.ts for the idea). */
export const BOARD_SEED_CLIENT_ID = 0xb0a2d;

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** The columns of a new board. Titles are board content (like a document's text): Vietnamese. */
export const DEFAULT_COLUMNS: readonly { readonly id: string; readonly title: string; readonly order: string; readonly done: boolean }[] = [
  { id: 'todo', title: 'Cần làm', order: 'F', done: false },
  { id: 'doing', title: 'Đang làm', order: 'V', done: false },
  { id: 'done', title: 'Hoàn thành', order: 'k', done: true },
];

export const MAX_TITLE_LENGTH = 300;
export const MAX_TEXT_LENGTH = 10_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date `YYYY-MM-DD` that exists. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The local calendar date of `at` as `YYYY-MM-DD` (what "today" means to the person in front of the screen). */
export function localIsoDate(at: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

export interface ColumnView {
  readonly id: string;
  readonly title: string;
  readonly order: string;
  /** Tasks here count as finished: never overdue. */
  readonly done: boolean;
}

export interface ChecklistItem {
  readonly id: string;
  readonly text: string;
  readonly done: boolean;
}

export interface TaskComment {
  readonly id: string;
  readonly authorId: string;
  readonly text: string;
  readonly at: string;
}

export interface TaskLink {
  readonly documentId: string;
  readonly title: string;
}

export interface TaskView {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** Always the id of an existing column (unknown columns read as the first one). */
  readonly column: string;
  readonly order: string;
  readonly assignees: readonly string[];
  readonly due: string | null;
  readonly priority: Priority;
  readonly checklist: readonly ChecklistItem[];
  readonly comments: readonly TaskComment[];
  readonly links: readonly TaskLink[];
  readonly createdBy: string;
  readonly createdAt: string;
  readonly archived: boolean;
}

export interface BoardView {
  /** In display order. */
  readonly columns: readonly ColumnView[];
  /** Every task that is not archived, in column order and then in order within the column. */
  readonly tasks: readonly TaskView[];
}

let cachedSeed: Uint8Array | null = null;

/** The update that gives a new board its default columns; always the same bytes. */
export function boardSeedUpdate(): Uint8Array {
  if (cachedSeed === null) {
    const doc = new Y.Doc();
    doc.clientID = BOARD_SEED_CLIENT_ID;
    doc.transact(() => {
      const columns = doc.getMap<Y.Map<unknown>>(COLUMNS_MAP);
      for (const column of DEFAULT_COLUMNS) {
        const map = new Y.Map<unknown>();
        columns.set(column.id, map);
        map.set('title', column.title);
        map.set('order', column.order);
        map.set('done', column.done);
      }
    });
    cachedSeed = Y.encodeStateAsUpdate(doc);
    doc.destroy();
  }
  return cachedSeed.slice();
}

/** True when the board has no columns yet (not seeded, nothing synced). */
export function isBoardEmpty(doc: Y.Doc): boolean {
  return doc.getMap(COLUMNS_MAP).size === 0;
}

/** Seeds the default columns if the board has none; harmless to repeat anywhere. */
export function seedBoard(doc: Y.Doc, origin: unknown = null): void {
  if (isBoardEmpty(doc)) Y.applyUpdate(doc, boardSeedUpdate(), origin);
}

// --- reading ---

const text = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback);

function columnsOf(doc: Y.Doc): ColumnView[] {
  const columns: ColumnView[] = [];
  doc.getMap<unknown>(COLUMNS_MAP).forEach((value, id) => {
    if (!(value instanceof Y.Map)) return;
    const order = value.get('order');
    columns.push({
      id,
      title: text(value.get('title'), id),
      order: isOrderKey(order) ? order : 'V',
      done: value.get('done') === true,
    });
  });
  return columns.sort(compareOrder);
}

function readChecklist(value: unknown): ChecklistItem[] {
  if (!(value instanceof Y.Array)) return [];
  const items: ChecklistItem[] = [];
  for (const entry of value.toArray()) {
    if (!(entry instanceof Y.Map)) continue;
    const id = entry.get('id');
    if (typeof id !== 'string') continue;
    items.push({ id, text: text(entry.get('text')), done: entry.get('done') === true });
  }
  return items;
}

function readComments(value: unknown): TaskComment[] {
  if (!(value instanceof Y.Array)) return [];
  const comments: TaskComment[] = [];
  for (const entry of value.toArray()) {
    if (typeof entry !== 'object' || entry === null || entry instanceof Y.AbstractType) continue;
    const c = entry as Record<string, unknown>;
    if (typeof c.id !== 'string' || typeof c.text !== 'string') continue;
    comments.push({ id: c.id, authorId: text(c.authorId), text: c.text, at: text(c.at) });
  }
  return comments;
}

function readLinks(value: unknown): TaskLink[] {
  if (!(value instanceof Y.Map)) return [];
  const links: TaskLink[] = [];
  value.forEach((entry, documentId) => {
    const title = typeof entry === 'object' && entry !== null && !(entry instanceof Y.AbstractType) ? (entry as Record<string, unknown>).title : undefined;
    links.push({ documentId, title: text(title) });
  });
  return links.sort((a, b) => (a.documentId < b.documentId ? -1 : 1));
}

function readAssignees(value: unknown): string[] {
  if (!(value instanceof Y.Map)) return [];
  const ids: string[] = [];
  value.forEach((on, id) => {
    if (on === true) ids.push(id);
  });
  return ids.sort();
}

function readTask(id: string, map: Y.Map<unknown>, columnIds: ReadonlySet<string>, firstColumn: string): TaskView {
  const column = map.get('column');
  const order = map.get('order');
  const due = map.get('due');
  const priority = map.get('priority');
  return {
    id,
    title: text(map.get('title')),
    description: text(map.get('description')),
    column: typeof column === 'string' && columnIds.has(column) ? column : firstColumn,
    order: isOrderKey(order) ? order : 'V',
    assignees: readAssignees(map.get('assignees')),
    due: isIsoDate(due) ? due : null,
    priority: (PRIORITIES as readonly unknown[]).includes(priority) ? (priority as Priority) : 'normal',
    checklist: readChecklist(map.get('checklist')),
    comments: readComments(map.get('comments')),
    links: readLinks(map.get('links')),
    createdBy: text(map.get('createdBy')),
    createdAt: text(map.get('createdAt')),
    archived: map.get('archived') === true,
  };
}

/** The whole board as plain values: columns in order, live tasks by column and order. */
export function readBoard(doc: Y.Doc): BoardView {
  const columns = columnsOf(doc);
  // A board whose seed has not arrived yet still shows its tasks, in a column of the default set.
  const shown = columns.length > 0 ? columns : DEFAULT_COLUMNS.map((c) => ({ ...c }));
  const columnIds = new Set(shown.map((c) => c.id));
  const rank = new Map(shown.map((c, i) => [c.id, i]));
  const tasks: TaskView[] = [];
  doc.getMap<unknown>(TASKS_MAP).forEach((value, id) => {
    if (!(value instanceof Y.Map)) return;
    const task = readTask(id, value, columnIds, shown[0].id);
    if (!task.archived) tasks.push(task);
  });
  tasks.sort((a, b) => (rank.get(a.column) as number) - (rank.get(b.column) as number) || compareOrder(a, b));
  return { columns: shown, tasks };
}

/**
 * readBoard for a Y.Doc that keeps changing (an open board): tasks are re-read only when they
 * changed, found through a deep observer, so a remote edit of one task on a board of thousands
 * costs a sort, not a full read. `read()` returns the same BoardView as readBoard.
 */
export class BoardReader {
  private readonly cache = new Map<string, TaskView>();
  private columnsKey = '';
  private readonly tasks: Y.Map<unknown>;

  constructor(private readonly doc: Y.Doc) {
    this.tasks = doc.getMap<unknown>(TASKS_MAP);
    this.tasks.observeDeep(this.onChange);
  }

  read(): BoardView {
    const columns = columnsOf(this.doc);
    const shown = columns.length > 0 ? columns : DEFAULT_COLUMNS.map((c) => ({ ...c }));
    // A task's column falls back on the column set: a change of columns re-reads every task.
    const key = JSON.stringify(shown);
    if (key !== this.columnsKey) {
      this.cache.clear();
      this.columnsKey = key;
    }
    const columnIds = new Set(shown.map((c) => c.id));
    const rank = new Map(shown.map((c, i) => [c.id, i]));
    const tasks: TaskView[] = [];
    this.tasks.forEach((value, id) => {
      if (!(value instanceof Y.Map)) return;
      let task = this.cache.get(id);
      if (!task) {
        task = readTask(id, value, columnIds, shown[0].id);
        this.cache.set(id, task);
      }
      if (!task.archived) tasks.push(task);
    });
    tasks.sort((a, b) => (rank.get(a.column) as number) - (rank.get(b.column) as number) || compareOrder(a, b));
    return { columns: shown, tasks };
  }

  destroy(): void {
    this.tasks.unobserveDeep(this.onChange);
  }

  private readonly onChange = (events: Y.YEvent<Y.AbstractType<unknown>>[]): void => {
    for (const event of events) {
      if (event.target === this.tasks) {
        for (const id of event.keys.keys()) this.cache.delete(id);
      } else {
        const id = event.path[0];
        if (typeof id === 'string') this.cache.delete(id);
      }
    }
  };
}

/** One task, archived or not, or undefined. */
export function getTask(doc: Y.Doc, taskId: string): TaskView | undefined {
  const value = doc.getMap<unknown>(TASKS_MAP).get(taskId);
  if (!(value instanceof Y.Map)) return undefined;
  const columns = columnsOf(doc);
  const shown = columns.length > 0 ? columns : DEFAULT_COLUMNS;
  return readTask(taskId, value, new Set(shown.map((c) => c.id)), shown[0].id);
}

/** The board's tasks grouped by column id, each list in order. */
export function tasksByColumn(board: BoardView): Map<string, TaskView[]> {
  const byColumn = new Map<string, TaskView[]>(board.columns.map((c) => [c.id, []]));
  for (const task of board.tasks) byColumn.get(task.column)?.push(task);
  return byColumn;
}

export type DueState = 'overdue' | 'today' | 'upcoming';

/** Whether an unfinished task is late, due today or later; null without a due date or when done. */
export function dueState(due: string | null, done: boolean, today: string): DueState | null {
  if (due === null || done) return null;
  return due < today ? 'overdue' : due === today ? 'today' : 'upcoming';
}

// --- writing ---

function taskMap(doc: Y.Doc, taskId: string): Y.Map<unknown> {
  const value = doc.getMap<unknown>(TASKS_MAP).get(taskId);
  if (!(value instanceof Y.Map)) throw new RangeError(`no task ${taskId} on this board`);
  return value;
}

/** The nested Y.Map or Y.Array of a task field, created on first use (a task written by an old client may lack it). */
function nestedMap(map: Y.Map<unknown>, key: string): Y.Map<unknown> {
  const value = map.get(key);
  if (value instanceof Y.Map) return value;
  const made = new Y.Map<unknown>();
  map.set(key, made);
  return made;
}
function nestedArray(map: Y.Map<unknown>, key: string): Y.Array<unknown> {
  const value = map.get(key);
  if (value instanceof Y.Array) return value;
  const made = new Y.Array<unknown>();
  map.set(key, made);
  return made;
}

const clip = (value: string, max: number): string => value.normalize('NFC').slice(0, max);

/** Where to put a task in a column: after one task and before another (either may be absent). */
export interface Placement {
  readonly column: string;
  /** The task just above (null: at the top). Omit both to append at the bottom. */
  readonly after?: string | null;
  /** The task just below (null: at the bottom). */
  readonly before?: string | null;
}

function orderFor(doc: Y.Doc, placement: Placement, moving: string | null): string {
  const board = readBoard(doc);
  const inColumn = board.tasks.filter((t) => t.column === placement.column && t.id !== moving);
  const orderOf = (id: string | null | undefined): string | null => (id ? (inColumn.find((t) => t.id === id)?.order ?? null) : null);
  let low: string | null;
  let high: string | null;
  if (placement.after === undefined && placement.before === undefined) {
    low = inColumn.at(-1)?.order ?? null;
    high = null;
  } else if (placement.after !== undefined) {
    low = orderOf(placement.after);
    const index = placement.after === null ? -1 : inColumn.findIndex((t) => t.id === placement.after);
    high = placement.before !== undefined ? orderOf(placement.before) : (inColumn[index + 1]?.order ?? null);
  } else {
    high = orderOf(placement.before);
    const index = placement.before === null ? inColumn.length : inColumn.findIndex((t) => t.id === placement.before);
    low = index > 0 ? inColumn[index - 1].order : null;
  }
  return keyBetween(low, high, replicaTag(doc.clientID));
}

export interface NewTask {
  readonly id: string;
  readonly title: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly column?: string;
  readonly description?: string;
  readonly assignees?: readonly string[];
  readonly due?: string | null;
  readonly priority?: Priority;
  readonly links?: readonly TaskLink[];
}

/** Adds a task at the bottom of its column (the first column when none is given). */
export function createTask(doc: Y.Doc, input: NewTask, origin: unknown = null): void {
  createTasks(doc, [input], origin);
}

/**
 * Adds tasks at the bottom of their columns, in order, in one transaction (an import, a test
 * fixture): the board is read once, not once per task.
 */
export function createTasks(doc: Y.Doc, inputs: readonly NewTask[], origin: unknown = null): void {
  // Not seeded here: applying an update inside a local transaction would make Yjs take the
  // transaction for a remote one. A board not seeded yet reads with the default columns anyway.
  doc.transact(() => {
    const tasks = doc.getMap<unknown>(TASKS_MAP);
    const board = readBoard(doc);
    const last = new Map<string, string | null>(board.columns.map((c) => [c.id, null]));
    for (const task of board.tasks) last.set(task.column, task.order);
    const tag = replicaTag(doc.clientID);
    for (const input of inputs) {
      if (tasks.has(input.id)) throw new RangeError(`task ${input.id} exists`);
      const column = input.column && last.has(input.column) ? input.column : board.columns[0].id;
      const order = keyBetween(last.get(column) ?? null, null, tag);
      last.set(column, order);
      const map = new Y.Map<unknown>();
      tasks.set(input.id, map);
      map.set('title', clip(input.title.trim(), MAX_TITLE_LENGTH));
      map.set('description', clip(input.description ?? '', MAX_TEXT_LENGTH));
      map.set('column', column);
      map.set('order', order);
      const assignees = new Y.Map<boolean>();
      map.set('assignees', assignees);
      for (const id of input.assignees ?? []) assignees.set(id, true);
      map.set('due', input.due && isIsoDate(input.due) ? input.due : null);
      map.set('priority', input.priority ?? 'normal');
      map.set('checklist', new Y.Array<Y.Map<unknown>>());
      map.set('comments', new Y.Array<unknown>());
      const links = new Y.Map<unknown>();
      map.set('links', links);
      for (const link of input.links ?? []) links.set(link.documentId, { title: link.title });
      map.set('createdBy', input.createdBy);
      map.set('createdAt', input.createdAt);
      map.set('archived', false);
    }
  }, origin);
}

/** Moves a task: sets its column and its order key, in one transaction; nothing else changes. */
export function moveTask(doc: Y.Doc, taskId: string, placement: Placement, origin: unknown = null): void {
  doc.transact(() => {
    const map = taskMap(doc, taskId);
    map.set('order', orderFor(doc, placement, taskId));
    if (map.get('column') !== placement.column) map.set('column', placement.column);
  }, origin);
}

export interface TaskPatch {
  readonly title?: string;
  readonly description?: string;
  readonly due?: string | null;
  readonly priority?: Priority;
  readonly archived?: boolean;
}

/** Sets the given fields (only those that differ, so an unchanged field never wins a conflict). */
export function updateTask(doc: Y.Doc, taskId: string, patch: TaskPatch, origin: unknown = null): void {
  doc.transact(() => {
    const map = taskMap(doc, taskId);
    const set = (key: string, value: unknown): void => {
      if (map.get(key) !== value) map.set(key, value);
    };
    if (patch.title !== undefined && patch.title.trim() !== '') set('title', clip(patch.title.trim(), MAX_TITLE_LENGTH));
    if (patch.description !== undefined) set('description', clip(patch.description, MAX_TEXT_LENGTH));
    if (patch.due !== undefined) set('due', patch.due !== null && isIsoDate(patch.due) ? patch.due : null);
    if (patch.priority !== undefined && PRIORITIES.includes(patch.priority)) set('priority', patch.priority);
    if (patch.archived !== undefined) set('archived', patch.archived);
  }, origin);
}

export function setAssignee(doc: Y.Doc, taskId: string, userId: string, assigned: boolean, origin: unknown = null): void {
  doc.transact(() => {
    const assignees = nestedMap(taskMap(doc, taskId), 'assignees');
    if (assigned) {
      if (assignees.get(userId) !== true) assignees.set(userId, true);
    } else if (assignees.has(userId)) {
      assignees.delete(userId);
    }
  }, origin);
}

export function addChecklistItem(doc: Y.Doc, taskId: string, item: { readonly id: string; readonly text: string }, origin: unknown = null): void {
  doc.transact(() => {
    const list = nestedArray(taskMap(doc, taskId), 'checklist');
    const entry = new Y.Map<unknown>();
    list.push([entry]);
    entry.set('id', item.id);
    entry.set('text', clip(item.text.trim(), MAX_TITLE_LENGTH));
    entry.set('done', false);
  }, origin);
}

function checklistEntry(doc: Y.Doc, taskId: string, itemId: string): { list: Y.Array<unknown>; index: number; entry: Y.Map<unknown> } | null {
  const list = taskMap(doc, taskId).get('checklist');
  if (!(list instanceof Y.Array)) return null;
  const items = list.toArray();
  const index = items.findIndex((e) => e instanceof Y.Map && e.get('id') === itemId);
  return index < 0 ? null : { list, index, entry: items[index] as Y.Map<unknown> };
}

/** Ticks or unticks a checklist item: a field of the item, so it merges with edits of the text. */
export function setChecklistDone(doc: Y.Doc, taskId: string, itemId: string, done: boolean, origin: unknown = null): void {
  doc.transact(() => {
    const found = checklistEntry(doc, taskId, itemId);
    if (found && found.entry.get('done') !== done) found.entry.set('done', done);
  }, origin);
}

export function removeChecklistItem(doc: Y.Doc, taskId: string, itemId: string, origin: unknown = null): void {
  doc.transact(() => {
    const found = checklistEntry(doc, taskId, itemId);
    if (found) found.list.delete(found.index, 1);
  }, origin);
}

export function addComment(doc: Y.Doc, taskId: string, comment: TaskComment, origin: unknown = null): void {
  doc.transact(() => {
    const list = nestedArray(taskMap(doc, taskId), 'comments');
    list.push([{ id: comment.id, authorId: comment.authorId, text: clip(comment.text.trim(), MAX_TEXT_LENGTH), at: comment.at }]);
  }, origin);
}

export function setLink(doc: Y.Doc, taskId: string, link: TaskLink, linked: boolean, origin: unknown = null): void {
  doc.transact(() => {
    const links = nestedMap(taskMap(doc, taskId), 'links');
    if (linked) links.set(link.documentId, { title: clip(link.title, MAX_TITLE_LENGTH) });
    else if (links.has(link.documentId)) links.delete(link.documentId);
  }, origin);
}

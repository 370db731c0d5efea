/**
 * The merge promise of the board document (common/board.ts), checked on random histories: 2 to 4
 * replicas start from one board, edit and move tasks offline, exchange updates partially and in
 * random orders while still editing, and finally all meet. Whatever happened, every replica must
 * show the same board, with every task ever created exactly once, in exactly one column, and the
 * tasks of each column in one total order. The incremental reader of an open board (BoardReader)
 * says the same as a full read at every step.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  BoardReader,
  addChecklistItem,
  createTask,
  moveTask,
  readBoard,
  seedBoard,
  setAssignee,
  setChecklistDone,
  tasksByColumn,
  updateTask,
  DEFAULT_COLUMNS,
  PRIORITIES,
  TASKS_MAP,
} from './board.ts';

const COLUMN_IDS = DEFAULT_COLUMNS.map((c) => c.id);
const USERS = ['u1', 'u2', 'u3'];

/** One offline action of one replica; `pick` values choose among the tasks it can see. */
type Op =
  | { kind: 'create'; column: number; title: string }
  | { kind: 'move'; pick: number; column: number; at: number }
  | { kind: 'title'; pick: number; title: string }
  | { kind: 'assign'; pick: number; user: number; on: boolean }
  | { kind: 'due'; pick: number; day: number | null }
  | { kind: 'priority'; pick: number; priority: number }
  | { kind: 'check'; pick: number; text: string }
  | { kind: 'tick'; pick: number; item: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('create' as const), column: fc.nat(2), title: fc.string({ maxLength: 6 }) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('move' as const), pick: fc.nat(), column: fc.nat(2), at: fc.nat() }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant('title' as const), pick: fc.nat(), title: fc.string({ minLength: 1, maxLength: 6 }) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('assign' as const), pick: fc.nat(), user: fc.nat(2), on: fc.boolean() }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('due' as const), pick: fc.nat(), day: fc.option(fc.integer({ min: 1, max: 28 })) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('priority' as const), pick: fc.nat(), priority: fc.nat(3) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('check' as const), pick: fc.nat(), text: fc.string({ maxLength: 4 }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('tick' as const), pick: fc.nat(), item: fc.nat() }), weight: 1 },
);

/** A round: every replica's offline edits, then some one-way exchanges between replicas. */
interface Round {
  readonly edits: Op[][];
  readonly exchanges: [number, number][];
}

const scenario = fc.integer({ min: 2, max: 4 }).chain((replicas) =>
  fc.record({
    replicas: fc.constant(replicas),
    initialTasks: fc.integer({ min: 1, max: 6 }),
    rounds: fc.array(
      fc.record({
        edits: fc.array(fc.array(op, { maxLength: 8 }), { minLength: replicas, maxLength: replicas }),
        exchanges: fc.array(fc.tuple(fc.nat(replicas - 1), fc.nat(replicas - 1)), { maxLength: 6 }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    finalOrder: fc.array(fc.tuple(fc.nat(replicas - 1), fc.nat(replicas - 1)), { maxLength: 10 }),
    clientIds: fc.uniqueArray(fc.integer({ min: 1, max: 2 ** 31 }), { minLength: replicas, maxLength: replicas }),
  }),
);

/** Sends what `to` lacks from `from`, as a real sync step would. */
function exchange(from: Y.Doc, to: Y.Doc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}

function apply(doc: Y.Doc, action: Op, replica: number, counter: { n: number }, created: Set<string>): void {
  const board = readBoard(doc);
  const choose = <T>(list: readonly T[], n: number): T | undefined => (list.length === 0 ? undefined : list[n % list.length]);
  const task = 'pick' in action ? choose(board.tasks, action.pick) : undefined;
  switch (action.kind) {
    case 'create': {
      const id = `r${replica}-t${counter.n++}`;
      createTask(doc, { id, title: action.title || 'việc', createdBy: USERS[replica % USERS.length], createdAt: '2026-01-05T00:00:00.000Z', column: COLUMN_IDS[action.column] });
      created.add(id);
      return;
    }
    case 'move': {
      if (!task) return;
      const column = COLUMN_IDS[action.column];
      const others = board.tasks.filter((t) => t.column === column && t.id !== task.id);
      const index = action.at % (others.length + 1);
      moveTask(doc, task.id, { column, after: index === 0 ? null : others[index - 1].id, before: others[index]?.id ?? null });
      return;
    }
    case 'title':
      if (task) updateTask(doc, task.id, { title: action.title });
      return;
    case 'assign':
      if (task) setAssignee(doc, task.id, USERS[action.user], action.on);
      return;
    case 'due':
      if (task) updateTask(doc, task.id, { due: action.day === null ? null : `2026-01-${String(action.day).padStart(2, '0')}` });
      return;
    case 'priority':
      if (task) updateTask(doc, task.id, { priority: PRIORITIES[action.priority] });
      return;
    case 'check':
      if (task) addChecklistItem(doc, task.id, { id: `r${replica}-i${counter.n++}`, text: action.text });
      return;
    case 'tick': {
      const item = task ? choose(task.checklist, action.item) : undefined;
      if (task && item) setChecklistDone(doc, task.id, item.id, !item.done);
      return;
    }
  }
}

describe('board merge (property)', () => {
  it('random concurrent edits and moves on 2–4 offline replicas, merged in any order, converge with every task exactly once in exactly one column', () => {
    fc.assert(
      fc.property(scenario, ({ replicas, initialTasks, rounds, finalOrder, clientIds }) => {
        const base = new Y.Doc();
        seedBoard(base);
        const created = new Set<string>();
        for (let i = 0; i < initialTasks; i++) {
          createTask(base, { id: `base-${i}`, title: `Việc ${i}`, createdBy: 'u1', createdAt: '2026-01-05T00:00:00.000Z', column: COLUMN_IDS[i % 3] });
          created.add(`base-${i}`);
        }
        const docs = clientIds.map((clientID) => {
          const doc = new Y.Doc();
          doc.clientID = clientID;
          Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
          return doc;
        });
        const counters = docs.map(() => ({ n: 0 }));
        // The incremental reader of an open board must always say what a full read says.
        const readers = docs.map((doc) => new BoardReader(doc));
        readers.forEach((reader) => reader.read());

        for (const round of rounds as Round[]) {
          round.edits.forEach((ops, r) => {
            for (const action of ops) apply(docs[r], action, r, counters[r], created);
          });
          for (const [from, to] of round.exchanges) if (from !== to) exchange(docs[from], docs[to]);
          docs.forEach((doc, r) => expect(readers[r].read()).toEqual(readBoard(doc)));
        }
        // Everyone meets: some exchanges in a random order first, then each pair both ways.
        for (const [from, to] of finalOrder) if (from !== to) exchange(docs[from], docs[to]);
        for (let pass = 0; pass < 2; pass++) {
          for (let a = 0; a < replicas; a++) for (let b = 0; b < replicas; b++) if (a !== b) exchange(docs[a], docs[b]);
        }

        const views = docs.map(readBoard);
        docs.forEach((_doc, r) => expect(readers[r].read()).toEqual(views[r]));
        readers.forEach((reader) => reader.destroy());
        for (const view of views.slice(1)) expect(view).toEqual(views[0]);
        const view = views[0];
        // No task lost or doubled: one map entry per task ever created, all of them shown.
        expect(docs[0].getMap(TASKS_MAP).size).toBe(created.size);
        const ids = view.tasks.map((t) => t.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(new Set(ids)).toEqual(created);
        // Every task in exactly one column, and each column in one strict order.
        const byColumn = tasksByColumn(view);
        const placed = [...byColumn.values()].flat().map((t) => t.id);
        expect(placed.sort()).toEqual([...ids].sort());
        for (const tasks of byColumn.values()) {
          for (let i = 1; i < tasks.length; i++) {
            const [a, b] = [tasks[i - 1], tasks[i]];
            expect(a.order < b.order || (a.order === b.order && a.id < b.id)).toBe(true);
          }
        }
        for (const doc of [...docs, base]) doc.destroy();
      }),
      { numRuns: 200 },
    );
  });
});

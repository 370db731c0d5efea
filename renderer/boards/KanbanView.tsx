/**
 * The kanban view: one column per board column, a card per task, and everything reachable without
 * a mouse. A card is a button (Enter opens the task); the arrow keys move the focus between cards
 * and columns; Alt+←/→ moves the card to the previous or next column, Alt+↑/↓ reorders it; each
 * move is announced. With a mouse, cards are dragged between and within columns. Moves write the
 * task's column and order key, nothing else (common/board.ts).
 *
 * A column shows its first cards and a "show more" button: a board of thousands of tasks opens
 * and filters quickly because the page never builds thousands of cards at once. Until the board's
 * Y.Doc has loaded, the cards come from the task index and nothing can be changed yet.
 */
import { useEffect, useRef, useState, type DragEvent, type FormEvent, type KeyboardEvent } from 'react';
import { createTask, dueState, moveTask, type ColumnView } from '../../common/board.ts';
import { useWorkspace } from '../app/workspace-context.tsx';
import { useT } from '../i18n/i18n.tsx';
import type { BoardSession } from './board-session.ts';
import type { TaskSummary } from './summary.ts';
import { Avatars, DueBadge, PriorityBadge } from './task-parts.tsx';

/** The drag data type of a card: only our cards can be dropped on a column. */
const DRAG_TYPE = 'application/x-congvu-task';

/** Cards built per column before "show more". */
export const CARDS_PER_PAGE = 40;

export interface KanbanProps {
  readonly columns: readonly ColumnView[];
  /** The visible (filtered) tasks by column id. */
  readonly byColumn: ReadonlyMap<string, readonly TaskSummary[]>;
  readonly filtered: boolean;
  /** False for viewers, and while the board is shown from the index (its Y.Doc not loaded yet). */
  readonly editable: boolean;
  readonly session: BoardSession;
  readonly today: string;
  readonly nameOf: (userId: string) => string;
  readonly addingIn: string | null;
  readonly onAddingIn: (columnId: string | null) => void;
  readonly onOpen: (taskId: string) => void;
  readonly onAnnounce: (text: string) => void;
}

export function KanbanView(props: KanbanProps) {
  const t = useT();
  const { columns, byColumn, editable, session } = props;
  const [limits, setLimits] = useState<Readonly<Record<string, number>>>({});
  const [dropColumn, setDropColumn] = useState<string | null>(null);
  const focusNext = useRef<string | null>(null);
  const limitOf = (columnId: string) => limits[columnId] ?? CARDS_PER_PAGE;

  // After a move the card is rendered in its new place: give it the focus back there.
  useEffect(() => {
    const id = focusNext.current;
    if (!id) return;
    const card = document.querySelector<HTMLElement>(`.kanban [data-task-id="${id}"]`);
    if (card) {
      focusNext.current = null;
      card.focus();
    }
  });

  const focusCard = (columnIndex: number, index: number) => {
    const column = columns[columnIndex];
    if (!column) return;
    const cards = byColumn.get(column.id) ?? [];
    const target = cards[Math.min(index, Math.min(cards.length, limitOf(column.id)) - 1)];
    const selector = target ? `.kanban [data-task-id="${target.id}"]` : `.kanban [data-add-column="${column.id}"]`;
    document.querySelector<HTMLElement>(selector)?.focus();
  };

  const onCardKey = (event: KeyboardEvent<HTMLButtonElement>, task: TaskSummary, columnIndex: number, index: number) => {
    const cards = byColumn.get(task.column) ?? [];
    const key = event.key;
    if (!['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight'].includes(key)) return;
    event.preventDefault();
    if (!event.altKey) {
      if (key === 'ArrowUp') focusCard(columnIndex, Math.max(0, index - 1));
      if (key === 'ArrowDown') focusCard(columnIndex, index + 1);
      if (key === 'ArrowLeft') focusCard(columnIndex - 1, index);
      if (key === 'ArrowRight') focusCard(columnIndex + 1, index);
      return;
    }
    if (!editable) return;
    if (key === 'ArrowLeft' || key === 'ArrowRight') {
      const target = columns[columnIndex + (key === 'ArrowLeft' ? -1 : 1)];
      if (!target) return;
      moveTask(session.ydoc, task.id, { column: target.id });
      // Appended at the bottom: make sure the bottom of the column is shown.
      setLimits((l) => ({ ...l, [target.id]: Math.max(l[target.id] ?? CARDS_PER_PAGE, (byColumn.get(target.id)?.length ?? 0) + 1) }));
      focusNext.current = task.id;
      props.onAnnounce(t.boards.moved(task.title, target.title));
      return;
    }
    // Reorder among the visible cards: before the one above, after the one below.
    const neighbour = cards[index + (key === 'ArrowUp' ? -1 : 1)];
    if (!neighbour) return;
    moveTask(session.ydoc, task.id, key === 'ArrowUp' ? { column: task.column, before: neighbour.id } : { column: task.column, after: neighbour.id });
    focusNext.current = task.id;
    props.onAnnounce(t.boards.reordered(task.title, index + (key === 'ArrowUp' ? 0 : 2), cards.length));
  };

  const onDragOver = (event: DragEvent<HTMLElement>, columnId: string) => {
    if (!editable || !event.dataTransfer.types.includes(DRAG_TYPE)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
    if (dropColumn !== columnId) setDropColumn(columnId);
  };

  /** Dropped: before the first card whose middle is below the pointer, else after the last one shown. */
  const onDrop = (event: DragEvent<HTMLElement>, columnId: string, columnTitle: string) => {
    setDropColumn(null);
    const taskId = event.dataTransfer.getData(DRAG_TYPE);
    if (!editable || !taskId) return;
    event.preventDefault();
    const cards = [...event.currentTarget.querySelectorAll<HTMLElement>('[data-task-id]')].filter((el) => el.dataset.taskId !== taskId);
    const below = cards.find((el) => {
      const rect = el.getBoundingClientRect();
      return event.clientY < rect.top + rect.height / 2;
    });
    const last = cards.at(-1)?.dataset.taskId;
    moveTask(session.ydoc, taskId, below?.dataset.taskId ? { column: columnId, before: below.dataset.taskId } : last ? { column: columnId, after: last } : { column: columnId });
    const task = [...byColumn.values()].flat().find((x) => x.id === taskId);
    if (!task) return;
    const position = below ? cards.indexOf(below) + 1 : cards.length + 1;
    props.onAnnounce(task.column === columnId ? t.boards.reordered(task.title, position, cards.length + 1) : t.boards.moved(task.title, columnTitle));
  };

  return (
    <div className="kanban" data-filtered={props.filtered ? 'true' : undefined}>
      <p id="kanban-hint" className="visually-hidden">
        {t.boards.card.keyboardHint}
      </p>
      {columns.map((column, columnIndex) => {
        const cards = byColumn.get(column.id) ?? [];
        const shown = cards.slice(0, limitOf(column.id));
        const headingId = `column-${column.id}`;
        return (
          <section
            key={column.id}
            className={`kanban-column${column.done ? ' kanban-column-done' : ''}${dropColumn === column.id ? ' kanban-drop' : ''}`}
            aria-labelledby={headingId}
            data-column={column.id}
            onDragOver={(event) => onDragOver(event, column.id)}
            onDragLeave={(event) => {
              if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDropColumn(null);
            }}
            onDrop={(event) => onDrop(event, column.id, column.title)}
          >
            <header className="kanban-column-header">
              <h2 id={headingId}>{column.title}</h2>
              <span className="kanban-count">{t.boards.column.count(cards.length)}</span>
            </header>
            {shown.length === 0 ? (
              <p className="kanban-empty muted small">{t.boards.column.empty}</p>
            ) : (
              <ul className="kanban-cards" aria-labelledby={headingId}>
                {shown.map((task, index) => (
                  <li key={task.id}>
                    <TaskCard
                      draggable={editable}
                      task={task}
                      done={column.done}
                      today={props.today}
                      nameOf={props.nameOf}
                      onOpen={() => props.onOpen(task.id)}
                      onKeyDown={(event) => onCardKey(event, task, columnIndex, index)}
                    />
                  </li>
                ))}
              </ul>
            )}
            {cards.length > shown.length && (
              <button
                type="button"
                className="button button-ghost button-small kanban-more"
                onClick={() => setLimits((l) => ({ ...l, [column.id]: limitOf(column.id) + CARDS_PER_PAGE * 4 }))}
              >
                {t.boards.column.more(cards.length - shown.length)}
              </button>
            )}
            {editable && (
              <AddTask
                columnId={column.id}
                columnTitle={column.title}
                session={session}
                open={props.addingIn === column.id}
                onOpen={(open) => props.onAddingIn(open ? column.id : null)}
                onCreated={(title) => {
                  setLimits((l) => ({ ...l, [column.id]: Math.max(limitOf(column.id), cards.length + 1) }));
                  props.onAnnounce(t.boards.created(title));
                }}
              />
            )}
          </section>
        );
      })}
    </div>
  );
}

function TaskCard({
  draggable,
  task,
  done,
  today,
  nameOf,
  onOpen,
  onKeyDown,
}: {
  readonly draggable: boolean;
  readonly task: TaskSummary;
  readonly done: boolean;
  readonly today: string;
  readonly nameOf: (userId: string) => string;
  readonly onOpen: () => void;
  readonly onKeyDown: (event: KeyboardEvent<HTMLButtonElement>) => void;
}) {
  const t = useT();
  const state = dueState(task.due, done, today);
  return (
    <button
      type="button"
      className={`task-card${state === 'overdue' ? ' task-overdue' : state === 'today' ? ' task-due-today' : ''}`}
      data-task-id={task.id}
      aria-describedby="kanban-hint"
      draggable={draggable}
      onDragStart={(event) => {
        event.dataTransfer.setData(DRAG_TYPE, task.id);
        event.dataTransfer.effectAllowed = 'move';
      }}
      onClick={onOpen}
      onKeyDown={onKeyDown}
    >
      <span className="task-card-title">{task.title}</span>
      <span className="task-card-meta">
        {task.due && <DueBadge due={task.due} state={state} />}
        <PriorityBadge priority={task.priority} />
        {task.checklistTotal > 0 && <span className="meta-chip">{t.boards.card.checklist(task.checklistDone, task.checklistTotal)}</span>}
        {task.comments > 0 && <span className="meta-chip">{t.boards.card.comments(task.comments)}</span>}
        {task.links > 0 && <span className="meta-chip">{t.boards.card.links(task.links)}</span>}
      </span>
      <span className="task-card-people">
        <Avatars ids={task.assignees} nameOf={nameOf} />
      </span>
    </button>
  );
}

function AddTask({
  columnId,
  columnTitle,
  session,
  open,
  onOpen,
  onCreated,
}: {
  readonly columnId: string;
  readonly columnTitle: string;
  readonly session: BoardSession;
  readonly open: boolean;
  readonly onOpen: (open: boolean) => void;
  readonly onCreated: (title: string) => void;
}) {
  const t = useT();
  const workspace = useWorkspace();
  const [title, setTitle] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const inputId = `new-task-${columnId}`;

  useEffect(() => {
    if (open) input.current?.focus();
  }, [open]);

  const close = () => {
    onOpen(false);
    setTitle('');
    setTimeout(() => button.current?.focus(), 0);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const text = title.trim();
    if (!text) return;
    createTask(session.ydoc, {
      id: crypto.randomUUID(),
      title: text,
      column: columnId,
      createdBy: workspace.user.id,
      createdAt: new Date().toISOString(),
    });
    setTitle('');
    onCreated(text);
    input.current?.focus();
  };

  if (!open) {
    return (
      <button
        ref={button}
        type="button"
        className="button button-ghost button-small kanban-add"
        data-add-column={columnId}
        aria-label={t.boards.column.addTo(columnTitle)}
        onClick={() => onOpen(true)}
      >
        <span aria-hidden="true">+</span> {t.boards.column.add}
      </button>
    );
  }
  return (
    <form className="kanban-add-form" onSubmit={submit}>
      <label htmlFor={inputId} className="visually-hidden">
        {t.boards.column.newTask}
      </label>
      <input
        ref={input}
        id={inputId}
        value={title}
        maxLength={300}
        placeholder={t.boards.column.newTask}
        onChange={(e) => setTitle(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            close();
          }
        }}
      />
      <div className="kanban-add-actions">
        <button type="submit" className="button button-primary button-small">
          {t.boards.column.submit}
        </button>
        <button type="button" className="button button-secondary button-small" onClick={close}>
          {t.boards.column.cancel}
        </button>
      </div>
    </form>
  );
}

/**
 * One task, in a modal dialog: every field of common/board.ts, each written to the board's Y.Doc on
 * its own (title and description when the field is left or Enter is pressed, the others at once),
 * so two people editing different fields of one task both keep their change. The column select is
 * the keyboard's move menu. Viewers see the same dialog with every control disabled.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { User } from '../../common/api.ts';
import {
  addChecklistItem,
  addComment,
  dueState,
  PRIORITIES,
  removeChecklistItem,
  setAssignee,
  setChecklistDone,
  setLink,
  updateTask,
  type BoardView,
  type Priority,
  type TaskView,
} from '../../common/board.ts';
import { Link } from '../app/router.tsx';
import { useLiveQuery, useWorkspace } from '../app/workspace-context.tsx';
import { useT } from '../i18n/i18n.tsx';
import type { BoardSession } from './board-session.ts';
import { DueBadge } from './task-parts.tsx';

export interface TaskDialogProps {
  /** Undefined when the task is not (or no longer) on the board. */
  readonly task: TaskView | undefined;
  /** The board's Y.Doc is still loading (the board is shown from the index): the task comes soon. */
  readonly loading: boolean;
  readonly board: BoardView;
  readonly session: BoardSession;
  readonly readOnly: boolean;
  readonly people: readonly User[];
  readonly nameOf: (userId: string) => string;
  readonly today: string;
  readonly onMove: (task: TaskView, column: string) => void;
  readonly onClose: () => void;
  readonly onAnnounce: (text: string) => void;
}

export function TaskDialog(props: TaskDialogProps) {
  const t = useT();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const headingId = useId();

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const close = () => {
    dialogRef.current?.close();
    props.onClose();
  };

  return (
    <dialog
      ref={dialogRef}
      className="dialog task-dialog"
      aria-labelledby={headingId}
      onCancel={(e) => {
        e.preventDefault();
        close();
      }}
    >
      <div className="task-dialog-head">
        <h2 id={headingId}>{t.boards.task.dialogTitle}</h2>
        <button type="button" className="button button-secondary button-small" onClick={close}>
          {t.boards.task.close}
        </button>
      </div>
      {props.task ? (
        <TaskFields {...props} task={props.task} onClose={close} />
      ) : props.loading ? (
        <p className="muted" role="status">
          {t.boards.loading}
        </p>
      ) : (
        <p className="notice">{t.boards.task.gone}</p>
      )}
    </dialog>
  );
}

function TaskFields({ task, board, session, readOnly, people, nameOf, today, onMove, onClose, onAnnounce }: TaskDialogProps & { readonly task: TaskView }) {
  const t = useT();
  const workspace = useWorkspace();
  const doc = session.ydoc;
  const ids = useId();
  const column = board.columns.find((c) => c.id === task.column);
  const state = dueState(task.due, column?.done === true, today);
  const documents = useLiveQuery(() => workspace.db.documents.orderBy('updatedAt').reverse().toArray(), [workspace]);
  const [title, setTitle] = useState(task.title);
  const [description, setDescription] = useState(task.description);
  const [newItem, setNewItem] = useState('');
  const [comment, setComment] = useState('');
  const [linkChoice, setLinkChoice] = useState('');
  const titleRef = useRef<HTMLInputElement>(null);
  const descriptionRef = useRef<HTMLTextAreaElement>(null);

  // Someone else's edit shows at once, unless this field is being typed in.
  useEffect(() => {
    if (document.activeElement !== titleRef.current) setTitle(task.title);
  }, [task.title]);
  useEffect(() => {
    if (document.activeElement !== descriptionRef.current) setDescription(task.description);
  }, [task.description]);

  const saveTitle = () => {
    if (title.trim() === '') setTitle(task.title);
    else if (title.trim() !== task.title) updateTask(doc, task.id, { title });
  };
  const saveDescription = () => {
    if (description !== task.description) updateTask(doc, task.id, { description });
  };
  const addItem = (event: FormEvent) => {
    event.preventDefault();
    if (!newItem.trim()) return;
    addChecklistItem(doc, task.id, { id: crypto.randomUUID(), text: newItem });
    setNewItem('');
  };
  const sendComment = (event: FormEvent) => {
    event.preventDefault();
    if (!comment.trim()) return;
    addComment(doc, task.id, { id: crypto.randomUUID(), authorId: workspace.user.id, text: comment, at: new Date().toISOString() });
    setComment('');
  };
  const linkDocument = (event: FormEvent) => {
    event.preventDefault();
    const chosen = documents?.find((d) => d.id === linkChoice);
    if (!chosen) return;
    setLink(doc, task.id, { documentId: chosen.id, title: chosen.title }, true);
    setLinkChoice('');
  };
  const linked = new Set(task.links.map((l) => l.documentId));
  const createdAt = task.createdAt ? new Date(task.createdAt) : null;

  return (
    <div className="task-fields" data-task-dialog={task.id}>
      <div className="field">
        <label htmlFor={`${ids}-title`}>{t.boards.task.title}</label>
        <input
          ref={titleRef}
          id={`${ids}-title`}
          value={title}
          maxLength={300}
          disabled={readOnly}
          onChange={(e) => setTitle(e.target.value)}
          onBlur={saveTitle}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              saveTitle();
            }
          }}
        />
      </div>
      <div className="task-grid">
        <div className="field">
          <label htmlFor={`${ids}-column`}>{t.boards.task.column}</label>
          <select id={`${ids}-column`} value={task.column} disabled={readOnly} onChange={(e) => onMove(task, e.target.value)}>
            {board.columns.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-priority`}>{t.boards.task.priority}</label>
          <select
            id={`${ids}-priority`}
            value={task.priority}
            disabled={readOnly}
            onChange={(e) => updateTask(doc, task.id, { priority: e.target.value as Priority })}
          >
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {t.boards.priority[p]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-due`}>{t.boards.task.due}</label>
          <div className="due-field">
            <input
              id={`${ids}-due`}
              type="date"
              value={task.due ?? ''}
              disabled={readOnly}
              aria-describedby={`${ids}-due-text`}
              onChange={(e) => updateTask(doc, task.id, { due: e.target.value === '' ? null : e.target.value })}
            />
            {task.due && !readOnly && (
              <button type="button" className="button button-ghost button-small" onClick={() => updateTask(doc, task.id, { due: null })}>
                {t.boards.task.clearDue}
              </button>
            )}
          </div>
          <p id={`${ids}-due-text`} className="field-hint">
            {task.due ? <DueBadge due={task.due} state={state} /> : t.boards.task.noDue}
          </p>
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${ids}-description`}>{t.boards.task.description}</label>
        <textarea
          ref={descriptionRef}
          id={`${ids}-description`}
          rows={3}
          value={description}
          disabled={readOnly}
          onChange={(e) => setDescription(e.target.value)}
          onBlur={saveDescription}
        />
      </div>

      <fieldset className="task-section">
        <legend>{t.boards.task.assignees}</legend>
        {people.length <= 1 && <p className="field-hint">{t.boards.task.noPeople}</p>}
        <ul className="check-list">
          {people.map((person) => (
            <li key={person.id}>
              <label className="check-label">
                <input
                  type="checkbox"
                  checked={task.assignees.includes(person.id)}
                  disabled={readOnly}
                  onChange={(e) => setAssignee(doc, task.id, person.id, e.target.checked)}
                />
                {person.displayName}
              </label>
            </li>
          ))}
          {task.assignees
            .filter((id) => !people.some((p) => p.id === id))
            .map((id) => (
              <li key={id}>
                <label className="check-label">
                  <input type="checkbox" checked disabled={readOnly} onChange={() => setAssignee(doc, task.id, id, false)} />
                  {nameOf(id)}
                </label>
              </li>
            ))}
        </ul>
      </fieldset>

      <fieldset className="task-section">
        <legend>{t.boards.task.checklist}</legend>
        <ul className="check-list">
          {task.checklist.map((item) => (
            <li key={item.id} className="checklist-item">
              <label className="check-label">
                <input type="checkbox" checked={item.done} disabled={readOnly} onChange={(e) => setChecklistDone(doc, task.id, item.id, e.target.checked)} />
                <span className={item.done ? 'checklist-done' : undefined}>{item.text}</span>
              </label>
              {!readOnly && (
                <button
                  type="button"
                  className="icon-button"
                  aria-label={t.boards.task.removeItem(item.text)}
                  onClick={() => removeChecklistItem(doc, task.id, item.id)}
                >
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
        {!readOnly && (
          <form className="inline-form" onSubmit={addItem}>
            <label htmlFor={`${ids}-item`} className="visually-hidden">
              {t.boards.task.newItem}
            </label>
            <input id={`${ids}-item`} value={newItem} maxLength={300} placeholder={t.boards.task.newItem} onChange={(e) => setNewItem(e.target.value)} />
            <button type="submit" className="button button-secondary button-small">
              {t.boards.task.addItem}
            </button>
          </form>
        )}
      </fieldset>

      <fieldset className="task-section">
        <legend>{t.boards.task.links}</legend>
        {task.links.length === 0 ? (
          <p className="field-hint">{t.boards.task.noLinks}</p>
        ) : (
          <ul className="link-list">
            {task.links.map((link) => (
              <li key={link.documentId}>
                <Link href={`/documents/${link.documentId}`} onClick={onClose}>
                  {link.title || link.documentId}
                </Link>
                {!readOnly && (
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={t.boards.task.unlink(link.title)}
                    onClick={() => setLink(doc, task.id, link, false)}
                  >
                    ×
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
        {!readOnly && (documents?.length ?? 0) > 0 && (
          <form className="inline-form" onSubmit={linkDocument}>
            <label htmlFor={`${ids}-link`} className="visually-hidden">
              {t.boards.task.chooseDocument}
            </label>
            <select id={`${ids}-link`} value={linkChoice} onChange={(e) => setLinkChoice(e.target.value)}>
              <option value="">{t.boards.task.chooseDocument}</option>
              {documents
                ?.filter((d) => !linked.has(d.id))
                .map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.title}
                  </option>
                ))}
            </select>
            <button type="submit" className="button button-secondary button-small">
              {t.boards.task.link}
            </button>
          </form>
        )}
      </fieldset>

      <fieldset className="task-section">
        <legend>{t.boards.task.comments}</legend>
        {task.comments.length === 0 ? (
          <p className="field-hint">{t.boards.task.noComments}</p>
        ) : (
          <ol className="comment-list">
            {task.comments.map((c) => {
              const at = new Date(c.at);
              return (
                <li key={c.id}>
                  <p className="comment-meta small">
                    <strong>{nameOf(c.authorId)}</strong>{' '}
                    {!Number.isNaN(at.getTime()) && (
                      <time dateTime={c.at} className="muted">
                        {t.date.time(at)}, {t.date.long(at)}
                      </time>
                    )}
                  </p>
                  <p className="comment-text">{c.text}</p>
                </li>
              );
            })}
          </ol>
        )}
        {!readOnly && (
          <form className="inline-form comment-form" onSubmit={sendComment}>
            <label htmlFor={`${ids}-comment`} className="visually-hidden">
              {t.boards.task.newComment}
            </label>
            <textarea id={`${ids}-comment`} rows={2} value={comment} placeholder={t.boards.task.newComment} onChange={(e) => setComment(e.target.value)} />
            <button type="submit" className="button button-secondary button-small">
              {t.boards.task.addComment}
            </button>
          </form>
        )}
      </fieldset>

      <div className="task-footer">
        <p className="muted small">
          {t.boards.task.createdBy(nameOf(task.createdBy), createdAt && !Number.isNaN(createdAt.getTime()) ? t.date.long(createdAt) : '')}
        </p>
        {!readOnly && (
          <button
            type="button"
            className="button button-ghost button-small text-danger"
            onClick={() => {
              updateTask(doc, task.id, { archived: true });
              onAnnounce(t.boards.task.archived(task.title));
              onClose();
            }}
          >
            {t.boards.task.archive}
          </button>
        )}
      </div>
    </div>
  );
}


/**
 * "Tạo việc" on a document: a task on one of the user's boards, linked to the document, with an
 * assignee and a due date. Written into the board's Y.Doc on this device (Workspace.editBoard), so
 * it works offline and reaches the server with the board's next exchange.
 */
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { createTask } from '../../common/board.ts';
import { canWriteBoard } from '../../common/board-access.ts';
import { Link } from '../app/router.tsx';
import { useLiveQuery, useWorkspace } from '../app/workspace-context.tsx';
import { boardPeople } from '../boards/people.ts';
import { useT } from '../i18n/i18n.tsx';
import { getKv, type LocalDocument } from '../store/db.ts';

export function CreateLinkedTask({ document: record }: { readonly document: LocalDocument }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button ref={button} type="button" className="button button-secondary button-small" onClick={() => setOpen(true)}>
        {t.linkTask.button}
      </button>
      {open && (
        <LinkedTaskDialog
          record={record}
          onClose={() => {
            setOpen(false);
            button.current?.focus();
          }}
        />
      )}
    </>
  );
}

function LinkedTaskDialog({ record, onClose }: { readonly record: LocalDocument; readonly onClose: () => void }) {
  const t = useT();
  const workspace = useWorkspace();
  const ids = useId();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const boards = useLiveQuery(async () => (await workspace.db.boards.orderBy('updatedAt').reverse().toArray()).filter((b) => canWriteBoard(b.role) && !b.refused), [workspace]);
  const directory = useLiveQuery(() => getKv(workspace.db, 'directory'), [workspace]);
  const [boardId, setBoardId] = useState('');
  const [title, setTitle] = useState(t.linkTask.defaultTitle(record.title));
  const [assignee, setAssignee] = useState('');
  const [due, setDue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ boardId: string; title: string } | null>(null);
  const chosenId = boardId || boards?.[0]?.id || '';
  const chosen = boards?.find((b) => b.id === chosenId);
  const people = useMemo(() => (chosen ? boardPeople(chosen.ownerId, chosen.members, directory, workspace.user) : []), [chosen, directory, workspace.user]);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const close = () => {
    dialogRef.current?.close();
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) return;
    if (!title.trim()) {
      setError(t.linkTask.required);
      return;
    }
    await workspace.editBoard(chosen.id, (doc) =>
      createTask(doc, {
        id: crypto.randomUUID(),
        title,
        createdBy: workspace.user.id,
        createdAt: new Date().toISOString(),
        assignees: assignee ? [assignee] : [],
        due: due || null,
        links: [{ documentId: record.id, title: record.title }],
      }),
    );
    setCreated({ boardId: chosen.id, title: chosen.title });
  };

  return (
    <dialog
      ref={dialogRef}
      className="dialog"
      aria-labelledby={`${ids}-heading`}
      onCancel={(e) => {
        e.preventDefault();
        close();
      }}
    >
      <h2 id={`${ids}-heading`}>{t.linkTask.title}</h2>
      {created ? (
        <>
          <p role="status">{t.linkTask.created(created.title)}</p>
          <div className="dialog-actions">
            <Link href={`/boards/${created.boardId}`} className="button button-secondary">
              {t.linkTask.open}
            </Link>
            <button type="button" className="button button-primary" onClick={close}>
              {t.boards.task.close}
            </button>
          </div>
        </>
      ) : boards !== undefined && boards.length === 0 ? (
        <>
          <p className="note">{t.linkTask.noBoards}</p>
          <div className="dialog-actions">
            <button type="button" className="button button-secondary" onClick={close}>
              {t.linkTask.cancel}
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <div className="field">
            <label htmlFor={`${ids}-board`}>{t.linkTask.board}</label>
            <select id={`${ids}-board`} value={chosenId} onChange={(e) => setBoardId(e.target.value)}>
              {boards?.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.title}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${ids}-title`}>{t.linkTask.taskTitle}</label>
            <input
              id={`${ids}-title`}
              value={title}
              maxLength={300}
              aria-invalid={error ? true : undefined}
              onChange={(e) => {
                setTitle(e.target.value);
                setError(null);
              }}
            />
            {error && (
              <p className="form-error" role="alert">
                {error}
              </p>
            )}
          </div>
          <div className="field">
            <label htmlFor={`${ids}-assignee`}>{t.linkTask.assignee}</label>
            <select id={`${ids}-assignee`} value={assignee} onChange={(e) => setAssignee(e.target.value)}>
              <option value="">{t.linkTask.nobody}</option>
              {people.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.displayName}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${ids}-due`}>{t.linkTask.due}</label>
            <input id={`${ids}-due`} type="date" value={due} onChange={(e) => setDue(e.target.value)} />
          </div>
          <div className="dialog-actions">
            <button type="button" className="button button-secondary" onClick={close}>
              {t.linkTask.cancel}
            </button>
            <button type="submit" className="button button-primary">
              {t.linkTask.submit}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}

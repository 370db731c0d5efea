/** "Bảng mới": a name and "Tạo"; the board is made on this device and opened at once (the outbox tells the server). */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { navigate } from '../app/router.tsx';
import { useWorkspace, useWorkspaceStatus } from '../app/workspace-context.tsx';
import { useT } from '../i18n/i18n.tsx';

export function NewBoardDialog({ onClose }: { readonly onClose: () => void }) {
  const t = useT();
  const workspace = useWorkspace();
  const status = useWorkspaceStatus();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const [title, setTitle] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = useId();

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    inputRef.current?.focus();
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (!title.trim()) {
      setError(t.boards.required);
      inputRef.current?.focus();
      return;
    }
    setBusy(true);
    const id = await workspace.createBoard({ title });
    dialogRef.current?.close();
    onClose();
    navigate(`/boards/${id}`);
  };

  return (
    <dialog
      ref={dialogRef}
      className="dialog"
      aria-labelledby={`${ids}-heading`}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <form onSubmit={(e) => void submit(e)} noValidate>
        <h2 id={`${ids}-heading`}>{t.boards.createTitle}</h2>
        <div className="field">
          <label htmlFor={`${ids}-title`}>{t.boards.boardTitle}</label>
          <input
            ref={inputRef}
            id={`${ids}-title`}
            value={title}
            maxLength={300}
            required
            aria-describedby={error ? `${ids}-hint ${ids}-error` : `${ids}-hint`}
            aria-invalid={error ? true : undefined}
            onChange={(e) => {
              setTitle(e.target.value);
              if (error) setError(null);
            }}
          />
          <p id={`${ids}-hint`} className="field-hint">
            {t.boards.boardTitleHint}
          </p>
          {error && (
            <p id={`${ids}-error`} className="form-error" role="alert">
              {error}
            </p>
          )}
        </div>
        {status.phase === 'offline' && <p className="note">{t.boards.offlineNote}</p>}
        <div className="dialog-actions">
          <button type="button" className="button button-secondary" onClick={onClose}>
            {t.boards.cancel}
          </button>
          <button type="submit" className="button button-primary" aria-disabled={busy}>
            {t.boards.create}
          </button>
        </div>
      </form>
    </dialog>
  );
}

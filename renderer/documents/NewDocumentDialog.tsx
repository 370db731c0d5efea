/**
 * "Văn bản mới": type (Decree 30), title, "Tạo". Creation never waits for the network: the
 * document is made on this device with its own id and opened at once; the server learns of it
 * through the outbox.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { DOCUMENT_TYPE_CODES, DOCUMENT_TYPES, type DocumentTypeCode } from '../../common/document-types.ts';
import { navigate } from '../app/router.tsx';
import { useWorkspace, useWorkspaceStatus } from '../app/workspace-context.tsx';
import { useT } from '../i18n/i18n.tsx';

// The types officials draft most often first; the rest follow in the decree's order.
const COMMON: readonly DocumentTypeCode[] = ['CV', 'QĐ', 'TTr', 'BC', 'TB', 'KH', 'GM'];
const ORDERED = [...COMMON, ...DOCUMENT_TYPE_CODES.filter((c) => !COMMON.includes(c))];

export function NewDocumentDialog({ onClose }: { readonly onClose: () => void }) {
  const t = useT();
  const workspace = useWorkspace();
  const status = useWorkspaceStatus();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const titleRef = useRef<HTMLInputElement>(null);
  const [type, setType] = useState<DocumentTypeCode>('CV');
  const [title, setTitle] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const headingId = useId();
  const hintId = useId();
  const errorId = useId();

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    titleRef.current?.focus();
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (!title.trim()) {
      setError(t.create.required);
      titleRef.current?.focus();
      return;
    }
    setBusy(true);
    const id = await workspace.createDocument({ type, title });
    dialogRef.current?.close();
    navigate(`/documents/${id}`);
  };

  return (
    <dialog
      ref={dialogRef}
      className="dialog"
      aria-labelledby={headingId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <form onSubmit={(e) => void submit(e)} noValidate>
        <h2 id={headingId}>{t.create.title}</h2>
        <div className="field">
          <label htmlFor="new-doc-type">{t.create.type}</label>
          <select id="new-doc-type" value={type} onChange={(e) => setType(e.target.value as DocumentTypeCode)}>
            {ORDERED.map((code) => (
              <option key={code} value={code}>
                {DOCUMENT_TYPES[code].name}
                {DOCUMENT_TYPES[code].symbol ? ` (${DOCUMENT_TYPES[code].symbol})` : ''}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="new-doc-title">{t.create.docTitle}</label>
          <input
            ref={titleRef}
            id="new-doc-title"
            value={title}
            maxLength={300}
            onChange={(e) => {
              setTitle(e.target.value);
              if (error) setError(null);
            }}
            aria-describedby={error ? `${hintId} ${errorId}` : hintId}
            aria-invalid={error ? true : undefined}
            required
          />
          <p id={hintId} className="field-hint">
            {t.create.docTitleHint}
          </p>
          {error && (
            <p id={errorId} className="form-error" role="alert">
              {error}
            </p>
          )}
        </div>
        {status.phase === 'offline' && <p className="note">{t.create.offlineNote}</p>}
        <div className="dialog-actions">
          <button type="button" className="button button-secondary" onClick={onClose}>
            {t.create.cancel}
          </button>
          <button type="submit" className="button button-primary" aria-disabled={busy}>
            {t.create.submit}
          </button>
        </div>
      </form>
    </dialog>
  );
}

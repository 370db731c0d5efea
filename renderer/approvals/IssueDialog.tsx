/**
 * "Cho số và ban hành" (the clerk, văn thư): the server gives the number and the date in one
 * transaction and freezes the document for everyone. Online only: a number is never given
 * offline. The request id is made when the dialog opens, so pressing again after a lost answer
 * gets the same number back rather than a second one.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { WorkflowResponse } from '../../common/api.ts';
import { DOCUMENT_TYPES } from '../../common/document-types.ts';
import { approvedRound } from '../../common/workflow.ts';
import { useWorkspace, useOnline } from '../app/workspace-context.tsx';
import { useT } from '../i18n/i18n.tsx';
import type { LocalDocument } from '../store/db.ts';
import { issue } from './procedure.ts';

export function IssueDialog({
  record,
  workflow,
  nameOf,
  onClose,
}: {
  readonly record: LocalDocument;
  readonly workflow: WorkflowResponse;
  readonly nameOf: (id: string) => string;
  readonly onClose: (issued: boolean) => void;
}) {
  const t = useT();
  const a = t.approvals;
  const workspace = useWorkspace();
  const online = useOnline();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const submitRef = useRef<HTMLButtonElement>(null);
  const [requestId] = useState(() => crypto.randomUUID());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ids = { heading: useId(), intro: useId() };

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    submitRef.current?.focus();
  }, []);

  const signed = approvedRound({
    status: workflow.status,
    rounds: workflow.rounds.map((r) => ({ ...r, steps: r.steps, decisions: r.steps.map((s) => s.decision) })),
  });
  const signStep = signed?.steps.at(-1);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (!online) {
      setError(a.issue.offline);
      return;
    }
    setBusy(true);
    setError(null);
    const result = await issue(workspace, record.id, requestId);
    setBusy(false);
    if (result.ok) {
      dialogRef.current?.close();
      onClose(true);
    } else {
      setError(a.issue.failed(a.error(result.code)));
    }
  };

  return (
    <dialog
      ref={dialogRef}
      className="dialog"
      aria-labelledby={ids.heading}
      aria-describedby={ids.intro}
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) onClose(false);
      }}
    >
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <h2 id={ids.heading}>{a.issue.title}</h2>
        <p id={ids.intro}>{a.issue.intro}</p>
        <dl className="issue-summary">
          <dt>{a.issue.document}</dt>
          <dd>{record.title}</dd>
          <dt>{a.issue.type}</dt>
          <dd>{DOCUMENT_TYPES[record.type]?.name ?? record.type}</dd>
          {signStep && (
            <>
              <dt>{a.issue.signer}</dt>
              <dd>
                {signStep.authority ? `${signStep.authority} ` : ''}
                {nameOf(signStep.assigneeId)}
              </dd>
            </>
          )}
        </dl>
        {!online && <p className="note">{a.issue.offline}</p>}
        {busy && (
          <p className="muted small" role="status">
            {a.issue.sending}
          </p>
        )}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button button-secondary" onClick={() => !busy && onClose(false)} aria-disabled={busy}>
            {a.issue.cancel}
          </button>
          <button ref={submitRef} type="submit" className="button button-primary" aria-disabled={busy || !online}>
            {a.issue.submit}
          </button>
        </div>
      </form>
    </dialog>
  );
}

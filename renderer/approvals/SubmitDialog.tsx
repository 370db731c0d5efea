/**
 * "Trình duyệt": the drafter builds the chain from the directory (checks, approvals, then the one
 * signature for issue with its authority) and submits the version open on the page. Online only
 * (procedure.ts says why): offline, the dialog says so and sends nothing; the draft stays saved
 * on the device.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { AUTHORITIES, type Authority } from '../../common/workflow.ts';
import { useLiveQuery, useWorkspace, useOnline } from '../app/workspace-context.tsx';
import { useT } from '../i18n/i18n.tsx';
import { getKv, type LocalDocument } from '../store/db.ts';
import type { DocSession } from '../sync/doc-session.ts';
import { chainIssue, eligibleAssignees, proposeChain, toChain, type ChainDraft } from './chain.ts';
import { submit, type SubmitPhase } from './procedure.ts';

type ListKey = 'checks' | 'approvals';

export function SubmitDialog({ record, session, onClose }: { readonly record: LocalDocument; readonly session: DocSession | null; readonly onClose: () => void }) {
  const t = useT();
  const a = t.approvals;
  const workspace = useWorkspace();
  const online = useOnline();
  const directory = useLiveQuery(() => getKv(workspace.db, 'directory'), [workspace]);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [draft, setDraft] = useState<ChainDraft | null>(null);
  const [phase, setPhase] = useState<SubmitPhase | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ids = { heading: useId(), intro: useId(), error: useId(), signer: useId(), authority: useId() };

  const people = directory ? eligibleAssignees(directory.users, record.agencyId) : [];
  useEffect(() => {
    if (draft === null && directory) setDraft(proposeChain(directory.users, workspace.user, record.agencyId));
  }, [draft, directory, workspace.user, record.agencyId]);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const label = (id: string): string => {
    const u = people.find((p) => p.id === id);
    return u ? a.submit.personLabel(u.displayName, u.title, u.unit) : '';
  };

  const setList = (key: ListKey, list: readonly string[]) => draft && setDraft({ ...draft, [key]: list });
  const busy = phase !== null;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy || !draft) return;
    const issue = chainIssue(draft);
    if (issue) {
      setError(a.submit.issues[issue]);
      return;
    }
    if (!online) {
      setError(a.submit.offline);
      return;
    }
    if (!session) {
      setError(a.error('not_synced'));
      return;
    }
    setError(null);
    const result = await submit(workspace, session, toChain(draft), setPhase);
    setPhase(null);
    if (result.ok) {
      dialogRef.current?.close();
      onClose();
    } else {
      setError(a.submit.failed(a.error(result.code)));
    }
  };

  const order = draft
    ? toChain(draft)
        .map((step) => `${a.kind[step.kind]}${step.assigneeId ? ` (${people.find((p) => p.id === step.assigneeId)?.displayName ?? '…'})` : ''}`)
        .join(' → ')
    : '';

  const list = (key: ListKey, title: string, hint: string, add: string) => {
    const ids = draft?.[key] ?? [];
    const stepName = key === 'checks' ? a.kindInline.check : a.kindInline.approve;
    return (
      <fieldset className="chain-group">
        <legend>{title}</legend>
        <p className="field-hint">{hint}</p>
        {ids.length === 0 && <p className="muted small">{a.submit.none}</p>}
        {ids.map((id, i) => {
          const selectId = `chain-${key}-${i}`;
          return (
            <div key={i} className="chain-row">
              <label htmlFor={selectId} className="visually-hidden">
                {`${a.submit.person(stepName)} ${i + 1}`}
              </label>
              <select id={selectId} value={id} onChange={(e) => setList(key, ids.map((x, j) => (j === i ? e.target.value : x)))}>
                <option value="">{a.submit.choose}</option>
                {people.map((p) => (
                  <option key={p.id} value={p.id}>
                    {label(p.id)}
                  </option>
                ))}
              </select>
              <button
                type="button"
                className="button button-secondary button-small"
                aria-label={a.submit.remove(stepName, i + 1)}
                onClick={() => setList(key, ids.filter((_, j) => j !== i))}
              >
                <span aria-hidden="true">✕</span>
              </button>
            </div>
          );
        })}
        <button type="button" className="button button-secondary button-small" onClick={() => setList(key, [...ids, ''])}>
          <span aria-hidden="true">+</span> {add}
        </button>
      </fieldset>
    );
  };

  return (
    <dialog
      ref={dialogRef}
      className="dialog dialog-wide"
      aria-labelledby={ids.heading}
      aria-describedby={ids.intro}
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) onClose();
      }}
    >
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <h2 id={ids.heading}>{a.submit.title}</h2>
        <p id={ids.intro} className="muted">
          {a.submit.intro}
        </p>
        <p className="submit-doc">
          <strong>{record.title}</strong>
        </p>
        {list('checks', a.submit.checks, a.submit.checksHint, a.submit.addCheck)}
        {list('approvals', a.submit.approvals, a.submit.approvalsHint, a.submit.addApproval)}
        <fieldset className="chain-group">
          <legend>{a.submit.sign}</legend>
          <div className="chain-sign">
            <div className="field">
              <label htmlFor={ids.signer}>{a.submit.person(a.kindInline.sign)}</label>
              <select id={ids.signer} value={draft?.signer ?? ''} onChange={(e) => draft && setDraft({ ...draft, signer: e.target.value })}>
                <option value="">{a.submit.choose}</option>
                {people.map((p) => (
                  <option key={p.id} value={p.id}>
                    {label(p.id)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={ids.authority}>{a.submit.authority}</label>
              <select
                id={ids.authority}
                value={draft?.authority ?? ''}
                onChange={(e) => draft && setDraft({ ...draft, authority: e.target.value === '' ? null : (e.target.value as Authority) })}
              >
                <option value="">{a.authority.none}</option>
                {AUTHORITIES.map((authority) => (
                  <option key={authority} value={authority}>
                    {a.authority[authority]}
                  </option>
                ))}
              </select>
            </div>
          </div>
        </fieldset>
        <p className="small chain-order">{a.submit.order(order)}</p>
        {!online && <p className="note">{a.submit.offline}</p>}
        {phase && (
          <p className="muted small" role="status">
            {phase === 'syncing' ? a.submit.waitingSync : a.submit.sending}
          </p>
        )}
        {error && (
          <p id={ids.error} className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button button-secondary" onClick={() => !busy && onClose()} aria-disabled={busy}>
            {a.submit.cancel}
          </button>
          <button type="submit" className="button button-primary" aria-disabled={busy || !online}>
            {a.submit.submit}
          </button>
        </div>
      </form>
    </dialog>
  );
}

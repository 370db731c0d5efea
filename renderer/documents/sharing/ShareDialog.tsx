/**
 * "Chia sẻ": the owner sees who has access, adds a user or a whole agency from the directory
 * (other agencies included) as Người xem / Người góp ý / Người sửa, changes a role, removes a
 * share. Others see who has access, read-only, as far as the server tells them.
 *
 * Every change goes to the server at once and the dialog shows the server's answer; offline the
 * dialog shows the last list read and explains why nothing can change (docs/client.md, "Sharing").
 * Changes are announced in a status region, failures in an alert.
 */
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import type { Principal, Share } from '../../../common/api.ts';
import { useLiveQuery, useWorkspace, useWorkspaceStatus } from '../../app/workspace-context.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { Messages } from '../../i18n/vi.ts';
import { getKv, type LocalDocument } from '../../store/db.ts';
import type { ApiFailure } from '../../api/client.ts';
import { candidateGroups, principalKey, principalName, SHARE_ROLES, shareRows, type ShareRole } from './share-list.ts';
import { lastKnownShares, putShare, readShares, removeShare, type SharesView } from './share-service.ts';
import './sharing.css';

type Feedback = { readonly kind: 'done' | 'error'; readonly text: string } | null;

function failureText(t: Messages, error: ApiFailure): string {
  if (error.kind === 'network') return t.sharing.errors.network;
  if (error.code === 'unknown_principal' || error.code === 'forbidden' || error.code === 'not_found') return t.sharing.errors[error.code];
  return t.sharing.errors.other(error.code === 'unknown' ? String(error.status) : error.code);
}

export function ShareDialog({ record, onClose }: { readonly record: LocalDocument; readonly onClose: () => void }) {
  const t = useT();
  const workspace = useWorkspace();
  const status = useWorkspaceStatus();
  const directory = useLiveQuery(() => getKv(workspace.db, 'directory'), [workspace]);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const firstFieldRef = useRef<HTMLInputElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const ids = useId();
  const isOwner = record.role === 'owner';
  const offline = status.phase === 'offline';
  const notOnServer = record.pendingCreate === true;
  const [view, setView] = useState<SharesView | 'loading' | 'failed'>('loading');
  const [stale, setStale] = useState(false);
  const [feedback, setFeedback] = useState<Feedback>(null);
  const [busy, setBusy] = useState(false);
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState('');
  const [role, setRole] = useState<ShareRole>('viewer');

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    (isOwner ? firstFieldRef.current : closeRef.current)?.focus();
  }, [isOwner]);

  // The list: from the server whenever it can answer, else the last one read (marked as such).
  useEffect(() => {
    if (notOnServer) {
      setView({ kind: 'full', shares: [] });
      return;
    }
    let live = true;
    const known = lastKnownShares(workspace.api, record.id);
    if (offline) {
      setView(known ? { kind: 'full', shares: known } : 'failed');
      setStale(true);
      return;
    }
    void readShares(workspace.api, record.id, isOwner).then((result) => {
      if (!live) return;
      if (result.ok) {
        setView(result.value);
        setStale(false);
      } else {
        setView(known ? { kind: 'full', shares: known } : 'failed');
        setStale(true);
        if (result.error.kind !== 'network') setFeedback({ kind: 'error', text: failureText(t, result.error) });
      }
    });
    return () => {
      live = false;
    };
    // `t` is left out on purpose: a language switch should not read the list again.
  }, [workspace, record.id, isOwner, offline, notOnServer]);

  const shares: readonly Share[] = typeof view === 'object' && view.kind === 'full' ? view.shares : [];
  const rows = useMemo(() => shareRows(shares, directory), [shares, directory]);
  const groups = useMemo(() => candidateGroups(directory, shares, workspace.user, query), [directory, shares, workspace.user, query]);
  const candidates = groups.flatMap((g) => g.candidates);
  const chosen = candidates.find((c) => c.key === selected) ?? (query.trim() ? candidates[0] : undefined);
  // Locked while the server cannot be asked; while a change is on its way the controls stay
  // focusable (disabling them would drop the keyboard focus) and the handlers wait instead.
  const locked = !isOwner || offline || notOnServer || stale || typeof view !== 'object';

  const nameOf = (principal: Principal) => principalName(principal, directory) ?? (principal.type === 'agency' ? principal.id : t.sharing.unknownUser);

  const change = async (principal: Principal, next: ShareRole | null) => {
    if (locked || busy) return false;
    setBusy(true);
    setFeedback(null);
    const result = next === null ? await removeShare(workspace.api, record.id, principal) : await putShare(workspace.api, record.id, { principal, role: next });
    setBusy(false);
    if (!result.ok) {
      setFeedback({ kind: 'error', text: failureText(t, result.error) });
      return false;
    }
    setView(result.value);
    // The removed row's button is gone: keep the keyboard in the dialog.
    if (next === null) firstFieldRef.current?.focus();
    const name = nameOf(principal);
    const existed = shares.some((s) => principalKey(s.principal) === principalKey(principal));
    setFeedback({
      kind: 'done',
      text: next === null ? t.sharing.removed(name) : existed ? t.sharing.changed(name, t.sharing.roles[next]) : t.sharing.added(name, t.sharing.roles[next]),
    });
    return true;
  };

  const add = async (event: FormEvent) => {
    event.preventDefault();
    if (locked || busy) return;
    if (!chosen) {
      setFeedback({ kind: 'error', text: t.sharing.chooseFirst });
      return;
    }
    if (await change(chosen.principal, role)) {
      // Ready for the next one, with the least access again.
      setSelected('');
      setQuery('');
      setRole('viewer');
    }
  };

  const close = () => {
    dialogRef.current?.close();
    onClose();
  };

  const owner = directory?.users.find((u) => u.id === record.ownerId);
  const ownerName = owner?.displayName ?? t.sharing.unknownUser;
  const myRole = record.role === 'owner' ? t.sharing.owner : t.sharing.roles[record.role];

  return (
    <dialog
      ref={dialogRef}
      className="dialog share-dialog"
      aria-labelledby={`${ids}-title`}
      onCancel={(e) => {
        e.preventDefault();
        close();
      }}
    >
      <h2 id={`${ids}-title`}>{isOwner ? t.sharing.title(record.title) : t.sharing.viewTitle(record.title)}</h2>

      {isOwner && notOnServer && <p className="note">{t.sharing.pendingCreate}</p>}
      {!notOnServer && (offline || stale) && (
        <p className="note">
          {t.sharing.offline} {typeof view === 'object' && view.kind === 'full' ? t.sharing.lastKnown : ''}
        </p>
      )}

      {isOwner && (
        <form className="share-add" onSubmit={(e) => void add(e)} noValidate>
          <fieldset disabled={locked}>
            <legend>{t.sharing.addLegend}</legend>
            <div className="field">
              <label htmlFor={`${ids}-search`}>{t.sharing.search}</label>
              <input
                ref={firstFieldRef}
                id={`${ids}-search`}
                type="search"
                placeholder={t.sharing.searchPlaceholder}
                value={query}
                onChange={(e) => {
                  setQuery(e.target.value);
                  setSelected('');
                }}
                aria-describedby={`${ids}-matches`}
                autoComplete="off"
              />
              <p id={`${ids}-matches`} className="field-hint" aria-live="polite">
                {query.trim() ? t.sharing.matches(candidates.length) : ''}
              </p>
            </div>
            <div className="field share-principal">
              <label htmlFor={`${ids}-principal`}>{t.sharing.principal}</label>
              <select id={`${ids}-principal`} value={chosen?.key ?? ''} onChange={(e) => setSelected(e.target.value)}>
                <option value="">{t.sharing.choose}</option>
                {groups.map((group) => (
                  <optgroup key={group.agency.id} label={group.agency.name}>
                    {group.candidates.map((c) => (
                      <option key={c.key} value={c.key}>
                        {c.principal.type === 'agency' ? t.sharing.wholeAgency(c.name) : t.sharing.userOption(c.name, c.detail)}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </select>
            </div>
            <div className="share-add-row">
              <div className="field share-role">
                <label htmlFor={`${ids}-role`}>{t.sharing.role}</label>
                <select id={`${ids}-role`} value={role} onChange={(e) => setRole(e.target.value as ShareRole)} aria-describedby={`${ids}-role-hint`}>
                  {SHARE_ROLES.map((r) => (
                    <option key={r} value={r}>
                      {t.sharing.roles[r]}
                    </option>
                  ))}
                </select>
              </div>
              <button type="submit" className="button button-primary share-submit" aria-disabled={busy}>
                {t.sharing.submit}
              </button>
            </div>
            <p id={`${ids}-role-hint`} className="field-hint">
              {t.sharing.roleHints[role]}
            </p>
          </fieldset>
        </form>
      )}

      <h3 className="share-list-title" id={`${ids}-current`}>
        {t.sharing.current}
      </h3>
      {view === 'loading' ? (
        <p className="muted" role="status">
          {t.sharing.loading}
        </p>
      ) : (
        <ul className="share-list" aria-labelledby={`${ids}-current`}>
          <li className="share-row">
            <div className="share-who">
              <span className="share-name">
                {ownerName} {record.ownerId === workspace.user.id && <span className="muted">{t.sharing.you}</span>}
              </span>
              {owner && <span className="share-detail">{owner.unit}</span>}
            </div>
            <span className="share-role-text">{t.sharing.owner}</span>
          </li>
          {view !== 'failed' && view.kind === 'partial' && (
            <li className="share-row">
              <div className="share-who">
                <span className="share-name">
                  {workspace.user.displayName} <span className="muted">{t.sharing.you}</span>
                </span>
              </div>
              <span className="share-role-text">{myRole}</span>
            </li>
          )}
          {rows.map((row) => {
            const name = row.name ?? (row.principal.type === 'agency' ? row.principal.id : t.sharing.unknownUser);
            const mine = row.principal.type === 'user' && row.principal.id === workspace.user.id;
            return (
              <li key={row.key} className="share-row">
                <div className="share-who">
                  <span className="share-name">
                    {row.principal.type === 'agency' && <span className="share-kind">{t.sharing.agencyKind}</span>}
                    {name} {mine && <span className="muted">{t.sharing.you}</span>}
                  </span>
                  {row.detail && <span className="share-detail">{row.detail}</span>}
                </div>
                {isOwner ? (
                  <div className="share-controls">
                    <select
                      aria-label={t.sharing.roleOf(name)}
                      value={row.role}
                      disabled={locked}
                      onChange={(e) => void change(row.principal, e.target.value as ShareRole)}
                    >
                      {SHARE_ROLES.map((r) => (
                        <option key={r} value={r}>
                          {t.sharing.roles[r]}
                        </option>
                      ))}
                    </select>
                    <button
                      type="button"
                      className="button button-secondary button-small"
                      aria-label={t.sharing.removeLabel(name)}
                      disabled={locked}
                      onClick={() => void change(row.principal, null)}
                    >
                      {t.sharing.remove}
                    </button>
                  </div>
                ) : (
                  <span className="share-role-text">{t.sharing.roles[row.role]}</span>
                )}
              </li>
            );
          })}
          {isOwner && view !== 'failed' && rows.length === 0 && <li className="share-empty muted">{t.sharing.none}</li>}
        </ul>
      )}
      {view !== 'loading' && view !== 'failed' && view.kind === 'partial' && <p className="muted small">{t.sharing.partial}</p>}

      <p className="share-done" role="status">
        {feedback?.kind === 'done' ? feedback.text : ''}
      </p>
      {feedback?.kind === 'error' && (
        <p className="form-error" role="alert">
          {feedback.text}
        </p>
      )}
      <div className="dialog-actions">
        <button ref={closeRef} type="button" className="button button-secondary" onClick={close}>
          {t.sharing.close}
        </button>
      </div>
    </dialog>
  );
}

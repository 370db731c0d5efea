/**
 * Who is on a board: the owner and the members (users or whole agencies, viewer or editor). The
 * owner adds and removes members here; membership is the server's authority (it decides who may
 * reach the room), so changes need the network and show the server's refusal if there is one.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { Principal } from '../../common/api.ts';
import type { BoardMemberRole } from '../../common/board-access.ts';
import { useLiveQuery, useWorkspace, useWorkspaceStatus } from '../app/workspace-context.tsx';
import { useT } from '../i18n/i18n.tsx';
import { getKv, type LocalBoard } from '../store/db.ts';

export function MembersDialog({ record, nameOf, onClose }: { readonly record: LocalBoard; readonly nameOf: (id: string) => string; readonly onClose: () => void }) {
  const t = useT();
  const m = t.boards.members;
  const workspace = useWorkspace();
  const status = useWorkspaceStatus();
  const directory = useLiveQuery(() => getKv(workspace.db, 'directory'), [workspace]);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const headingId = useId();
  const ids = useId();
  const [choice, setChoice] = useState('');
  const [role, setRole] = useState<BoardMemberRole>('editor');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const owner = record.role === 'owner';
  const online = status.reachability === 'online';
  const canChange = owner && online && !record.pendingCreate;

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const close = () => {
    dialogRef.current?.close();
    onClose();
  };
  const agencyName = (id: string) => directory?.agencies.find((a) => a.id === id)?.name ?? id;
  const label = (principal: Principal) => (principal.type === 'user' ? nameOf(principal.id) : m.agency(agencyName(principal.id)));
  const members = record.members ?? [];
  const taken = new Set(members.map((x) => `${x.principal.type}:${x.principal.id}`));

  const run = async (action: () => Promise<{ ok: true } | { ok: false; code: string }>) => {
    setBusy(true);
    setError(null);
    const result = await action();
    setBusy(false);
    if (!result.ok) setError(result.code === 'offline' ? m.offline : m.failed(result.code));
    return result.ok;
  };

  const add = async (event: FormEvent) => {
    event.preventDefault();
    if (!choice || busy) return;
    const [type, id] = choice.split(':') as ['user' | 'agency', string];
    const principal: Principal = type === 'user' ? { type, id } : { type, id };
    if (await run(() => workspace.putBoardMember(record.id, { principal, role }))) setChoice('');
  };

  return (
    <dialog
      ref={dialogRef}
      className="dialog"
      aria-labelledby={headingId}
      onCancel={(e) => {
        e.preventDefault();
        close();
      }}
    >
      <h2 id={headingId}>{m.title}</h2>
      <ul className="member-list">
        <li>
          <span>{nameOf(record.ownerId)}</span>
          <span className="role-badge">{m.owner}</span>
        </li>
        {members.map((member) => (
          <li key={`${member.principal.type}:${member.principal.id}`}>
            <span>{label(member.principal)}</span>
            <span className="role-badge">{t.boards.role[member.role]}</span>
            {canChange && (
              <button
                type="button"
                className="icon-button"
                aria-label={m.remove(label(member.principal))}
                onClick={() => void run(() => workspace.deleteBoardMember(record.id, member.principal))}
              >
                ×
              </button>
            )}
          </li>
        ))}
      </ul>
      {members.length === 0 && <p className="field-hint">{m.none}</p>}
      {!owner ? (
        <p className="note">{m.onlyOwner}</p>
      ) : record.pendingCreate ? (
        <p className="note">{m.pendingCreate}</p>
      ) : !online ? (
        <p className="note">{m.offline}</p>
      ) : (
        <form onSubmit={(e) => void add(e)} className="member-form">
          <div className="field">
            <label htmlFor={`${ids}-principal`}>{m.principal}</label>
            <select id={`${ids}-principal`} value={choice} onChange={(e) => setChoice(e.target.value)}>
              <option value="" />
              <optgroup label={m.users}>
                {(directory?.users ?? [])
                  .filter((u) => u.id !== record.ownerId && !taken.has(`user:${u.id}`))
                  .map((u) => (
                    <option key={u.id} value={`user:${u.id}`}>
                      {u.displayName} ({agencyName(u.agencyId)})
                    </option>
                  ))}
              </optgroup>
              <optgroup label={m.agencies}>
                {(directory?.agencies ?? [])
                  .filter((a) => !taken.has(`agency:${a.id}`))
                  .map((a) => (
                    <option key={a.id} value={`agency:${a.id}`}>
                      {a.name}
                    </option>
                  ))}
              </optgroup>
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${ids}-role`}>{m.role}</label>
            <select id={`${ids}-role`} value={role} onChange={(e) => setRole(e.target.value as BoardMemberRole)}>
              <option value="editor">{t.boards.role.editor}</option>
              <option value="viewer">{t.boards.role.viewer}</option>
            </select>
          </div>
          <button type="submit" className="button button-primary" aria-disabled={busy || !choice}>
            {m.add}
          </button>
        </form>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button button-secondary" onClick={close}>
          {m.close}
        </button>
      </div>
    </dialog>
  );
}

/**
 * The document list: read from the local store first (so it opens offline), refreshed from the
 * API when the server answers. Views: all, mine, shared with me, by agency; filtered by the search.
 */
import { useEffect, useRef, useState } from 'react';
import { DOCUMENT_TYPES } from '../../common/document-types.ts';
import { Link } from '../app/router.tsx';
import type { DocumentsView } from '../app/router.tsx';
import { useLiveQuery, useWorkspace } from '../app/workspace-context.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import type { Messages } from '../i18n/vi.ts';
import { getKv, type DocState, type LocalDocument } from '../store/db.ts';
import { NewDocumentDialog } from './NewDocumentDialog.tsx';

export function DocumentListPage({ view, query }: { readonly view: DocumentsView; readonly query: string }) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const [creating, setCreating] = useState(false);
  const newButton = useRef<HTMLButtonElement>(null);
  const documents = useLiveQuery(() => workspace.db.documents.orderBy('updatedAt').reverse().toArray(), [workspace]);
  const states = useLiveQuery(() => workspace.db.docStates.toArray(), [workspace]);
  const directory = useLiveQuery(() => getKv(workspace.db, 'directory'), [workspace]);

  useEffect(() => {
    void workspace.refresh();
  }, [workspace]);

  const me = workspace.user;
  const q = query.trim().toLocaleLowerCase('vi').normalize('NFC');
  const visible = (documents ?? []).filter((d) => {
    if (view === 'mine' && d.ownerId !== me.id) return false;
    if (view === 'shared' && d.ownerId === me.id) return false;
    if (q && !d.title.toLocaleLowerCase('vi').normalize('NFC').includes(q)) return false;
    return true;
  });
  const stateOf = new Map((states ?? []).map((s) => [s.docId, s]));
  const agencyName = (id: string) => directory?.agencies.find((a) => a.id === id)?.name ?? id;

  const heading =
    view === 'mine' ? t.documents.titleMine : view === 'shared' ? t.documents.titleShared : view === 'agency' ? t.shell.docsAgency : t.documents.title;

  const groups: { readonly key: string; readonly title: string | null; readonly docs: LocalDocument[] }[] =
    view === 'agency'
      ? [...new Set(visible.map((d) => d.agencyId))].map((agencyId) => ({
          key: agencyId,
          title: agencyName(agencyId),
          docs: visible.filter((d) => d.agencyId === agencyId),
        }))
      : [{ key: 'all', title: null, docs: visible }];

  return (
    <section className="page" aria-labelledby="documents-title">
      <div className="page-header">
        <div>
          <h1 id="documents-title">{heading}</h1>
          {documents && <p className="muted small">{t.documents.count(visible.length)}</p>}
        </div>
        <button ref={newButton} type="button" className="button button-primary" onClick={() => setCreating(true)}>
          <span aria-hidden="true" className="button-icon">
            +
          </span>
          {t.documents.newDocument}
        </button>
      </div>
      {documents === undefined ? (
        <p className="muted">{t.documents.loading}</p>
      ) : visible.length === 0 ? (
        <p className="empty-state">{q ? t.documents.emptySearch(query) : t.documents.empty}</p>
      ) : (
        groups.map((group) => (
          <div key={group.key} className="doc-group">
            {group.title && <h2 className="group-title">{group.title}</h2>}
            <DocumentTable docs={group.docs} stateOf={stateOf} t={t} caption={group.title ?? heading} />
          </div>
        ))
      )}
      {creating && (
        <NewDocumentDialog
          onClose={() => {
            setCreating(false);
            newButton.current?.focus();
          }}
        />
      )}
    </section>
  );
}

function DocumentTable({
  docs,
  stateOf,
  t,
  caption,
}: {
  readonly docs: readonly LocalDocument[];
  readonly stateOf: ReadonlyMap<string, DocState>;
  readonly t: Messages;
  readonly caption: string;
}) {
  return (
    <table className="doc-table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t.documents.columns.title}</th>
          <th scope="col">{t.documents.columns.type}</th>
          <th scope="col">{t.documents.columns.status}</th>
          <th scope="col">{t.documents.columns.role}</th>
          <th scope="col">{t.documents.columns.updated}</th>
          <th scope="col">{t.documents.columns.sync}</th>
        </tr>
      </thead>
      <tbody>
        {docs.map((d) => {
          const state = stateOf.get(d.id);
          return (
            <tr key={d.id}>
              <td className="doc-title-cell">
                <Link href={`/documents/${d.id}`}>{d.title}</Link>
              </td>
              <td>
                <span className="type-badge">{DOCUMENT_TYPES[d.type]?.name ?? d.type}</span>
              </td>
              <td>
                <span className={`status-badge status-${d.status}`}>{t.documents.status[d.status]}</span>
              </td>
              <td>{t.documents.role[d.role]}</td>
              <td>
                <time dateTime={d.updatedAt} title={t.date.longWithTime(new Date(d.updatedAt))}>
                  {t.date.long(new Date(d.updatedAt))}
                </time>
              </td>
              <td className="small">
                <SyncCell doc={d} state={state} t={t} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function SyncCell({ doc, state, t }: { readonly doc: LocalDocument; readonly state: DocState | undefined; readonly t: Messages }) {
  if (doc.refused) return <span className="text-danger">{t.documents.refused(doc.refused)}</span>;
  if (doc.pendingCreate) return <span className="text-warning">{t.documents.pendingCreate}</span>;
  if (state && state.pending > 0) return <span className="text-warning">{t.sync.waiting(state.pending)}</span>;
  if (!state?.lastServerAt) return <span className="muted">{t.sync.neverServer}</span>;
  const at = new Date(state.lastServerAt);
  // Relative ("14:05 hôm nay") on screen; the long form in the tooltip and for screen readers.
  const long = t.date.longWithTime(at);
  return (
    <time dateTime={state.lastServerAt} className="muted" title={long}>
      <span aria-hidden="true">{t.date.at(at)}</span>
      <span className="visually-hidden">{long}</span>
    </time>
  );
}

/**
 * /documents/<id>: the document's record from the local store (fetched from the API when it is
 * not there yet), its Decree 30 page with the collaborative editor, who else is in it, and where
 * its data stands: saved on this device, last reached the server.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { DOCUMENT_TYPES } from '../../common/document-types.ts';
import { Link } from '../app/router.tsx';
import { SaveStateText } from '../app/SaveStateText.tsx';
import { useLiveQuery, useWorkspace } from '../app/workspace-context.tsx';
import { colorForUser } from '../editor/colors.ts';
import { Decree30Header } from '../editor/Decree30Header.tsx';
import { DocumentEditor } from '../editor/DocumentEditor.tsx';
import { PresenceList } from '../editor/PresenceList.tsx';
import { SessionSlot } from '../editor/session-slot.ts';
import { useT } from '../i18n/i18n.tsx';
import { getKv, type LocalDocument } from '../store/db.ts';
import type { DocSession } from '../sync/doc-session.ts';
import { isReadOnlyRole } from '../sync/workspace.ts';
import { CreateLinkedTask } from '../tasks/LinkedTaskDialog.tsx';
import { canWriteRoom } from '../../common/access.ts';
import { ApprovalPanel, lockNotice } from '../approvals/ApprovalPanel.tsx';
import { useIssue } from '../approvals/use-workflow.ts';
import type { Decree30HeaderInput } from '../editor/decree30.ts';
import { DocumentActions } from './DocumentActions.tsx';
import { useAccessRefresh } from './document-access.ts';
import { useSessionValue } from './session-view.tsx';
import { ExportHandle, ExportPlugin } from './export/ExportPlugin.tsx';

export function DocumentPage({ id }: { readonly id: string }) {
  const t = useT();
  const workspace = useWorkspace();
  const record = useLiveQuery(async () => (await workspace.db.documents.get(id)) ?? null, [workspace, id]);
  const directory = useLiveQuery(() => getKv(workspace.db, 'directory'), [workspace]);
  const issue = useIssue(workspace, id);
  const [fetchState, setFetchState] = useState<'idle' | 'fetching' | 'missing'>('idle');

  useEffect(() => {
    if (record !== null || fetchState !== 'idle') return;
    setFetchState('fetching');
    void workspace.fetchDocument(id).then((doc) => setFetchState(doc ? 'idle' : 'missing'));
  }, [record, fetchState, workspace, id]);

  useEffect(() => {
    if (record) document.title = `${record.title} · ${t.appName}`;
    return () => {
      document.title = t.appName;
    };
  }, [record, t]);

  if (record === undefined || (record === null && fetchState !== 'missing')) {
    return (
      <section className="page">
        <p className="muted" role="status" aria-live="polite">
          {t.editor.loading}
        </p>
      </section>
    );
  }
  if (record === null) {
    return (
      <section className="page">
        <h1>{t.editor.notFound}</h1>
        <Link href="/documents">{t.editor.back}</Link>
      </section>
    );
  }
  const agency = directory?.agencies.find((a) => a.id === record.agencyId);
  const parentAgency = agency?.parentId ? directory?.agencies.find((a) => a.id === agency.parentId) : undefined;
  // The approval procedure freezes the content from submission until a return, and for ever once issued.
  const readOnly = isReadOnlyRole(record.role) || !canWriteRoom({ kind: 'doc', documentId: record.id }, record.role, record.status);
  const headerInput: Decree30HeaderInput = { type: record.type, title: record.title, agency, parentAgency, date: new Date(record.createdAt), issue };
  return (
    <OpenDocument
      key={`${record.id}:${readOnly}`}
      record={record}
      readOnly={readOnly}
      header={<Decree30Header {...headerInput} />}
      headerInput={headerInput}
    />
  );
}

function OpenDocument({
  record,
  readOnly,
  header,
  headerInput,
}: {
  readonly record: LocalDocument;
  readonly readOnly: boolean;
  readonly header: React.ReactNode;
  readonly headerInput: Decree30HeaderInput;
}) {
  const t = useT();
  const workspace = useWorkspace();
  const [slot] = useState(() => new SessionSlot(workspace, record.id, readOnly));
  useEffect(() => {
    slot.retain();
    return () => slot.releaseSoon();
  }, [slot]);
  const session = useSyncExternalStore(slot.subscribe, () => slot.session);
  const loaded = useSessionValue(session, (s) => s.loaded, false);
  const problem = useSessionValue(session, (s) => s.problem, null);
  const info = DOCUMENT_TYPES[record.type];
  const [exportHandle] = useState(() => new ExportHandle());
  useAccessRefresh(workspace, record.id, session, record.pendingCreate !== true);
  const revoked = problem === 'access_revoked';

  return (
    <div className="document-page">
      <div className="document-bar">
        <div className="document-bar-main">
          <Link href="/documents" className="back-link">
            <span aria-hidden="true">←</span> {t.editor.back}
          </Link>
          <h1 className="document-title">{record.title}</h1>
          <div className="document-meta">
            <span className="type-badge">{info?.name ?? record.type}</span>
            <span className={`status-badge status-${record.status}`}>{t.documents.status[record.status]}</span>
            <span className="role-badge">{t.documents.role[record.role]}</span>
            {session && <DocumentSyncInfo session={session} pendingCreate={record.pendingCreate === true} />}
          </div>
          <DocumentActions record={record} header={headerInput} exportHandle={exportHandle}>
            <CreateLinkedTask document={record} />
          </DocumentActions>
        </div>
        <PresenceList slot={slot} />
      </div>
      {readOnly && (
        <p className="notice" role="note">
          {lockNotice(t, record) ?? t.editor.readOnly}
        </p>
      )}
      {revoked ? (
        <p className="notice notice-danger" role="alert">
          {t.access.revoked} <Link href="/documents">{t.access.back}</Link>
        </p>
      ) : (
        problem && (
          <p className="notice notice-danger" role="alert">
            {t.sync.problem[problem]}
          </p>
        )
      )}
      <ApprovalPanel record={record} session={session} loaded={loaded} />
      <DocumentEditor
        slot={slot}
        readOnly={readOnly || revoked}
        loaded={loaded}
        userName={workspace.user.displayName}
        color={colorForUser(workspace.user.id)}
        header={header}
      >
        <ExportPlugin handle={exportHandle} />
      </DocumentEditor>
    </div>
  );
}

function DocumentSyncInfo({ session, pendingCreate }: { readonly session: DocSession; readonly pendingCreate: boolean }) {
  const t = useT();
  const live = useSessionValue(session, (s) => s.status === 'connected' && s.synced, false);
  // While live the time is not shown, and it moves at every edit sent.
  const lastServerAt = useSessionValue(session, (s) => (s.status === 'connected' && s.synced ? null : s.lastServerAt), null);
  const at = lastServerAt ? new Date(lastServerAt) : null;
  return (
    <span className="doc-sync">
      <SaveStateText persistence={session.persistence} />
      <span aria-hidden="true"> · </span>
      {live ? (
        <span className="text-success">{t.sync.live}</span>
      ) : pendingCreate ? (
        <span>{t.documents.pendingCreate}</span>
      ) : at ? (
        <time dateTime={at.toISOString()} title={t.date.longWithTime(at)}>
          {t.sync.lastServer(t.date.at(at))}
        </time>
      ) : (
        <span>{t.sync.neverServer}</span>
      )}
    </span>
  );
}


/**
 * "Chờ tôi xử lý" (/approvals): the steps waiting for the user's check, approval or signature,
 * and for a clerk the approved documents waiting for a number. Read from the local store (as the
 * server last answered), so the list opens offline and each document can be read and decided
 * there; below it, the decisions this user signed, still waiting to be sent or with the server's
 * answer.
 */
import { useEffect } from 'react';
import type { ApprovalItem } from '../../common/api.ts';
import { DOCUMENT_TYPES } from '../../common/document-types.ts';
import { Link } from '../app/router.tsx';
import { useLiveQuery, useWorkspace, useOnline } from '../app/workspace-context.tsx';
import { useT } from '../i18n/i18n.tsx';
import { getKv } from '../store/db.ts';
import { approvalServiceOf } from './approval-service.ts';
import { pendingDecisions } from './decision-outbox.ts';
import './approvals.css';

/** How many of the latest signed decisions (waiting, or answered) the page recalls. */
const RECENT = 10;

export function ApprovalsPage() {
  const t = useT();
  const a = t.approvals;
  const workspace = useWorkspace();
  const online = useOnline();
  const approvals = useLiveQuery(async () => (await getKv(workspace.db, 'approvals')) ?? null, [workspace]);
  const directory = useLiveQuery(() => getKv(workspace.db, 'directory'), [workspace]);
  const sent = useLiveQuery(async () => {
    const [pending, answered, documents] = await Promise.all([
      pendingDecisions(workspace.db),
      workspace.db.workflows.filter((w) => w.outcome !== undefined).toArray(),
      workspace.db.documents.toArray(),
    ]);
    const titles = new Map(documents.map((d) => [d.id, d.title]));
    return [
      ...pending.map((p) => ({ key: `p${p.seq}`, documentId: p.documentId, decision: p.payload.decision, state: 'pending' as const, code: undefined, at: p.payload.decidedAt })),
      ...answered.map((w) => ({
        key: `o${w.documentId}`,
        documentId: w.documentId,
        decision: w.outcome!.decision,
        state: w.outcome!.result,
        code: w.outcome!.code,
        at: w.outcome!.at,
      })),
    ]
      .map((row) => ({ ...row, title: titles.get(row.documentId) ?? '…' }))
      .sort((x, y) => y.at.localeCompare(x.at))
      .slice(0, RECENT);
  }, [workspace]);

  useEffect(() => {
    void approvalServiceOf(workspace).refresh();
  }, [workspace]);

  const nameOf = (id: string) => directory?.users.find((u) => u.id === id)?.displayName ?? '…';
  // Dates for people in the long form (docs/client.md, "Dates"): "14:05 ngày 27 tháng 11 năm 2026".
  const when = (iso: string) => t.date.longWithTime(new Date(iso));
  const items = approvals?.items ?? [];

  return (
    <section className="page" aria-labelledby="approvals-title">
      <div className="page-header">
        <div>
          <h1 id="approvals-title">{a.page.title}</h1>
          <p className="muted small">{a.page.intro}</p>
        </div>
      </div>
      {!online && approvals && <p className="note">{a.page.offline}</p>}
      {approvals === undefined ? null : approvals === null ? (
        <p className="empty-state">{a.page.unknown}</p>
      ) : items.length === 0 ? (
        <p className="empty-state">{a.page.empty}</p>
      ) : (
        <table className="doc-table approvals-table">
          <caption className="visually-hidden">{a.page.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{a.page.columns.document}</th>
              <th scope="col">{a.page.columns.action}</th>
              <th scope="col">{a.page.columns.from}</th>
              <th scope="col">{a.page.columns.submitted}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <ApprovalRow key={rowKey(item)} item={item} nameOf={nameOf} when={when} />
            ))}
          </tbody>
        </table>
      )}
      {sent && sent.length > 0 && (
        <section className="approvals-sent" aria-labelledby="approvals-sent-title">
          <h2 id="approvals-sent-title" className="group-title">
            {a.page.sentTitle}
          </h2>
          <table className="doc-table">
            <caption className="visually-hidden">{a.page.sentCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{a.page.sentColumns.document}</th>
                <th scope="col">{a.page.sentColumns.decision}</th>
                <th scope="col">{a.page.sentColumns.state}</th>
              </tr>
            </thead>
            <tbody>
              {sent.map((row) => (
                <tr key={row.key}>
                  <td className="doc-title-cell">
                    <Link href={`/documents/${row.documentId}`}>{row.title}</Link>
                  </td>
                  <td>{a.decision[row.decision]}</td>
                  <td>
                    {row.state === 'pending' ? (
                      <span className="text-warning">{a.panel.pending}</span>
                    ) : row.state === 'accepted' ? (
                      <span className="text-success">{a.panel.accepted(a.decision[row.decision])}</span>
                    ) : (
                      <span className="text-danger">
                        {a.panel.refused(a.decision[row.decision])} {a.error(row.code ?? 'unknown')}
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </section>
  );
}

const rowKey = (item: ApprovalItem): string => `${item.document.id}:${item.action === 'decide' ? `${item.roundId}:${item.stepIndex}` : 'issue'}`;

function ApprovalRow({ item, nameOf, when }: { readonly item: ApprovalItem; readonly nameOf: (id: string) => string; readonly when: (iso: string) => string }) {
  const t = useT();
  const a = t.approvals;
  const doc = item.document;
  const action =
    item.action === 'issue' ? a.kind.issue : item.kind === 'sign' && item.authority ? `${a.kind.sign} (${item.authority})` : a.kind[item.kind];
  return (
    <tr>
      <td className="doc-title-cell">
        <Link href={`/documents/${doc.id}`}>{doc.title}</Link>
        <div className="small muted">
          <span className="type-badge">{DOCUMENT_TYPES[doc.type]?.name ?? doc.type}</span>{' '}
          <span className={`status-badge status-${doc.status}`}>{t.documents.status[doc.status]}</span>
        </div>
      </td>
      <td>
        <strong>{action}</strong>
        {item.action === 'decide' && <div className="small muted">{a.page.round(item.roundNumber)}</div>}
      </td>
      <td>{item.action === 'decide' ? nameOf(item.submittedBy) : nameOf(doc.ownerId)}</td>
      <td>{item.action === 'decide' ? <time dateTime={item.submittedAt}>{when(item.submittedAt)}</time> : <time dateTime={doc.updatedAt}>{when(doc.updatedAt)}</time>}</td>
    </tr>
  );
}

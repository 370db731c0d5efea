/**
 * The approval panel beside the editor (/documents/<id>): where the document stands in the
 * procedure, what the signed-in user can do now (submit, decide, number and issue, copy), the
 * server's answer to their last decision, and the whole history: every round and step with its
 * person, decision, comment, time and signature status, verified here against the signers'
 * registered keys. It reads the workflow kept on this device, so a leader can read and decide
 * with no network; the decision then waits in the outbox, shown as "Đang chờ gửi".
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { WorkflowResponse, WorkflowRound, WorkflowStep } from '../../common/api.ts';
import { navigate } from '../app/router.tsx';
import { useLiveQuery, useWorkspace, useOnline } from '../app/workspace-context.tsx';
import { useT } from '../i18n/i18n.tsx';
import type { Messages } from '../i18n/vi.ts';
import { getKv, type DecisionOutcome, type LocalDocument } from '../store/db.ts';
import type { DocSession } from '../sync/doc-session.ts';
import { approvalServiceOf } from './approval-service.ts';
import type { DecideEntry } from './decision-outbox.ts';
import { IssueDialog } from './IssueDialog.tsx';
import { copy, decide } from './procedure.ts';
import { currentStep, isAwaitingMe, mayApprove, signatureStatus, verifyAll } from './statements.ts';
import { SubmitDialog } from './SubmitDialog.tsx';
import { useContentHash, useDocumentWorkflow, usePendingDecisions } from './use-workflow.ts';
import { recordOutcome } from './workflow-cache.ts';
import './approvals.css';

export interface ApprovalPanelProps {
  readonly record: LocalDocument;
  readonly session: DocSession | null;
  /** The document's local state is in the session's Y.Doc. */
  readonly loaded: boolean;
}

/** Wide screens show the panel as a column beside the sheet, with the history open. */
const WIDE = '(min-width: 1360px)';

export function ApprovalPanel({ record, session, loaded }: ApprovalPanelProps) {
  const t = useT();
  const a = t.approvals;
  const workspace = useWorkspace();
  const me = workspace.user;
  const online = useOnline();
  const row = useDocumentWorkflow(workspace, record.id, record.pendingCreate !== true);
  const directory = useLiveQuery(() => getKv(workspace.db, 'directory'), [workspace]);
  const pending = usePendingDecisions(workspace, record.id);
  const [dialog, setDialog] = useState<'submit' | 'issue' | null>(null);
  const [copyState, setCopyState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const submitButton = useRef<HTMLButtonElement>(null);
  const issueButton = useRef<HTMLButtonElement>(null);
  const headingId = useId();

  const workflow = row?.workflow ?? null;
  // The hash only matters against a submitted version: while there is none, a long draft is not
  // hashed again after every pause in typing (tens of ms for 100 pages).
  const hash = useContentHash(workflow !== null && workflow.rounds.length > 0 ? session : null, loaded);
  const status = workflow?.status ?? record.status;
  const people = new Map((directory?.users ?? []).map((u) => [u.id, u]));
  const nameOf = (id: string): string => {
    const name = people.get(id)?.displayName ?? '…';
    return id === me.id ? `${name} (${a.panel.you})` : name;
  };
  // Dates for people in the long form (docs/client.md, "Dates"): "14:05 ngày 27 tháng 11 năm 2026".
  const when = (iso: string): string => t.date.longWithTime(new Date(iso));

  const canSubmit = (record.role === 'owner' || record.role === 'editor') && (status === 'draft' || status === 'returned') && record.pendingCreate !== true;
  const awaitingMe = workflow !== null && isAwaitingMe(workflow, me.id);
  const current = workflow ? currentStep(workflow) : null;
  const myPending = pending.find((p) => current !== null && p.payload.roundId === current.round.id && p.payload.stepIndex === current.step.index);
  const canIssue = workflow?.next.action === 'issue' && me.roles.includes('clerk') && me.agencyId === record.agencyId;
  const lastReturn = status === 'returned' ? latestReturn(workflow) : null;

  const onCopy = async () => {
    if (copyState.busy) return;
    if (!online) {
      setCopyState({ busy: false, error: a.panel.copyOffline });
      return;
    }
    setCopyState({ busy: true, error: null });
    const result = await copy(workspace, record.id);
    if (result.ok) navigate(`/documents/${result.value.id}`);
    else setCopyState({ busy: false, error: a.error(result.code) });
  };

  return (
    <aside className="approval-panel" aria-labelledby={headingId} data-status={status}>
      <div className="approval-head">
        <h2 id={headingId}>{a.panel.title}</h2>
        <span className={`status-badge status-${status}`}>{t.documents.status[status]}</span>
      </div>
      <p className="approval-next">{nextText(t, workflow, status, me.id, nameOf)}</p>
      {lastReturn && (
        <blockquote className="approval-return">
          <p className="small">
            {nameOf(lastReturn.signerId)} · {when(lastReturn.decidedAt)}
          </p>
          <p>“{lastReturn.comment}”</p>
        </blockquote>
      )}
      {!online && row && <p className="muted small">{a.panel.cachedAt(when(row.fetchedAt))}</p>}
      {row === null && record.pendingCreate !== true && !online && <p className="muted small">{a.panel.notLoaded}</p>}

      {pending.map((entry) => (
        <PendingNotice key={entry.seq} entry={entry} />
      ))}
      {row?.outcome && <OutcomeNotice documentId={record.id} outcome={row.outcome} />}

      <div className="approval-actions">
        {canSubmit && (
          <button ref={submitButton} type="button" className="button button-primary" onClick={() => setDialog('submit')}>
            {status === 'returned' ? a.panel.resubmit : a.panel.submit}
          </button>
        )}
        {awaitingMe && workflow && !myPending && <DecideForm workflow={workflow} localHash={hash} />}
        {canIssue && (
          <button ref={issueButton} type="button" className="button button-primary" onClick={() => setDialog('issue')}>
            {a.panel.issue}
          </button>
        )}
        {status === 'issued' && (
          <div className="approval-copy">
            <button type="button" className="button button-secondary" onClick={() => void onCopy()} aria-disabled={copyState.busy}>
              {copyState.busy ? a.panel.copying : a.panel.copy}
            </button>
            <p className="muted small">{a.panel.copyHint}</p>
            {copyState.error && (
              <p className="form-error" role="alert">
                {copyState.error}
              </p>
            )}
          </div>
        )}
      </div>

      <Timeline workflow={workflow} localHash={hash} nameOf={nameOf} when={when} />

      {dialog === 'submit' && (
        <SubmitDialog
          record={record}
          session={session}
          onClose={() => {
            setDialog(null);
            submitButton.current?.focus();
          }}
        />
      )}
      {dialog === 'issue' && workflow && (
        <IssueDialog
          record={record}
          workflow={workflow}
          nameOf={nameOf}
          onClose={(issued) => {
            setDialog(null);
            if (issued) void approvalServiceOf(workspace).refresh();
            else issueButton.current?.focus();
          }}
        />
      )}
    </aside>
  );
}

/**
 * Why the editor is locked by the procedure, for the notice above the sheet; null when the lock
 * (if any) is only the user's role.
 */
export function lockNotice(t: Messages, record: Pick<LocalDocument, 'status' | 'role'>): string | null {
  const locked = t.approvals.panel.locked;
  if (record.status === 'issued') return locked.issued;
  if (record.role !== 'owner' && record.role !== 'editor') return null;
  return record.status === 'in_review' ? locked.in_review : record.status === 'approved' ? locked.approved : null;
}

function nextText(t: Messages, workflow: WorkflowResponse | null, status: LocalDocument['status'], me: string, nameOf: (id: string) => string): string {
  const p = t.approvals.panel.next;
  const next = workflow?.next;
  if (status === 'issued') return p.issued(workflow?.issue?.numberText ?? '…');
  if (status === 'approved') return p.issue;
  if (next?.action === 'decide') {
    const kind = t.approvals.kindInline[next.kind];
    return next.assigneeId === me ? p.yourTurn(kind) : p.waitingFor(nameOf(next.assigneeId), kind);
  }
  return status === 'returned' ? p.returned : p.draft;
}

/** The return that ended the latest round, if it ended so. */
function latestReturn(workflow: WorkflowResponse | null): { signerId: string; decidedAt: string; comment: string } | null {
  const round = workflow?.rounds.at(-1);
  const step = round?.steps.find((s) => s.decision?.decision === 'return');
  const d = step?.decision;
  return d ? { signerId: d.signerId, decidedAt: d.decidedAt, comment: d.comment ?? '' } : null;
}

function DecideForm({ workflow, localHash }: { readonly workflow: WorkflowResponse; readonly localHash: string | null }) {
  const t = useT();
  const a = t.approvals;
  const workspace = useWorkspace();
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const commentRef = useRef<HTMLTextAreaElement>(null);
  const ids = { comment: useId(), hint: useId(), error: useId(), title: useId() };
  const approvable = mayApprove(workflow, localHash);
  const kind = currentStep(workflow)?.step.kind ?? 'check';

  const send = async (decision: 'approve' | 'return') => {
    if (busy) return;
    if (decision === 'approve' && !approvable) {
      setError(a.panel.notReadYet);
      return;
    }
    if (decision === 'return' && comment.trim() === '') {
      setError(a.panel.commentRequired);
      commentRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await decide(workspace, workflow, decision, comment);
      if (!result.ok) setError(result.code === 'comment_required' ? a.panel.commentRequired : a.error(result.code));
    } catch (failure) {
      console.error('signing failed', failure);
      setError(a.panel.signFailed);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="decide-form" aria-labelledby={ids.title} onSubmit={(e) => e.preventDefault()}>
      <h3 id={ids.title}>
        {a.panel.decideTitle}: {a.kind[kind]}
      </h3>
      <label htmlFor={ids.comment}>{a.panel.comment}</label>
      <textarea
        ref={commentRef}
        id={ids.comment}
        rows={3}
        maxLength={4000}
        value={comment}
        onChange={(e) => {
          setComment(e.target.value);
          if (error) setError(null);
        }}
        aria-describedby={error ? `${ids.hint} ${ids.error}` : ids.hint}
        aria-invalid={error === a.panel.commentRequired ? true : undefined}
      />
      <p id={ids.hint} className="field-hint">
        {a.panel.commentHint}
      </p>
      {!approvable && <p className="note small">{a.panel.notReadYet}</p>}
      {error && (
        <p id={ids.error} className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="decide-actions">
        <button type="button" className="button button-primary" aria-disabled={busy || !approvable} onClick={() => void send('approve')}>
          {a.panel.approve}
        </button>
        <button type="button" className="button button-danger" aria-disabled={busy} onClick={() => void send('return')}>
          {a.panel.return}
        </button>
      </div>
      <p className="muted small">{a.panel.signNote}</p>
    </form>
  );
}

function PendingNotice({ entry }: { readonly entry: DecideEntry }) {
  const t = useT();
  const a = t.approvals;
  const at = new Date(entry.payload.decidedAt);
  return (
    <div className="approval-notice approval-pending" role="status">
      <p className="approval-notice-title">
        <span className="pending-dot" aria-hidden="true" /> {a.panel.pending}
      </p>
      <p className="small">{a.panel.pendingDetail(a.decision[entry.payload.decision], t.date.longWithTime(at))}</p>
    </div>
  );
}

function OutcomeNotice({ documentId, outcome }: { readonly documentId: string; readonly outcome: DecisionOutcome }) {
  const t = useT();
  const a = t.approvals;
  const workspace = useWorkspace();
  const decision = a.decision[outcome.decision];
  const accepted = outcome.result === 'accepted';
  return (
    <div className={`approval-notice ${accepted ? 'approval-accepted' : 'approval-refused'}`} role={accepted ? 'status' : 'alert'}>
      <p className="approval-notice-title">{accepted ? a.panel.accepted(decision) : a.panel.refused(decision)}</p>
      {!accepted && <p className="small">{a.error(outcome.code ?? 'unknown')}</p>}
      <button type="button" className="button button-ghost button-small approval-dismiss" onClick={() => void recordOutcome(workspace.db, documentId, undefined)}>
        {a.panel.dismiss}
      </button>
    </div>
  );
}

interface TimelineProps {
  readonly workflow: WorkflowResponse | null;
  readonly localHash: string | null;
  readonly nameOf: (id: string) => string;
  readonly when: (iso: string) => string;
}

function Timeline({ workflow, localHash, nameOf, when }: TimelineProps) {
  const t = useT();
  const a = t.approvals;
  const [verified, setVerified] = useState<ReadonlyMap<string, boolean>>(new Map());
  const [open, setOpen] = useState(() => typeof matchMedia === 'function' && matchMedia(WIDE).matches);
  useEffect(() => {
    if (!workflow) return;
    let cancelled = false;
    void verifyAll(workflow).then((result) => {
      if (!cancelled) setVerified(result);
    });
    return () => {
      cancelled = true;
    };
  }, [workflow]);

  const rounds = workflow?.rounds ?? [];
  return (
    <details className="approval-timeline" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        {a.panel.timeline}
        {rounds.length > 0 && <span className="muted"> · {a.panel.round(rounds.length)}</span>}
      </summary>
      {rounds.length === 0 ? (
        <p className="muted small">{a.panel.noRounds}</p>
      ) : (
        <ol className="timeline-rounds">
          {rounds.map((round) => (
            <li key={round.id} className={`timeline-round round-${round.status}`}>
              <p className="round-head">
                <strong>{a.panel.round(round.number)}</strong>
                <span className={`round-status round-status-${round.status}`}>{a.panel.roundStatus[round.status]}</span>
              </p>
              <p className="muted small">{a.panel.submittedBy(nameOf(round.submittedBy), when(round.submittedAt))}</p>
              <ol className="timeline-steps">
                {round.steps.map((step) => (
                  <TimelineStep key={step.index} round={round} step={step} verified={step.decision ? verified.get(step.decision.signature) : undefined} localHash={localHash} nameOf={nameOf} when={when} />
                ))}
              </ol>
            </li>
          ))}
          {workflow?.issue && (
            <li className="timeline-round round-issued">
              <p className="round-head">
                <strong>{a.panel.issuedEntry}</strong>
              </p>
              <p className="small">{a.panel.issuedDetail(workflow.issue.numberText, nameOf(workflow.issue.issuedBy), when(workflow.issue.issuedAt))}</p>
              <p className="small decree-date-preview">{workflow.issue.dateLine}</p>
            </li>
          )}
        </ol>
      )}
    </details>
  );
}

function TimelineStep({
  round,
  step,
  verified,
  localHash,
  nameOf,
  when,
}: {
  readonly round: WorkflowRound;
  readonly step: WorkflowStep;
  readonly verified: boolean | undefined;
  readonly localHash: string | null;
  readonly nameOf: (id: string) => string;
  readonly when: (iso: string) => string;
}) {
  const t = useT();
  const a = t.approvals;
  const d = step.decision;
  const state = d ? d.decision : round.status !== 'open' ? 'closed' : round.currentStep === step.index ? 'waiting' : 'later';
  const kind = step.kind === 'sign' && step.authority ? `${a.kind.sign} (${step.authority})` : a.kind[step.kind];
  const sig = d === null ? null : verified === undefined ? 'unknown' : signatureStatus(verified, d.versionHash, localHash);
  const recordedLate = d !== null && new Date(d.recordedAt).getTime() - new Date(d.decidedAt).getTime() > 60_000;
  return (
    <li className={`timeline-step step-${state}`}>
      <span className="step-marker" aria-hidden="true">
        {state === 'approve' ? '✓' : state === 'return' ? '↩' : state === 'waiting' ? '…' : '·'}
      </span>
      <div className="step-body">
        <p className="step-title">
          <strong>{kind}</strong> · {nameOf(step.assigneeId)}
        </p>
        {d ? (
          <>
            <p className={`step-decision decision-${d.decision}`}>
              {a.decided[d.decision]} · {a.panel.decidedAt(when(d.decidedAt))}
              {recordedLate && <span className="muted">, {a.panel.recordedAt(when(d.recordedAt))}</span>}
            </p>
            {d.comment && <p className="step-comment">“{d.comment}”</p>}
            {sig && (
              <p className={`signature signature-${sig}`}>
                <span aria-hidden="true">{sig === 'valid' ? '✓ ' : sig === 'invalid' ? '✗ ' : sig === 'stale' ? '⚠ ' : ''}</span>
                {a.panel.signature[sig]}
              </p>
            )}
          </>
        ) : (
          <p className="step-decision muted">{state === 'waiting' ? a.panel.waiting : state === 'later' ? a.panel.later : a.panel.closed}</p>
        )}
      </div>
    </li>
  );
}

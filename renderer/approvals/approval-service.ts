/**
 * Keeps the approval procedure's local data fresh while the user is signed in: makes this device's
 * signing key on first login (its registration waits in the outbox if offline), reads "Chờ tôi xử
 * lý" from the server every few seconds while it answers, and for each document waiting for the
 * user, keeps its record and workflow on this device, so that it can be read and decided offline
 * later (the leader in a province with no network). The documents' content itself comes down with
 * the workspace's background sync, like any document the user can read.
 *
 * One service per workspace; the shell retains it while it is shown (`useApprovalService`).
 */
import { useEffect } from 'react';
import { setKv } from '../store/db.ts';
import type { Workspace } from '../sync/workspace.ts';
import { ensureSigningKey } from './signing-key.ts';
import { refreshWorkflow } from './workflow-cache.ts';

const POLL_MS = 10_000;

export class ApprovalService {
  private users = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private unsubscribe: (() => void) | undefined;
  private refreshing: Promise<void> | null = null;

  constructor(private readonly workspace: Workspace) {}

  /** Starts the service (once, however many retain it); returns the matching release. */
  retain(): () => void {
    if (this.users++ === 0) this.start();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.users === 0) this.stop();
    };
  }

  /** Reads "awaiting me" now (after a decision or an issue, or when a page opens). */
  refresh(): Promise<void> {
    this.refreshing ??= this.load().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private start(): void {
    const { workspace } = this;
    void ensureSigningKey(workspace.db, workspace.user.id)
      .then(() => workspace.flushOutbox())
      .catch((error: unknown) => console.warn('no signing key on this device', error));
    this.unsubscribe = workspace.connectivity.onChange((state) => {
      if (state === 'online') void this.refresh();
    });
    this.tick();
  }

  private stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  private tick(): void {
    if (this.workspace.connectivity.state === 'online') void this.refresh();
    this.timer = setTimeout(() => this.tick(), POLL_MS);
  }

  private async load(): Promise<void> {
    const { workspace } = this;
    const result = await workspace.api.approvals();
    if (!result.ok) return;
    await setKv(workspace.db, 'approvals', result.value);
    for (const item of result.value.items) {
      const id = item.document.id;
      if (!(await workspace.db.documents.get(id))) await workspace.fetchDocument(id);
      const cached = (await workspace.db.workflows.get(id))?.workflow;
      const next = cached?.next;
      const current =
        cached !== undefined &&
        cached.status === item.document.status &&
        (item.action === 'issue' || (next?.action === 'decide' && next.roundId === item.roundId && next.stepIndex === item.stepIndex));
      if (!current) await refreshWorkflow(workspace.api, workspace.db, id);
    }
  }
}

const services = new WeakMap<Workspace, ApprovalService>();

export function approvalServiceOf(workspace: Workspace): ApprovalService {
  let service = services.get(workspace);
  if (!service) {
    service = new ApprovalService(workspace);
    services.set(workspace, service);
  }
  return service;
}

/** Keeps the workspace's approval service running while the calling component is mounted. */
export function useApprovalService(workspace: Workspace): ApprovalService {
  const service = approvalServiceOf(workspace);
  useEffect(() => service.retain(), [service]);
  return service;
}

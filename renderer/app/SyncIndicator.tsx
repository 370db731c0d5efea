/**
 * The always-visible sync state (CONTRACT.md): role="status", reading "Đã đồng bộ", "Đang đồng
 * bộ" or "Ngoại tuyến" followed by the number of changes waiting.
 */
import { useT } from '../i18n/i18n.tsx';
import { useWorkspaceStatus } from './workspace-context.tsx';

/**
 * Subscribes to the workspace status itself: the status changes while the user types, and a
 * re-render of the whole shell for it made react-dom walk the focused editor's DOM (see
 * documents/session-view.tsx).
 */
export function SyncIndicator() {
  const status = useWorkspaceStatus();
  const t = useT();
  const label = status.phase === 'offline' ? t.sync.offline : status.phase === 'syncing' ? t.sync.syncing : t.sync.synced;
  return (
    <div role="status" className={`sync-indicator sync-${status.phase}`} data-waiting={status.waiting}>
      <span className="sync-dot" aria-hidden="true" />
      <span className="sync-label">{label}</span>
      <span className="sync-sep">{' · '}</span>
      <span className="sync-waiting">{t.sync.waiting(status.waiting)}</span>
    </div>
  );
}

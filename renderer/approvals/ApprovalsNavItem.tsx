/**
 * The sidebar's "Chờ tôi xử lý" link with the number of documents waiting for the user (as the
 * server last said, kept on this device). Mounted for as long as the shell is shown, it also
 * keeps the approval service running (signing key, "awaiting me" refreshed while online).
 */
import { Link } from '../app/router.tsx';
import { useLiveQuery, useWorkspace } from '../app/workspace-context.tsx';
import { useT } from '../i18n/i18n.tsx';
import { getKv } from '../store/db.ts';
import { useApprovalService } from './approval-service.ts';
import './approvals.css';

export function ApprovalsNavItem({ current }: { readonly current: boolean }) {
  const t = useT();
  const workspace = useWorkspace();
  useApprovalService(workspace);
  const count = useLiveQuery(async () => (await getKv(workspace.db, 'approvals'))?.count ?? 0, [workspace]) ?? 0;
  return (
    <li>
      <Link href="/approvals" className="nav-link nav-link-count" aria-current={current ? 'page' : undefined}>
        <span>{t.approvals.nav.label}</span>
        {count > 0 && (
          <>
            <span className="nav-count" aria-hidden="true">
              {count}
            </span>
            <span className="visually-hidden">, {t.approvals.nav.count(count)}</span>
          </>
        )}
      </Link>
    </li>
  );
}

import { useT } from '../i18n/i18n.tsx';

/** "Chờ tôi xử lý": drafts waiting for the user's check, approval or signature (approval issue). */
export function ApprovalsPage() {
  const t = useT();
  return (
    <section className="page">
      <h1>{t.approvals.title}</h1>
      <p className="empty-state">{t.approvals.placeholder}</p>
    </section>
  );
}

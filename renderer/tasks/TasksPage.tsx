import { useT } from '../i18n/i18n.tsx';

/** "Việc của tôi": the tasks assigned to the user (the tasks issue fills this in). */
export function TasksPage() {
  const t = useT();
  return (
    <section className="page">
      <h1>{t.tasks.title}</h1>
      <p className="empty-state">{t.tasks.placeholder}</p>
    </section>
  );
}

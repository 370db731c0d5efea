/**
 * Due-date reminders for the signed-in user: once a day per task (renderer/tasks/reminders.ts),
 * for unfinished tasks that are overdue or due today, from the local task index, so they work
 * offline. Inside the desktop app the reminder is a system notification (through the platform
 * adapter, renderer/platform; clicking it opens "Việc của tôi"); in a browser, or when the system
 * refuses, it is a banner at the top of the page.
 */
import { useEffect, useState } from 'react';
import { localIsoDate } from '../../common/board.ts';
import { Link } from '../app/router.tsx';
import { useLiveQuery, useWorkspace } from '../app/workspace-context.tsx';
import { tasksAssignedTo } from '../boards/task-index.ts';
import { useT } from '../i18n/i18n.tsx';
import { currentPlatform } from '../platform/platform.ts';
import { getKv, setKv } from '../store/db.ts';
import { dueReminder } from './reminders.ts';

const CHECK_EVERY_MS = 60_000;

export function TaskReminders() {
  const t = useT();
  const workspace = useWorkspace();
  const [banner, setBanner] = useState<string | null>(null);
  // Re-checked whenever my tasks change on this device (assigned, moved, due date set), and
  // every minute, so a new day's reminders come without a reload.
  const rows = useLiveQuery(() => tasksAssignedTo(workspace.db, workspace.user.id), [workspace]);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), CHECK_EVERY_MS);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    if (rows === undefined) return;
    let stopped = false;
    const check = async () => {
      const today = localIsoDate(new Date());
      const { reminder, remember } = dueReminder(rows, today, await getKv(workspace.db, 'reminded'));
      if (stopped || !reminder) return;
      await setKv(workspace.db, 'reminded', remember);
      const text = t.reminders.summary(reminder.overdue.length, reminder.today.length);
      const platform = currentPlatform();
      if (platform.kind === 'desktop') {
        const { shown } = await platform.notify({ title: t.reminders.notificationTitle, body: text, link: { kind: 'page', page: 'tasks' } });
        if (shown) return;
      }
      if (!stopped) setBanner(text);
    };
    // Debounced: a burst of index writes (a board syncing) gives one reminder.
    const timer = setTimeout(() => void check().catch((error: unknown) => console.warn('reminder check failed', error)), 800);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [rows, tick, workspace, t]);

  if (!banner) return null;
  return (
    <div className="reminder-banner" role="region" aria-label={t.reminders.label}>
      <p aria-live="polite">
        <strong>{t.reminders.label}:</strong> {banner}
      </p>
      <Link href="/tasks" className="button button-secondary button-small" onClick={() => setBanner(null)}>
        {t.reminders.open}
      </Link>
      <button type="button" className="icon-button" aria-label={t.reminders.dismiss} onClick={() => setBanner(null)}>
        ×
      </button>
    </div>
  );
}

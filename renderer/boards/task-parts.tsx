/** Small pieces shared by the board views and "Việc của tôi": due-date badge, priority, avatars. */
import type { DueState, Priority } from '../../common/board.ts';
import { colorForUser } from '../editor/colors.ts';
import { useT } from '../i18n/i18n.tsx';
import { initials } from './people.ts';

/** The local calendar date of an ISO date `YYYY-MM-DD` (no time zone shift). */
export function dateOf(isoDate: string): Date {
  const [y, m, d] = isoDate.split('-').map(Number);
  return new Date(y, m - 1, d);
}

/** The due date, flagged when overdue or due today. `compact`: the date alone (under a "Hạn" heading). */
export function DueBadge({ due, state, compact = false }: { readonly due: string; readonly state: DueState | null; readonly compact?: boolean }) {
  const t = useT();
  const date = t.date.long(dateOf(due));
  const label = compact ? date : t.boards.card.due(date);
  return (
    <span className={`due-badge${state === 'overdue' ? ' due-overdue' : state === 'today' ? ' due-today' : ''}`} data-due-state={state ?? 'none'}>
      {state === 'overdue' && <strong className="due-flag">{t.boards.card.overdue}</strong>}
      {state === 'today' && <strong className="due-flag">{t.boards.card.today}</strong>}
      <time dateTime={due}>{label}</time>
    </span>
  );
}

export function PriorityBadge({ priority }: { readonly priority: Priority }) {
  const t = useT();
  if (priority === 'normal') return null;
  return <span className={`priority-badge priority-${priority}`}>{t.boards.priority[priority]}</span>;
}

export function Avatars({ ids, nameOf }: { readonly ids: readonly string[]; readonly nameOf: (id: string) => string }) {
  const t = useT();
  if (ids.length === 0) return <span className="muted small">{t.boards.card.unassigned}</span>;
  const names = ids.map(nameOf);
  return (
    <span className="avatars" aria-label={names.join(', ')} role="img">
      {ids.slice(0, 4).map((id, i) => (
        <span key={id} className="avatar" style={{ background: colorForUser(id) }} aria-hidden="true" title={names[i]}>
          {initials(names[i])}
        </span>
      ))}
      {ids.length > 4 && (
        <span className="avatar avatar-more" aria-hidden="true">
          +{ids.length - 4}
        </span>
      )}
    </span>
  );
}

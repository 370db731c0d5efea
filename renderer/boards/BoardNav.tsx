/**
 * The sidebar's "Bảng công việc": the boards on this device (open offline too), the current one
 * marked, and "Bảng mới", which creates a board at once, with no network, through the outbox.
 */
import { useRef, useState } from 'react';
import { Link, type Route } from '../app/router.tsx';
import { useLiveQuery, useWorkspace } from '../app/workspace-context.tsx';
import { useT } from '../i18n/i18n.tsx';
import { NewBoardDialog } from './NewBoardDialog.tsx';

export function BoardNav({ route }: { readonly route: Route }) {
  const t = useT();
  const workspace = useWorkspace();
  const boards = useLiveQuery(() => workspace.db.boards.toArray(), [workspace]);
  const [creating, setCreating] = useState(false);
  const newButton = useRef<HTMLButtonElement>(null);
  const sorted = [...(boards ?? [])].sort((a, b) => a.title.localeCompare(b.title, 'vi'));
  return (
    <div className="board-nav">
      <p className="nav-heading" id="nav-boards">
        {t.boards.navHeading}
      </p>
      <ul aria-labelledby="nav-boards">
        {sorted.map((board) => (
          <li key={board.id}>
            <Link
              href={`/boards/${board.id}`}
              className="nav-link"
              aria-current={route.name === 'board' && route.id === board.id ? 'page' : undefined}
            >
              {board.title}
              {board.pendingCreate && <span className="nav-pending" aria-label={t.boards.pendingCreate} title={t.boards.pendingCreate}>•</span>}
            </Link>
          </li>
        ))}
        {boards !== undefined && boards.length === 0 && <li className="nav-empty muted small">{t.boards.none}</li>}
      </ul>
      <button ref={newButton} type="button" className="button button-secondary button-small nav-new" onClick={() => setCreating(true)}>
        <span aria-hidden="true">+</span> {t.boards.newBoard}
      </button>
      {creating && (
        <NewBoardDialog
          onClose={() => {
            setCreating(false);
            newButton.current?.focus();
          }}
        />
      )}
    </div>
  );
}

/** The people who have the document open: names with their cursor colours (awareness). */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { useT } from '../i18n/i18n.tsx';
import type { SessionSlot } from './session-slot.ts';

interface Person {
  readonly clientId: number;
  readonly name: string;
  readonly color: string;
  readonly me: boolean;
}

export function PresenceList({ slot }: { readonly slot: SessionSlot }) {
  const t = useT();
  const session = useSyncExternalStore(slot.subscribe, () => slot.session);
  const [people, setPeople] = useState<readonly Person[]>([]);

  useEffect(() => {
    if (!session) return;
    const awareness = session.awareness;
    let shown = '';
    const read = () => {
      const seen = new Set<string>();
      const list: Person[] = [];
      for (const [clientId, state] of awareness.getStates()) {
        const name = typeof state.name === 'string' ? state.name : null;
        const color = typeof state.color === 'string' ? state.color : '#555';
        if (!name) continue;
        const me = clientId === awareness.clientID;
        const key = `${name}|${me}`;
        if (seen.has(key)) continue;
        seen.add(key);
        list.push({ clientId, name, color, me });
      }
      list.sort((a, b) => (a.me === b.me ? a.name.localeCompare(b.name, 'vi') : a.me ? -1 : 1));
      // Awareness changes at every cursor move; the list only when someone comes, goes or is
      // renamed. A React commit while typing is not free (documents/session-view.tsx).
      const key = JSON.stringify(list);
      if (key === shown) return;
      shown = key;
      setPeople(list);
    };
    read();
    awareness.on('change', read);
    return () => awareness.off('change', read);
  }, [session]);

  if (people.length === 0) return null;
  return (
    <div className="presence">
      <span className="visually-hidden" id="presence-label">
        {t.editor.presence}
      </span>
      <ul className="presence-list" aria-labelledby="presence-label">
        {people.map((p) => (
          <li key={p.clientId} className="presence-person" title={p.name}>
            <span className="presence-avatar" style={{ background: p.color }} aria-hidden="true">
              {initials(p.name)}
            </span>
            <span className="presence-name">
              {p.name} {p.me && <span className="muted">{t.editor.you}</span>}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** "Nguyễn Văn An" → "A" + "N"? Vietnamese names are called by the given name, which is last. */
function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return (parts[parts.length - 1]?.[0] ?? '?').toLocaleUpperCase('vi');
}

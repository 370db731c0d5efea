import { useT } from '../i18n/i18n.tsx';

/** A task board (room `board:<id>`); the tasks issue fills this in. */
export function BoardPage({ id }: { readonly id: string }) {
  const t = useT();
  return (
    <section className="page" data-board-id={id}>
      <h1>{t.boards.title}</h1>
      <p className="empty-state">{t.boards.placeholder}</p>
    </section>
  );
}

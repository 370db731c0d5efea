/**
 * The local save state of an open document or board ("Đã lưu trên máy" / "Đang lưu trên máy…" /
 * "Không lưu được trên máy"), kept current outside React: it changes at every keystroke, and a
 * React commit while the editor has focus walks the editor's DOM (documents/session-view.tsx).
 */
import { useLayoutEffect, useRef } from 'react';
import { useT } from '../i18n/i18n.tsx';
import type { DocPersistence, SaveState } from '../store/doc-persistence.ts';

/** "Đã lưu trên máy" / "Đang lưu trên máy…" / "Không lưu được trên máy", kept current outside React. */
export function SaveStateText({ persistence }: { readonly persistence: Pick<DocPersistence, 'saveState' | 'onSaveState'> }) {
  const t = useT();
  const ref = useRef<HTMLSpanElement>(null);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const show = (state: SaveState) => {
      element.textContent = state === 'failed' ? t.sync.saveFailed : state === 'saving' ? t.sync.saving : t.sync.savedLocally;
      element.className = state === 'failed' ? 'text-danger' : '';
      element.dataset.saveState = state;
    };
    show(persistence.saveState);
    return persistence.onSaveState(show);
  }, [persistence, t]);
  return <span ref={ref} />;
}

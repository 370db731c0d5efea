/**
 * The local save state of an open document or board ("Đã lưu trên máy" / "Đang lưu trên máy…" /
 * "Không lưu được trên máy"), kept current outside React: it changes at every keystroke, and a
 * React commit while the editor has focus walks the editor's DOM (documents/session-view.tsx).
 *
 * "Saving" is shown only when a save is still running after SAVING_SHOWN_AFTER_MS. A keystroke is
 * on disk within a few milliseconds; flipping the label to "saving" and back at every key made it
 * flicker, announced itself to screen readers twice per key, and cost the page a second frame
 * (layout of the whole document) per keystroke (docs/client.md, "Long documents"). A failure and
 * the return to "saved" are shown at once.
 */
import { useLayoutEffect, useRef } from 'react';
import { useT } from '../i18n/i18n.tsx';
import type { DocPersistence, SaveState } from '../store/doc-persistence.ts';

export const SAVING_SHOWN_AFTER_MS = 400;

/**
 * What the label shows, given the persistence's state changes: `render` is called with the state
 * to show, only when it differs from the one shown; "saving" only once it has lasted `delayMs`.
 */
export function saveLabelShower(
  render: (state: SaveState) => void,
  current: () => SaveState,
  delayMs = SAVING_SHOWN_AFTER_MS,
): { readonly update: (state: SaveState) => void; readonly dispose: () => void } {
  let shown: SaveState | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const display = (state: SaveState) => {
    if (state === shown) return;
    shown = state;
    render(state);
  };
  // On mount the label tells the state as it is, "saving" included.
  display(current());
  return {
    update(state) {
      clearTimeout(timer);
      timer = undefined;
      if (state !== 'saving') return display(state);
      timer = setTimeout(() => display(current()), delayMs);
    },
    dispose() {
      clearTimeout(timer);
    },
  };
}

/** "Đã lưu trên máy" / "Đang lưu trên máy…" / "Không lưu được trên máy", kept current outside React. */
export function SaveStateText({ persistence }: { readonly persistence: Pick<DocPersistence, 'saveState' | 'onSaveState'> }) {
  const t = useT();
  const ref = useRef<HTMLSpanElement>(null);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const shower = saveLabelShower(
      (state) => {
        element.textContent = state === 'failed' ? t.sync.saveFailed : state === 'saving' ? t.sync.saving : t.sync.savedLocally;
        element.className = state === 'failed' ? 'text-danger' : '';
        element.dataset.saveState = state;
      },
      () => persistence.saveState,
    );
    const unsubscribe = persistence.onSaveState(shower.update);
    return () => {
      shower.dispose();
      unsubscribe();
    };
  }, [persistence, t]);
  return <span ref={ref} />;
}

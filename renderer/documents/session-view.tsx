/**
 * Reading an open document's session in React without re-rendering the page at every keystroke.
 *
 * Why it matters: while the editor has focus, every React commit anywhere in the page makes
 * React save and restore the focused element's selection, and for a contenteditable it computes
 * the caret's character offset by walking the editor's DOM from the top to the caret
 * (react-dom getModernOffsetsFromPoints). At the end of a 100-page document that walk is most of
 * the document, and it ran twice per keystroke (the save label flipping to "saving" and back).
 * So components read single fields (a commit only when that field changes), and the save label,
 * which changes at every keystroke, is written to the DOM directly with no commit at all
 * (app/SaveStateText.tsx).
 */
import { useSyncExternalStore } from 'react';
import type { DocSession, SessionSnapshot } from '../sync/doc-session.ts';

const noopSubscribe = (): (() => void) => () => {};

/** One field of the session's snapshot; re-renders only when that field changes. */
export function useSessionValue<T>(session: DocSession | null, select: (snapshot: SessionSnapshot) => T, fallback: T): T {
  return useSyncExternalStore(session?.subscribe ?? noopSubscribe, () => (session ? select(session.snapshot) : fallback));
}

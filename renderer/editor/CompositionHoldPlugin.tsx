import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { useEffect } from 'react';
import type { SessionSlot } from './session-slot.ts';

/** Longest a composition may keep remote changes waiting (an input method that never ends it). */
const COMPOSITION_HOLD_MAX_MS = 5_000;

/**
 * While the user composes a letter with an input method (Telex/VNI through the system IME),
 * remote changes wait (DocSession.holdRemote): applied mid-composition they re-render the very
 * text node being composed and the browser leaves a half-composed letter behind. They are
 * applied right after the composition ends, once Lexical has taken the composed text.
 */
export function CompositionHoldPlugin({ slot }: { readonly slot: SessionSlot }) {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    let release: (() => void) | null = null;
    let limit: ReturnType<typeof setTimeout> | undefined;
    const end = () => {
      clearTimeout(limit);
      const done = release;
      release = null;
      // After Lexical's own compositionend handling and the update it commits.
      if (done) setTimeout(done, 0);
    };
    const start = () => {
      if (release) return;
      const session = slot.session;
      if (!session) return;
      release = session.holdRemote();
      limit = setTimeout(end, COMPOSITION_HOLD_MAX_MS);
    };
    let root: HTMLElement | null = null;
    const listen = (element: HTMLElement | null, on: boolean) => {
      const method = on ? 'addEventListener' : 'removeEventListener';
      element?.[method]('compositionstart', start);
      element?.[method]('compositionend', end);
      element?.[method]('blur', end);
    };
    const unregister = editor.registerRootListener((next) => {
      listen(root, false);
      root = next;
      listen(root, true);
    });
    return () => {
      unregister();
      listen(root, false);
      end();
    };
  }, [editor, slot]);
  return null;
}

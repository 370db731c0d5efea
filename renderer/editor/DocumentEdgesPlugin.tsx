import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $getRoot, $getSelection, $isRangeSelection, $setSelection, COMMAND_PRIORITY_LOW, KEY_DOWN_COMMAND } from 'lexical';
import { useEffect } from 'react';

/** Ctrl+Home / Ctrl+End (⌘↑ / ⌘↓ on macOS), with Shift to select: the document's start or end. */
export function documentEdge(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>, mac: boolean): 'start' | 'end' | null {
  if (event.altKey) return null;
  if (mac) {
    if (!event.metaKey || event.ctrlKey) return null;
    return event.key === 'ArrowUp' || event.key === 'Home' ? 'start' : event.key === 'ArrowDown' || event.key === 'End' ? 'end' : null;
  }
  if (!event.ctrlKey || event.metaKey) return null;
  return event.key === 'Home' ? 'start' : event.key === 'End' ? 'end' : null;
}

const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/**
 * Moves the caret to the start or end of the document through Lexical instead of the browser.
 * The editor's blocks are `content-visibility: auto` (styles/document.css): Chromium does not lay
 * out blocks far off screen, and its own "move to end of document" then lands at the start of the
 * last block instead of its end. Lexical sets the selection by node and offset, then scrolls it
 * into view, which lays the block out.
 */
export function DocumentEdgesPlugin() {
  const [editor] = useLexicalComposerContext();
  useEffect(
    () =>
      editor.registerCommand(
        KEY_DOWN_COMMAND,
        (event) => {
          const edge = documentEdge(event, IS_MAC);
          if (edge === null) return false;
          event.preventDefault();
          editor.update(() => {
            // Clone first: select*() moves the current selection object in place.
            const previous = $getSelection()?.clone() ?? null;
            const root = $getRoot();
            const target = edge === 'end' ? root.selectEnd() : root.selectStart();
            if (event.shiftKey && $isRangeSelection(previous)) {
              const extended = previous;
              extended.focus.set(target.anchor.key, target.anchor.offset, target.anchor.type);
              $setSelection(extended);
            }
          });
          return true;
        },
        COMMAND_PRIORITY_LOW,
      ),
    [editor],
  );
  return null;
}

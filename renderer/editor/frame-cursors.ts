/**
 * Remote cursors are drawn once per frame, not once per event.
 *
 * Lexical's collaboration code redraws every remote cursor synchronously after each remote change
 * and after each presence ('update') event, including the local user's own cursor moving at every
 * keystroke. Drawing reads the layout (getBoundingClientRect of the cursor ranges) right after the
 * DOM has changed, which forces a full style and layout pass in the middle of the keystroke: in a
 * 100-page document about one extra layout per key (docs/client.md, "Long documents"). Deferred to
 * the next animation frame, the reads happen when the frame needs that layout anyway, and several
 * events of one frame cost one redraw. A cursor is at most one frame late, which nobody can see.
 */
import { syncCursorPositions, type SyncCursorPositionsFn } from '@lexical/yjs';
import { FrameCoalescer } from '../sync/frame-awareness.ts';

const draws = new WeakMap<object, { args: Parameters<SyncCursorPositionsFn>; readonly coalescer: FrameCoalescer }>();

/** For CollaborationPlugin's `syncCursorPositionsFn`: the stock drawing, deferred to the next frame. */
export const syncCursorPositionsInFrame: SyncCursorPositionsFn = (...args) => {
  const binding = args[0];
  let draw = draws.get(binding);
  if (draw === undefined) {
    const entry = {
      args,
      coalescer: new FrameCoalescer(() => {
        // The editor may have unmounted meanwhile: nothing to draw on.
        if (entry.args[0].editor.getRootElement() !== null) syncCursorPositions(...entry.args);
      }),
    };
    draws.set(binding, entry);
    draw = entry;
  }
  draw.args = args;
  draw.coalescer.schedule();
};

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { frameCoalescedAwareness } from './frame-awareness.ts';

describe("the editor's view of presence", () => {
  let frames: FrameRequestCallback[] = [];
  const runFrame = () => {
    const due = frames;
    frames = [];
    for (const callback of due) callback(performance.now());
  };
  beforeEach(() => {
    frames = [];
    vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => frames.push(callback));
    vi.stubGlobal('cancelAnimationFrame', (id: number) => {
      frames[id - 1] = () => {};
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it("runs 'update' listeners once per frame however many updates came, and leaves other events alone", () => {
    const awareness = new Awareness(new Y.Doc());
    const view = frameCoalescedAwareness(awareness);
    const drawn = vi.fn();
    const changes = vi.fn();
    view.on('update', drawn);
    view.on('change', changes);
    for (let i = 0; i < 5; i++) view.setLocalStateField('cursor', i);
    expect(drawn).not.toHaveBeenCalled();
    expect(changes).toHaveBeenCalledTimes(5);
    runFrame();
    expect(drawn).toHaveBeenCalledTimes(1);
    runFrame();
    expect(drawn).toHaveBeenCalledTimes(1);
    view.setLocalStateField('cursor', 9);
    runFrame();
    expect(drawn).toHaveBeenCalledTimes(2);
    // Reads and writes go to the real awareness.
    expect(awareness.getLocalState()).toEqual({ cursor: 9 });
    expect(view.clientID).toBe(awareness.clientID);
  });

  it('does not call a listener that was removed before its frame, and listeners on the real awareness are not delayed', () => {
    const awareness = new Awareness(new Y.Doc());
    const view = frameCoalescedAwareness(awareness);
    const drawn = vi.fn();
    const sent = vi.fn();
    awareness.on('update', sent);
    view.on('update', drawn);
    view.setLocalStateField('cursor', 1);
    expect(sent).toHaveBeenCalledTimes(1);
    view.off('update', drawn);
    runFrame();
    expect(drawn).not.toHaveBeenCalled();
    view.setLocalStateField('cursor', 2);
    runFrame();
    expect(drawn).not.toHaveBeenCalled();
    expect(sent).toHaveBeenCalledTimes(2);
  });
});

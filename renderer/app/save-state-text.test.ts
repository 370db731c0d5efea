import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SaveState } from '../store/doc-persistence.ts';
import { saveLabelShower, SAVING_SHOWN_AFTER_MS } from './SaveStateText.tsx';

describe('the save label', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function label(initial: SaveState) {
    let state = initial;
    const shown: SaveState[] = [];
    const shower = saveLabelShower((s) => shown.push(s), () => state);
    const set = (next: SaveState) => {
      state = next;
      shower.update(next);
    };
    return { shown, set, shower };
  }

  it('does not flicker to "saving" for saves that finish quickly, as at every keystroke', () => {
    const { shown, set } = label('saved');
    for (let key = 0; key < 20; key++) {
      set('saving');
      vi.advanceTimersByTime(5);
      set('saved');
      vi.advanceTimersByTime(100);
    }
    vi.advanceTimersByTime(SAVING_SHOWN_AFTER_MS * 2);
    expect(shown).toEqual(['saved']);
  });

  it('shows "saving" once a save has lasted the delay, and "saved" as soon as it is done', () => {
    const { shown, set } = label('saved');
    set('saving');
    vi.advanceTimersByTime(SAVING_SHOWN_AFTER_MS - 1);
    expect(shown).toEqual(['saved']);
    vi.advanceTimersByTime(1);
    expect(shown).toEqual(['saved', 'saving']);
    set('saved');
    expect(shown).toEqual(['saved', 'saving', 'saved']);
  });

  it('shows a failure at once, and the state it starts in as it is', () => {
    const { shown, set } = label('saving');
    expect(shown).toEqual(['saving']);
    set('failed');
    expect(shown).toEqual(['saving', 'failed']);
  });

  it('forgets a pending "saving" when it is disposed', () => {
    const { shown, set, shower } = label('saved');
    set('saving');
    shower.dispose();
    vi.advanceTimersByTime(SAVING_SHOWN_AFTER_MS * 2);
    expect(shown).toEqual(['saved']);
  });
});

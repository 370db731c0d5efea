import { describe, expect, it } from 'vitest';
import { documentEdge } from './DocumentEdgesPlugin.tsx';

const key = (key: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey', boolean>> = {}) => ({ key, ctrlKey: false, metaKey: false, altKey: false, ...mods });

describe('documentEdge', () => {
  it('reads Ctrl+Home / Ctrl+End on Windows and Linux, and nothing else', () => {
    expect(documentEdge(key('End', { ctrlKey: true }), false)).toBe('end');
    expect(documentEdge(key('Home', { ctrlKey: true }), false)).toBe('start');
    expect(documentEdge(key('End'), false)).toBeNull();
    expect(documentEdge(key('End', { ctrlKey: true, altKey: true }), false)).toBeNull();
    expect(documentEdge(key('ArrowDown', { ctrlKey: true }), false)).toBeNull();
    expect(documentEdge(key('End', { metaKey: true }), false)).toBeNull();
  });

  it('reads ⌘↑ / ⌘↓ (and ⌘Home / ⌘End) on macOS', () => {
    expect(documentEdge(key('ArrowDown', { metaKey: true }), true)).toBe('end');
    expect(documentEdge(key('ArrowUp', { metaKey: true }), true)).toBe('start');
    expect(documentEdge(key('End', { metaKey: true }), true)).toBe('end');
    expect(documentEdge(key('End', { ctrlKey: true }), true)).toBeNull();
    expect(documentEdge(key('ArrowLeft', { metaKey: true }), true)).toBeNull();
  });
});

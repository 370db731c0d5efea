/**
 * The Yjs side of the editor without a browser: a headless Lexical editor bound with @lexical/yjs
 * (binding V1, as the CollaborationPlugin binds it). Protects the document seed and the origins
 * that keep loading out of the undo history.
 */
import { createBinding, createUndoManager, syncLexicalUpdateToYjs, syncYjsChangesToLexical, type Provider } from '@lexical/yjs';
import { $createTextNode, $getRoot, $isElementNode, createEditor, SKIP_COLLAB_TAG } from 'lexical';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CONTENT_ROOT, contentText, documentSeedUpdate, isContentEmpty } from '../../common/document-content.ts';
import { DOCUMENT_NODES } from './nodes.ts';

const fakeProvider = {
  awareness: {
    getLocalState: () => null,
    getStates: () => new Map(),
    on: () => {},
    off: () => {},
    setLocalState: () => {},
    setLocalStateField: () => {},
  },
  connect: () => {},
  disconnect: () => {},
  on: () => {},
  off: () => {},
} as unknown as Provider;

/** An editor bound to `doc` the way the plugin does it: observe the root, apply Yjs events. */
function bind(doc: Y.Doc) {
  const editor = createEditor({ nodes: [...DOCUMENT_NODES], onError: (e) => { throw e; } });
  const docMap = new Map([['d', doc]]);
  const binding = createBinding(editor, fakeProvider, 'd', doc, docMap);
  binding.root.getSharedType().observeDeep((events, transaction) => {
    if (transaction.origin !== binding) syncYjsChangesToLexical(binding, fakeProvider, events as never, transaction.origin instanceof Y.UndoManager);
  });
  editor.registerUpdateListener(({ prevEditorState, editorState, dirtyElements, dirtyLeaves, normalizedNodes, tags }) => {
    if (!tags.has(SKIP_COLLAB_TAG)) {
      syncLexicalUpdateToYjs(binding, fakeProvider, prevEditorState, editorState, dirtyElements, dirtyLeaves, normalizedNodes, tags);
    }
  });
  const paragraphs = () => editor.getEditorState().read(() => $getRoot().getChildrenSize());
  return { editor, binding, paragraphs };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('document seed', () => {
  it('is the same bytes every time, so any number of clients seeding converge to one paragraph', async () => {
    expect(documentSeedUpdate()).toEqual(documentSeedUpdate());
    const a = new Y.Doc();
    const b = new Y.Doc();
    Y.applyUpdate(a, documentSeedUpdate());
    Y.applyUpdate(b, documentSeedUpdate());
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    Y.applyUpdate(a, documentSeedUpdate());
    expect(a.get(CONTENT_ROOT, Y.XmlText).length).toBe(1);
    expect(b.get(CONTENT_ROOT, Y.XmlText).length).toBe(1);

    const doc = new Y.Doc();
    const { paragraphs } = bind(doc);
    Y.applyUpdate(doc, documentSeedUpdate(), 'seed');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(a), 'remote');
    await settle();
    expect(paragraphs()).toBe(1);
  });

  it('renders as a Lexical paragraph that the user can type into', async () => {
    const doc = new Y.Doc();
    const { editor, paragraphs } = bind(doc);
    expect(isContentEmpty(doc)).toBe(true);
    Y.applyUpdate(doc, documentSeedUpdate(), 'seed');
    await settle();
    expect(paragraphs()).toBe(1);
    expect(editor.getEditorState().read(() => $getRoot().getFirstChildOrThrow().getType())).toBe('paragraph');
  });
});

describe('undo and loaded state', () => {
  it('state applied with an origin of our own is not undoable; state applied with origin null would be', async () => {
    const stored = new Y.Doc();
    const writer = bind(stored);
    Y.applyUpdate(stored, documentSeedUpdate(), 'seed');
    await settle();
    writer.editor.update(
      () => {
        const paragraph = $getRoot().getFirstChildOrThrow();
        if ($isElementNode(paragraph)) paragraph.append($createTextNode('Quyết định'));
      },
      { discrete: true },
    );
    await settle();
    const update = Y.encodeStateAsUpdate(stored);

    const ours = new Y.Doc();
    const { binding } = bind(ours);
    const undo = createUndoManager(binding, binding.root.getSharedType());
    Y.applyUpdate(ours, update, Symbol('local-store'));
    await settle();
    expect(ours.get(CONTENT_ROOT, Y.XmlText).toDelta().length).toBe(1);
    expect(contentText(ours)).toBe('Quyết định');
    expect(undo.undoStack.length).toBe(0);

    const careless = new Y.Doc();
    const bound = bind(careless);
    const undo2 = createUndoManager(bound.binding, bound.binding.root.getSharedType());
    Y.applyUpdate(careless, update, null);
    await settle();
    expect(undo2.undoStack.length).toBe(1);
  });
});

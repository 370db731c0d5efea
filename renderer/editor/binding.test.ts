/**
 * The Yjs side of the editor without a browser: a headless Lexical editor bound with @lexical/yjs
 * (binding V1, as the CollaborationPlugin binds it). Protects the document seed and the origins
 * that keep loading out of the undo history.
 */
import { createBinding, createUndoManager, syncLexicalUpdateToYjs, syncYjsChangesToLexical, type Provider } from '@lexical/yjs';
import { $createHeadingNode } from '@lexical/rich-text';
import { $createListItemNode, $createListNode, type ListItemNode, type ListNode } from '@lexical/list';
import { $createParagraphNode, $createTextNode, $getRoot, $isElementNode, createEditor, SKIP_COLLAB_TAG, type ParagraphNode, type TextNode } from 'lexical';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { CONTENT_ROOT, contentText, documentSeedUpdate, isContentEmpty } from '../../common/document-content.ts';
import { installCleanSubtreeSkip, setCleanSubtreeSkip } from './binding-clean-subtrees.ts';
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

describe('local edits skip the subtrees they did not touch (binding-clean-subtrees.ts)', () => {
  installCleanSubtreeSkip();
  afterEach(() => setCleanSubtreeSkip(true));

  /** A document of `n` paragraphs, a heading and a list, then a run of local edits of every kind. */
  async function editSession(n: number) {
    const doc = new Y.Doc();
    const peer = new Y.Doc();
    doc.on('update', (update: Uint8Array) => Y.applyUpdate(peer, update, 'relay'));
    const { editor } = bind(doc);
    const other = bind(peer);
    const edit = (fn: () => void) => editor.update(fn, { discrete: true });
    edit(() => {
      const root = $getRoot();
      const heading = $createHeadingNode('h2');
      heading.append($createTextNode('Điều 1. Phạm vi'));
      root.append(heading);
      for (let i = 0; i < n; i++) root.append($createParagraphNode().append($createTextNode(`Đoạn ${i} của văn bản.`)));
      const list = $createListNode('bullet');
      for (let i = 0; i < 3; i++) list.append($createListItemNode().append($createTextNode(`Mục ${i}`)));
      root.append(list);
    });
    const paragraph = (i: number) => $getRoot().getChildAtIndex(i + 1) as ParagraphNode;
    // Typing into one paragraph, as keystrokes.
    for (const ch of ' thêm chữ') edit(() => (paragraph(7).getLastChild() as TextNode).setTextContent(`${paragraph(7).getTextContent()}${ch}`));
    // Formatting part of a paragraph: the text node splits.
    edit(() => (paragraph(3).getFirstChildOrThrow() as TextNode).splitText(4)[1].toggleFormat('bold'));
    // Alignment and indentation (element properties).
    edit(() => paragraph(5).setFormat('center'));
    edit(() => paragraph(6).setIndent(1));
    // A paragraph inserted, one removed, one moved.
    edit(() => paragraph(2).insertAfter($createParagraphNode().append($createTextNode('Đoạn chèn mới.'))));
    edit(() => paragraph(9).remove());
    edit(() => paragraph(0).insertBefore(paragraph(11)));
    // Nested: a list item's text, and a new item.
    edit(() => {
      const list = $getRoot().getLastChildOrThrow() as ListNode;
      (list.getChildAtIndex(1) as ListItemNode).getFirstChildOrThrow<TextNode>().setTextContent('Mục một đã sửa');
      list.append($createListItemNode().append($createTextNode('Mục mới')));
    });
    await settle();
    const rendered = other.editor.getEditorState().read(() => $getRoot().getTextContent());
    return { doc, rendered, text: editor.getEditorState().read(() => $getRoot().getTextContent()) };
  }

  it('gives the same Yjs document as the stock walk, and the peer renders the same text', async () => {
    setCleanSubtreeSkip(false);
    const stock = await editSession(40);
    setCleanSubtreeSkip(true);
    const skipping = await editSession(40);
    expect(skipping.text).toContain('Đoạn 7 của văn bản. thêm chữ');
    expect(skipping.text).toContain('Mục một đã sửa');
    expect(skipping.text).not.toContain('Đoạn 8 của văn bản.');
    expect(skipping.text).toBe(stock.text);
    expect(skipping.rendered).toBe(skipping.text);
    expect(stock.rendered).toBe(stock.text);
    // Same structure, attributes and formatting: the XML of the shared root, node by node.
    expect(skipping.doc.get(CONTENT_ROOT, Y.XmlText).toJSON()).toBe(stock.doc.get(CONTENT_ROOT, Y.XmlText).toJSON());
    expect(skipping.doc.get(CONTENT_ROOT, Y.XmlText).toDelta().length).toBe(stock.doc.get(CONTENT_ROOT, Y.XmlText).toDelta().length);
  });

  it('visits only the paragraph that changed when one paragraph of a long document is typed in', async () => {
    const doc = new Y.Doc();
    const { editor, binding } = bind(doc);
    editor.update(() => {
      for (let i = 0; i < 300; i++) $getRoot().append($createParagraphNode().append($createTextNode(`Đoạn ${i}.`)));
    }, { discrete: true });
    const prototype = Object.getPrototypeOf(binding.root) as { syncPropertiesFromLexical: (...args: unknown[]) => void };
    const visits = vi.spyOn(prototype, 'syncPropertiesFromLexical');
    const type = () => editor.update(() => ($getRoot().getChildAtIndex(150) as ParagraphNode).getFirstChildOrThrow<TextNode>().setTextContent('Đoạn 150 có chữ mới.'), { discrete: true });
    type();
    const skipped = visits.mock.calls.length;
    setCleanSubtreeSkip(false);
    editor.update(() => ($getRoot().getChildAtIndex(150) as ParagraphNode).getFirstChildOrThrow<TextNode>().setTextContent('Đoạn 150 có chữ mới hơn.'), { discrete: true });
    const walked = visits.mock.calls.length - skipped;
    visits.mockRestore();
    expect(skipped).toBeLessThanOrEqual(2);
    expect(walked).toBeGreaterThanOrEqual(300);
    expect(contentText(doc)).toContain('Đoạn 150 có chữ mới hơn.');
  });
});

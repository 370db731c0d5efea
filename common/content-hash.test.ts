import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { canonicalContent, canonicalContentText, contentHash, decodeStateVectorBase64, stateVectorBase64, VERSION_HASH_PATTERN } from './content-hash.ts';
import { CONTENT_ROOT, documentSeedUpdate, META_MAP } from './document-content.ts';

/**
 * A document shaped the way @lexical/yjs (binding V1) writes one: the root XmlText embeds one
 * XmlText per paragraph (its properties as attributes), and a paragraph holds each text node as a
 * Y.Map of its properties followed by its characters.
 */
function lexicalDoc(paragraphs: readonly string[], clientID?: number): Y.Doc {
  const doc = new Y.Doc();
  if (clientID !== undefined) doc.clientID = clientID;
  doc.transact(() => {
    const root = doc.get(CONTENT_ROOT, Y.XmlText);
    paragraphs.forEach((text, i) => {
      const paragraph = new Y.XmlText();
      root.insertEmbed(i, paragraph);
      paragraph.setAttribute('__type', 'paragraph');
      paragraph.setAttribute('__format', 0);
      const node = new Y.Map<unknown>();
      paragraph.insertEmbed(0, node);
      node.set('__type', 'text');
      node.set('__format', 0);
      node.set('__style', '');
      paragraph.insert(1, text);
    });
    const meta = doc.getMap<unknown>(META_MAP);
    meta.set('title', 'Kế hoạch chuyển đổi số');
    meta.set('type', 'KH');
  });
  return doc;
}

function paragraphText(doc: Y.Doc, index: number): Y.XmlText {
  const op = doc.get(CONTENT_ROOT, Y.XmlText).toDelta()[index] as { insert: Y.XmlText };
  return op.insert;
}

describe('content hash', () => {
  it('is 64 lower-case hex digits and the same for the same document every time', async () => {
    const doc = lexicalDoc(['Điều 1. Phạm vi điều chỉnh']);
    const hash = await contentHash(doc);
    expect(hash).toMatch(VERSION_HASH_PATTERN);
    expect(await contentHash(doc)).toBe(hash);
  });

  it('is the same for equal content written by other clients in another order', async () => {
    const straight = lexicalDoc(['Điều 1. Phạm vi', 'Điều 2. Đối tượng'], 1);

    // Another client types the second paragraph in pieces, backwards, and edits its metadata in another order.
    const pieced = new Y.Doc();
    pieced.clientID = 987654;
    const root = pieced.get(CONTENT_ROOT, Y.XmlText);
    for (const text of ['Điều 1. Phạm vi', 'Điều 2. Đối tượng']) {
      pieced.transact(() => {
        const paragraph = new Y.XmlText();
        root.insertEmbed(root.length, paragraph);
        paragraph.setAttribute('__format', 0);
        paragraph.setAttribute('__type', 'paragraph');
        const node = new Y.Map<unknown>();
        paragraph.insertEmbed(0, node);
        node.set('__style', '');
        node.set('__format', 0);
        node.set('__type', 'text');
      });
      const paragraph = paragraphText(pieced, root.length - 1);
      const middle = Math.floor(text.length / 2);
      paragraph.insert(1, text.slice(middle));
      paragraph.insert(1, text.slice(0, middle));
    }
    // A typo typed and removed leaves tombstones behind, but no content.
    paragraphText(pieced, 0).insert(3, 'XYZ');
    paragraphText(pieced, 0).delete(3, 3);
    const meta = pieced.getMap<unknown>(META_MAP);
    meta.set('type', 'QĐ');
    meta.set('type', 'KH');
    meta.set('title', 'Kế hoạch chuyển đổi số');

    expect(canonicalContentText(pieced)).toBe(canonicalContentText(straight));
    expect(await contentHash(pieced)).toBe(await contentHash(straight));
    expect(stateVectorBase64(pieced)).not.toBe(stateVectorBase64(straight));
  });

  it('is the same after the document travels through updates into another Y.Doc', async () => {
    const doc = lexicalDoc(['Nơi nhận:', '- Lưu: VT, BCVT.']);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    expect(await contentHash(copy)).toBe(await contentHash(doc));
  });

  it('is the same for text in NFC and in NFD', async () => {
    expect(await contentHash(lexicalDoc(['Yên Hòa']))).toBe(await contentHash(lexicalDoc(['Yên Ho\u0300a'])));
  });

  it('changes with any change of text, formatting, structure or metadata', async () => {
    const base = await contentHash(lexicalDoc(['Điều 1.', 'Điều 2.']));
    const variants: ((doc: Y.Doc) => void)[] = [
      (doc) => paragraphText(doc, 0).insert(1, ' '),
      (doc) => paragraphText(doc, 1).delete(1, 1),
      (doc) => paragraphText(doc, 0).setAttribute('__format', 1),
      (doc) => (paragraphText(doc, 0).toDelta()[0] as { insert: Y.Map<unknown> }).insert.set('__format', 1),
      (doc) => paragraphText(doc, 0).format(1, 2, { bold: true }),
      (doc) => doc.get(CONTENT_ROOT, Y.XmlText).delete(1, 1),
      (doc) => doc.getMap(META_MAP).set('summary', 'V/v tổ chức hội nghị'),
      (doc) => doc.getMap(META_MAP).set('title', 'Kế hoạch chuyển đổi số '),
    ];
    const hashes = new Set<string>([base]);
    for (const change of variants) {
      const doc = lexicalDoc(['Điều 1.', 'Điều 2.']);
      change(doc);
      hashes.add(await contentHash(doc));
    }
    expect(hashes.size).toBe(variants.length + 1);
  });

  it('tells a paragraph break from the same characters in one paragraph', async () => {
    expect(await contentHash(lexicalDoc(['ab']))).not.toBe(await contentHash(lexicalDoc(['a', 'b'])));
  });

  it('never lets a plain object pass for a shared type', () => {
    const doc = new Y.Doc();
    doc.getMap(META_MAP).set('signer', { $type: 'map', entries: {} });
    const other = new Y.Doc();
    other.getMap(META_MAP).set('signer', new Y.Map());
    expect(canonicalContentText(doc)).not.toBe(canonicalContentText(other));
  });

  it('hashes the empty document and the seeded one, and tells them apart', async () => {
    const empty = new Y.Doc();
    const seeded = new Y.Doc();
    Y.applyUpdate(seeded, documentSeedUpdate());
    expect(canonicalContent(empty)).toEqual({ format: 'congvu-content/1', meta: {}, root: { $type: 'xmltext', attributes: {}, children: [] } });
    expect(await contentHash(empty)).not.toBe(await contentHash(seeded));
  });

  it('equal text typed by two clients concurrently hashes the same on both once they converge', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.boolean(), fc.nat(40), fc.string({ maxLength: 4 })), { maxLength: 30 }), async (edits) => {
        const a = lexicalDoc(['Điều 1.'], 1);
        const b = new Y.Doc();
        b.clientID = 2;
        Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
        for (const [onA, at, text] of edits) {
          const paragraph = paragraphText(onA ? a : b, 0);
          paragraph.insert(1 + (at % paragraph.length), text);
        }
        Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
        Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
        expect(await contentHash(a)).toBe(await contentHash(b));
      }),
      { numRuns: 50 },
    );
  });
});

describe('state vector', () => {
  it('round-trips through base64 and refuses what is not one', () => {
    const doc = lexicalDoc(['x'], 42);
    const text = stateVectorBase64(doc);
    expect(decodeStateVectorBase64(text)?.get(42)).toBeGreaterThan(0);
    expect(decodeStateVectorBase64('')).toBeNull();
    expect(decodeStateVectorBase64('not base64!')).toBeNull();
  });
});

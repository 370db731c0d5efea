/**
 * The shape of a document's Y.Doc (room `doc:<id>`, DESIGN.md "Data model"): the Lexical content
 * in the XmlText `root` as @lexical/yjs (binding V1) writes it, and the Y.Map `meta`.
 *
 * New documents are seeded with one empty paragraph by an update that is the same bytes on every
 * client: it is written by a fixed, reserved Yjs client id, so two clients that both seed one
 * document (or one client that seeds it twice) produce the very same item, which Yjs keeps once.
 * That makes seeding idempotent where Lexical's own bootstrap is a plain insert that duplicates
 * the first paragraph when several clients run it (facebook/lexical#9107).
 */
import * as Y from 'yjs';

/** The XmlText that @lexical/yjs binds (CollaborationPlugin V1, `rootName` default). */
export const CONTENT_ROOT = 'root';
/** Y.Map of descriptive fields the editor shows around the body. */
export const META_MAP = 'meta';

/**
 * The reserved client id of the seed. Real clients pick random 32-bit ids; one colliding with
 * this constant is as likely as any two clients colliding, which Yjs already tolerates poorly and
 * detects.
 */
export const SEED_CLIENT_ID = 0x5eed;

let cachedSeed: Uint8Array | null = null;

/**
 * The update that gives an empty document its first, empty paragraph. Deterministic: always the
 * same bytes, so applying it on many clients converges to one paragraph.
 */
export function documentSeedUpdate(): Uint8Array {
  if (cachedSeed === null) {
    const doc = new Y.Doc();
    doc.clientID = SEED_CLIENT_ID;
    doc.transact(() => {
      const root = doc.get(CONTENT_ROOT, Y.XmlText);
      const paragraph = new Y.XmlText();
      root.insertEmbed(0, paragraph);
      paragraph.setAttribute('__type', 'paragraph');
    });
    cachedSeed = Y.encodeStateAsUpdate(doc);
    doc.destroy();
  }
  return cachedSeed.slice();
}

/** True when the document has no content at all yet (nothing typed, not even the seed). */
export function isContentEmpty(doc: Y.Doc): boolean {
  return doc.get(CONTENT_ROOT, Y.XmlText).length === 0;
}

export interface DocumentMeta {
  readonly title?: string;
  readonly type?: string;
  /** Trích yếu: the one-line summary printed under the type name. */
  readonly summary?: string;
}

export function readMeta(doc: Y.Doc): DocumentMeta {
  const map = doc.getMap<unknown>(META_MAP);
  const text = (key: string): string | undefined => {
    const value = map.get(key);
    return typeof value === 'string' ? value : undefined;
  };
  return { title: text('title'), type: text('type'), summary: text('summary') };
}

export function writeMeta(doc: Y.Doc, meta: DocumentMeta, origin: unknown = null): void {
  const map = doc.getMap<unknown>(META_MAP);
  doc.transact(() => {
    for (const [key, value] of Object.entries(meta)) {
      if (typeof value === 'string' && map.get(key) !== value) map.set(key, value);
    }
  }, origin);
}

/** The plain text of the body, paragraphs separated by newlines (search, tests, previews). */
export function contentText(doc: Y.Doc): string {
  const lines: string[] = [];
  const walk = (text: Y.XmlText, line: string[]): void => {
    for (const op of text.toDelta() as { insert: unknown }[]) {
      if (typeof op.insert === 'string') line.push(op.insert);
      else if (op.insert instanceof Y.XmlText) {
        const inner: string[] = [];
        walk(op.insert, inner);
        if (inner.length > 0) lines.push(inner.join(''));
      }
    }
  };
  const top: string[] = [];
  walk(doc.get(CONTENT_ROOT, Y.XmlText), top);
  if (top.length > 0) lines.unshift(top.join(''));
  return lines.join('\n');
}

/**
 * The identity of a document's version, computed the same way in the renderer, the server and a
 * verifier: the SHA-256 of a canonical form of its content, and its Yjs state vector.
 *
 * The canonical form is the canonical JSON (canonical-json.ts) of
 *
 *   { "format": "congvu-content/1", "meta": <the `meta` Y.Map>, "root": <the `root` XmlText> }
 *
 * where shared types become tagged objects, so that nothing of how the content was typed survives:
 * - XmlText (Lexical's elements, @lexical/yjs binding V1): {"$type":"xmltext","attributes":{…},
 *   "children":[…]}. Children come from the delta: adjacent strings with equal formatting are
 *   joined into one string (a plain JSON string when unformatted, {"$type":"run","text","attributes"}
 *   otherwise), and embedded types are written in place.
 * - Y.Text: as XmlText with "$type":"text"; Y.XmlElement: {"$type":"xmlelement","name","attributes",
 *   "children"}; Y.XmlFragment: {"$type":"xmlfragment","children"}; Y.Map: {"$type":"map",
 *   "entries":{…}}; Y.Array: {"$type":"array","items":[…]}; bytes: {"$type":"bytes","base64"}.
 * - Plain JSON stays as it is, except an object that has a "$type" key itself, which is wrapped as
 *   {"$type":"object","entries":{…}} so it can never pass for one of the forms above.
 * - `undefined` becomes null; every string is NFC (done by canonical JSON).
 *
 * Client ids, item ids, tombstones, the order of concurrent edits that converged and the order in
 * which map keys were set all leave no trace, so equal content has one hash however it was made.
 * The `doc:<id>:comments` room is not content and is not hashed.
 */
import * as Y from 'yjs';
import { fromBase64, toBase64, toHex } from './base64.ts';
import { canonicalJson, canonicalJsonBytes, type JsonValue } from './canonical-json.ts';
import { CONTENT_ROOT, META_MAP } from './document-content.ts';
import { sha256 } from './webcrypto.ts';

export const CONTENT_FORMAT = 'congvu-content/1';

/** A version hash: SHA-256 as 64 lower-case hex digits. */
export const VERSION_HASH_PATTERN = /^[0-9a-f]{64}$/;

type JsonObject = { [key: string]: JsonValue };

/** The canonical form of the document's content, as a JSON value (see the module comment). */
export function canonicalContent(doc: Y.Doc): JsonValue {
  return {
    format: CONTENT_FORMAT,
    meta: entries(doc.getMap<unknown>(META_MAP)),
    root: canonicalValue(doc.get(CONTENT_ROOT, Y.XmlText)),
  };
}

/** The canonical form as text: what is hashed. */
export function canonicalContentText(doc: Y.Doc): string {
  return canonicalJson(canonicalContent(doc));
}

/** The version hash of the document's content: SHA-256 of its canonical form, lower-case hex. */
export async function contentHash(doc: Y.Doc): Promise<string> {
  return toHex(await sha256(canonicalJsonBytes(canonicalContent(doc))));
}

/** The version's position in the document's history: its Yjs state vector, in standard base64. */
export function stateVectorBase64(doc: Y.Doc): string {
  return toBase64(Y.encodeStateVector(doc));
}

/** Decodes a state vector written by stateVectorBase64, or returns null when it is not one. */
export function decodeStateVectorBase64(text: string): Map<number, number> | null {
  const bytes = text.length === 0 ? null : fromBase64(text);
  if (bytes === null) return null;
  try {
    return Y.decodeStateVector(bytes);
  } catch {
    return null;
  }
}

function entries(map: Y.Map<unknown>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of map.entries()) out[key] = canonicalValue(value);
  return out;
}

function attributes(record: Readonly<Record<string, unknown>>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(record)) {
    if (value !== undefined) out[key] = canonicalValue(value);
  }
  return out;
}

interface DeltaOp {
  readonly insert?: unknown;
  readonly attributes?: Readonly<Record<string, unknown>>;
}

/** Children of a text type from its delta: equal-formatted neighbouring strings joined. */
function deltaChildren(text: Y.Text): JsonValue[] {
  const children: JsonValue[] = [];
  let run: { text: string; attributes: JsonObject; key: string } | null = null;
  const flush = (): void => {
    if (run === null || run.text === '') {
      run = null;
      return;
    }
    children.push(
      Object.keys(run.attributes).length === 0 ? run.text : { $type: 'run', text: run.text, attributes: run.attributes },
    );
    run = null;
  };
  for (const op of text.toDelta() as DeltaOp[]) {
    const formatting = attributes(op.attributes ?? {});
    if (typeof op.insert === 'string') {
      const key = canonicalJson(formatting);
      if (run !== null && run.key === key) run.text += op.insert;
      else {
        flush();
        run = { text: op.insert, attributes: formatting, key };
      }
      continue;
    }
    flush();
    const value = canonicalValue(op.insert);
    children.push(Object.keys(formatting).length === 0 ? value : { $type: 'embed', value, attributes: formatting });
  }
  flush();
  return children;
}

function canonicalValue(value: unknown): JsonValue {
  // XmlText extends Text and XmlElement extends XmlFragment: the subclasses are tested first.
  if (value instanceof Y.XmlText) return { $type: 'xmltext', attributes: attributes(value.getAttributes()), children: deltaChildren(value) };
  if (value instanceof Y.Text) return { $type: 'text', children: deltaChildren(value) };
  if (value instanceof Y.XmlElement) {
    return {
      $type: 'xmlelement',
      name: value.nodeName,
      attributes: attributes(value.getAttributes() as Record<string, unknown>),
      children: value.toArray().map(canonicalValue),
    };
  }
  if (value instanceof Y.XmlFragment) return { $type: 'xmlfragment', children: value.toArray().map(canonicalValue) };
  if (value instanceof Y.Map) return { $type: 'map', entries: entries(value) };
  if (value instanceof Y.Array) return { $type: 'array', items: value.toArray().map(canonicalValue) };
  if (value instanceof Uint8Array) return { $type: 'bytes', base64: toBase64(value) };
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map(canonicalValue);
  if (typeof value === 'object') {
    const plain = attributes(value as Record<string, unknown>);
    return '$type' in plain ? { $type: 'object', entries: plain } : plain;
  }
  // Functions, symbols and bigints cannot be stored in a Y.Doc.
  return null;
}

/**
 * Canonical JSON: exactly one text for one value, so a hash or a signature over a value can be
 * recomputed byte for byte on any machine. Object keys are sorted by UTF-16 code units (as in
 * RFC 8785, JCS), there is no whitespace, every string (keys too) is in Unicode NFC, members whose
 * value is undefined are left out, and only finite numbers are allowed.
 */
import { encodeUtf8 } from 'lib0/string';

export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue | undefined };

/** The canonical text of `value`. Throws RangeError on a non-finite number or on two keys equal after NFC. */
export function canonicalJson(value: JsonValue): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new RangeError(`canonical JSON has no form for ${value}`);
      // ECMAScript's number-to-string is the one JCS prescribes; it also turns -0 into 0.
      return JSON.stringify(value);
    case 'string':
      return JSON.stringify(value.normalize('NFC'));
  }
  if (isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const members = new Map<string, JsonValue>();
  for (const [rawKey, member] of Object.entries(value)) {
    if (member === undefined) continue;
    const key = rawKey.normalize('NFC');
    if (members.has(key)) throw new RangeError(`two keys are "${key}" once normalised to NFC`);
    members.set(key, member);
  }
  const keys = [...members.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(members.get(key) as JsonValue)}`).join(',')}}`;
}

/** The UTF-8 bytes of the canonical text: what is hashed and signed. */
export function canonicalJsonBytes(value: JsonValue): Uint8Array {
  return encodeUtf8(canonicalJson(value));
}

function isArray(value: JsonValue): value is readonly JsonValue[] {
  return Array.isArray(value);
}

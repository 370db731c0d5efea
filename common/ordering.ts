/**
 * Fractional order keys: strings whose plain string order (`<`) is the order of the things they
 * place, with a key between any two keys, so moving one task writes one field and never shifts or
 * copies its neighbours (a move in a CRDT is then a last-writer-wins field, not a delete and an
 * insert that two replicas could both perform).
 *
 * A key is the digits after the point of a fraction in base 62 (`0-9A-Za-z`, in ASCII order), never
 * ending in `0`, so each fraction has one spelling and string order equals numeric order. Every key
 * made by `keyBetween` ends with the tag of the replica that made it: two replicas that insert at
 * the same spot while offline make the same fraction but different keys, so their tasks never
 * share a position. Ties can still exist (a key copied by hand, a tag collision): sort by
 * `compareOrder`, which breaks them by id, so every replica shows the same order.
 */

export const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE = DIGITS.length;
/** Digits of a replica tag: 62^5 ≈ 9.2 × 10^8 distinct tags. */
const TAG_DIGITS = 5;

const KEY_PATTERN = /^[0-9A-Za-z]*[1-9A-Za-z]$/;

/** A well-formed order key (non-empty, base-62 digits, no trailing zero). */
export function isOrderKey(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 1024 && KEY_PATTERN.test(value);
}

function digit(char: string | undefined): number {
  if (char === undefined) return 0;
  const value = DIGITS.indexOf(char);
  if (value < 0) throw new RangeError(`not an order key digit: "${char}"`);
  return value;
}

/**
 * The tag a replica appends to its keys, from its Yjs client id (a random 32-bit number): five
 * base-62 digits, the last one never `0`, so a tagged key never ends in `0`.
 */
export function replicaTag(clientId: number): string {
  let n = Math.abs(Math.floor(clientId)) % BASE ** TAG_DIGITS;
  let tag = '';
  for (let i = 0; i < TAG_DIGITS; i++) {
    tag = DIGITS[n % BASE] + tag;
    n = Math.floor(n / BASE);
  }
  return tag.endsWith('0') ? tag.slice(0, -1) + '1' : tag;
}

/**
 * A fraction strictly between `a` (`''` = 0) and `b` (`null` = 1), with no trailing zero and never
 * a prefix of `b`: so anything appended to it stays below `b`.
 */
function midpoint(a: string, b: string | null): string {
  if (b !== null) {
    let n = 0;
    while (n < b.length && (a[n] ?? '0') === b[n]) n++;
    if (n > 0) return b.slice(0, n) + midpoint(a.slice(n), b.slice(n));
  }
  const low = digit(a[0]);
  const high = b === null ? BASE : digit(b[0]);
  if (high - low > 1) {
    if (a === '' && b === null) return DIGITS[BASE / 2];
    // At the ends, small steps keep keys short when people keep adding at the top or bottom
    // (halving would add a digit every six keys); between two keys, halving leaves most room.
    if (b === null) return DIGITS[low + 1];
    if (a === '') return DIGITS[high - 1];
    return DIGITS[Math.round((low + high) / 2)];
  }
  // Adjacent first digits: keep a's digit and go deeper, below the next digit of b.
  return DIGITS[low] + midpoint(a.slice(1), null);
}

/**
 * A key that sorts after `before` and before `after` (either may be null: the start or the end),
 * tagged with the replica's tag. Equal or inverted bounds (a tie left by concurrent edits) give a
 * key just after `before`, which is the nearest place that exists.
 */
export function keyBetween(before: string | null, after: string | null, tag: string): string {
  if (!isOrderKey(tag)) throw new RangeError(`not a replica tag: "${tag}"`);
  const low = before ?? '';
  const high = after !== null && after > low ? after : null;
  if (before !== null && !isOrderKey(before)) throw new RangeError(`not an order key: "${before}"`);
  if (high !== null && !isOrderKey(high)) throw new RangeError(`not an order key: "${high}"`);
  return midpoint(low, high) + tag;
}

/** `count` keys in order after `before`, for filling a list at once (a new board's tasks, tests). */
export function keysAfter(before: string | null, count: number, tag: string): string[] {
  const keys: string[] = [];
  let last = before;
  for (let i = 0; i < count; i++) {
    last = keyBetween(last, null, tag);
    keys.push(last);
  }
  return keys;
}

/** Total order of placed things: by key, then by id (the same on every replica). */
export function compareOrder(a: { readonly order: string; readonly id: string }, b: { readonly order: string; readonly id: string }): number {
  if (a.order !== b.order) return a.order < b.order ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

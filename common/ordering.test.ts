import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareOrder, isOrderKey, keyBetween, keysAfter, replicaTag } from './ordering.ts';

const tagA = replicaTag(123456789);
const tagB = replicaTag(987654321);

describe('order keys', () => {
  it('a key between two keys sorts strictly between them, as plain strings', () => {
    const first = keyBetween(null, null, tagA);
    const last = keyBetween(first, null, tagA);
    const middle = keyBetween(first, last, tagA);
    expect(first < middle && middle < last).toBe(true);
    const top = keyBetween(null, first, tagA);
    expect(top < first).toBe(true);
    for (const key of [first, last, middle, top]) expect(isOrderKey(key)).toBe(true);
  });

  it('two replicas inserting at the same spot make different keys, both between the neighbours', () => {
    const [a, b] = keysAfter(null, 2, tagA);
    const fromA = keyBetween(a, b, tagA);
    const fromB = keyBetween(a, b, tagB);
    expect(fromA).not.toBe(fromB);
    for (const key of [fromA, fromB]) expect(a < key && key < b).toBe(true);
  });

  it('replica tags never end in zero, so tagged keys stay well-formed', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (id) => isOrderKey(replicaTag(id))));
    expect(replicaTag(0)).toMatch(/^[0-9A-Za-z]{5}$/);
  });

  it('any sequence of inserts at random places keeps every key distinct and in the intended order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 2 ** 32 - 1 })), { minLength: 1, maxLength: 200 }),
        (inserts) => {
          const list: string[] = [];
          for (const [at, client] of inserts) {
            const index = at % (list.length + 1);
            const key = keyBetween(list[index - 1] ?? null, list[index] ?? null, replicaTag(client));
            list.splice(index, 0, key);
          }
          const sorted = [...list].sort();
          expect(sorted).toEqual(list);
          expect(new Set(list).size).toBe(list.length);
          expect(list.every(isOrderKey)).toBe(true);
        },
      ),
    );
  });

  it('appending a thousand tasks one by one keeps keys short', () => {
    const keys = keysAfter(null, 1000, tagA);
    expect(Math.max(...keys.map((k) => k.length))).toBeLessThan(40);
    const prepended: string[] = [keys[0]];
    for (let i = 0; i < 1000; i++) prepended.unshift(keyBetween(null, prepended[0], tagA));
    expect(Math.max(...prepended.map((k) => k.length))).toBeLessThan(40);
  });

  it('equal bounds (a tie left by concurrent edits) give a key after them instead of failing', () => {
    const k = keyBetween(null, null, tagA);
    expect(keyBetween(k, k, tagB) > k).toBe(true);
  });

  it('rejects malformed keys and tags', () => {
    expect(() => keyBetween('a0', null, tagA)).toThrow(RangeError);
    expect(() => keyBetween(null, null, 'x!')).toThrow(RangeError);
    expect(isOrderKey('')).toBe(false);
    expect(isOrderKey('V0')).toBe(false);
  });

  it('compareOrder breaks ties between equal keys by id', () => {
    const items = [
      { id: 'b', order: 'V' },
      { id: 'a', order: 'V' },
      { id: 'c', order: 'A' },
    ];
    expect(items.sort(compareOrder).map((i) => i.id)).toEqual(['c', 'a', 'b']);
  });
});

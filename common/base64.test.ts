import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64, fromBase64Url, toBase64, toBase64Url, toHex } from './base64.ts';

describe('base64', () => {
  it('encodes as Node does, padded, and base64url without padding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
        expect(toBase64Url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
        expect(toHex(bytes)).toBe(Buffer.from(bytes).toString('hex'));
        expect(fromBase64(toBase64(bytes))).toEqual(bytes);
        expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
      }),
    );
  });

  it('refuses other alphabets, wrong padding and impossible lengths', () => {
    for (const bad of ['A', 'AB', 'AB=', 'A===', 'AB=C', 'ab-_', '$$$$']) expect(fromBase64(bad), bad).toBeNull();
    for (const bad of ['A', 'AB==', 'a+b/', 'ab c']) expect(fromBase64Url(bad), bad).toBeNull();
    expect(fromBase64('')).toEqual(new Uint8Array());
  });
});

import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalJsonBytes } from './canonical-json.ts';

describe('canonical JSON', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('gives the same text whatever order the keys were inserted in', () => {
    const one = { title: 'Kế hoạch', type: 'KH', summary: 'V/v chuyển đổi số' };
    const other = { summary: 'V/v chuyển đổi số', type: 'KH', title: 'Kế hoạch' };
    expect(canonicalJson(one)).toBe(canonicalJson(other));
  });

  it('sorts keys by UTF-16 code units, as RFC 8785 does', () => {
    expect(canonicalJson({ é: 1, z: 2, Z: 3, '\u{1F600}': 4, '\uFB01': 5 })).toBe('{"Z":3,"z":2,"é":1,"\u{1F600}":4,"ﬁ":5}');
  });

  it('writes strings and keys in NFC, so Vietnamese typed by different input methods is one text', () => {
    const composed = 'Hòa';
    const decomposed = 'Ho\u0300a';
    expect(decomposed).not.toBe(composed);
    expect(canonicalJson({ [decomposed]: decomposed })).toBe(canonicalJson({ [composed]: composed }));
  });

  it('leaves out undefined members and refuses numbers JSON cannot hold', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalJson(-0)).toBe('0');
    expect(canonicalJson(1e21)).toBe('1e+21');
    expect(() => canonicalJson(Number.NaN)).toThrow(RangeError);
    expect(() => canonicalJson({ a: Number.POSITIVE_INFINITY })).toThrow(RangeError);
  });

  it('refuses two keys that become one under NFC', () => {
    expect(() => canonicalJson({ 'Ho\u0300a': 1, Hòa: 2 })).toThrow(RangeError);
  });

  it('escapes what JSON must escape and encodes the text as UTF-8', () => {
    expect(canonicalJson('a"b\\c\n')).toBe('"a\\"b\\\\c\\n"');
    expect(Array.from(canonicalJsonBytes('Đ'))).toEqual([0x22, 0xc4, 0x90, 0x22]);
  });
});

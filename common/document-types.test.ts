import { describe, expect, it } from 'vitest';
import { DOCUMENT_TYPES, DOCUMENT_TYPE_CODES, isDocumentTypeCode } from './document-types.ts';

describe('Decree 30 document types', () => {
  it('has one entry per code, named by that code', () => {
    expect(new Set(DOCUMENT_TYPE_CODES).size).toBe(DOCUMENT_TYPE_CODES.length);
    expect(Object.keys(DOCUMENT_TYPES).sort()).toEqual([...DOCUMENT_TYPE_CODES].sort());
    for (const code of DOCUMENT_TYPE_CODES) expect(DOCUMENT_TYPES[code].code).toBe(code);
  });

  it('numbers công văn and thư công without a type abbreviation, every other type with its code', () => {
    for (const code of DOCUMENT_TYPE_CODES) {
      const expected = code === 'CV' || code === 'TCg' ? null : code;
      expect(DOCUMENT_TYPES[code].symbol, code).toBe(expected);
    }
    expect(DOCUMENT_TYPES.QĐ.name).toBe('Quyết định');
    expect(DOCUMENT_TYPES.TTr.name).toBe('Tờ trình');
  });

  it('keeps codes in NFC so that a code typed anywhere compares equal', () => {
    for (const code of DOCUMENT_TYPE_CODES) expect(code.normalize('NFC')).toBe(code);
    expect(isDocumentTypeCode('QĐ')).toBe(true);
    expect(isDocumentTypeCode('QD')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { dateLine, documentSymbol, formatDocumentNumber, isoDate, numberAndSymbol, placeOfAgency, unitAbbreviation, vietnamDate } from './numbering.ts';

describe('number and symbol (Decree 30)', () => {
  it('writes numbers below 10 with a leading zero and larger ones as they are', () => {
    expect(formatDocumentNumber(1)).toBe('01');
    expect(formatDocumentNumber(9)).toBe('09');
    expect(formatDocumentNumber(10)).toBe('10');
    expect(formatDocumentNumber(1234)).toBe('1234');
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => formatDocumentNumber(bad)).toThrow(RangeError);
  });

  it('a decision reads number/type-agency: 05/QĐ-STTTT', () => {
    const symbol = documentSymbol({ type: 'QĐ', agencyAbbreviation: 'STTTT', unitAbbreviation: 'BCVT' });
    expect(numberAndSymbol(5, symbol)).toBe('05/QĐ-STTTT');
    expect(numberAndSymbol(15, documentSymbol({ type: 'TTr', agencyAbbreviation: 'STTTT', unitAbbreviation: 'VP' }))).toBe('15/TTr-STTTT');
  });

  it('a công văn reads number/agency-unit: 05/STTTT-BCVT, and agency alone without a unit', () => {
    expect(numberAndSymbol(5, documentSymbol({ type: 'CV', agencyAbbreviation: 'STTTT', unitAbbreviation: 'BCVT' }))).toBe('05/STTTT-BCVT');
    expect(numberAndSymbol(1, documentSymbol({ type: 'CV', agencyAbbreviation: 'UBND', unitAbbreviation: '' }))).toBe('01/UBND');
  });
});

describe('unit abbreviations', () => {
  it('derives the demo units: Phòng Bưu chính - Viễn thông → BCVT, Văn phòng → VP', () => {
    expect(unitAbbreviation('Phòng Bưu chính - Viễn thông')).toBe('BCVT');
    expect(unitAbbreviation('Văn phòng')).toBe('VP');
    expect(unitAbbreviation('Phòng Kế hoạch - Tài chính')).toBe('KHTC');
    expect(unitAbbreviation('Ban Giám đốc')).toBe('GĐ');
    expect(unitAbbreviation('Phòng Ứng dụng  Ông nghệ')).toBe('UDON');
    expect(unitAbbreviation('')).toBe('');
  });

  it('takes a configured abbreviation over the derived one', () => {
    expect(unitAbbreviation('Phòng Bưu chính - Viễn thông', { 'Phòng Bưu chính - Viễn thông': 'BCVT-CNTT' })).toBe('BCVT-CNTT');
  });
});

describe('dates', () => {
  it('takes the date in Vietnam (UTC+7), so the year turns at midnight there', () => {
    expect(vietnamDate(new Date('2026-12-31T16:59:59.999Z'))).toEqual({ year: 2026, month: 12, day: 31 });
    expect(vietnamDate(new Date('2026-12-31T17:00:00.000Z'))).toEqual({ year: 2027, month: 1, day: 1 });
    expect(isoDate({ year: 2026, month: 1, day: 5 })).toBe('2026-01-05');
  });

  it('writes the place and date line as Decree 30 does, with zeros before days below 10 and months 1 and 2', () => {
    expect(dateLine('Ninh Bình', { year: 2026, month: 1, day: 5 })).toBe('Ninh Bình, ngày 05 tháng 01 năm 2026');
    expect(dateLine('Ninh Bình', { year: 2026, month: 2, day: 28 })).toBe('Ninh Bình, ngày 28 tháng 02 năm 2026');
    expect(dateLine('Ninh Bình', { year: 2026, month: 3, day: 15 })).toBe('Ninh Bình, ngày 15 tháng 3 năm 2026');
    expect(dateLine('Yên Hòa', { year: 2026, month: 12, day: 1 })).toBe('Yên Hòa, ngày 01 tháng 12 năm 2026');
  });

  it('finds the place of an agency in its name', () => {
    expect(placeOfAgency('Sở Thông tin và Truyền thông tỉnh Ninh Bình')).toBe('Ninh Bình');
    expect(placeOfAgency('Ủy ban nhân dân tỉnh Ninh Bình')).toBe('Ninh Bình');
    expect(placeOfAgency('Ủy ban nhân dân xã Yên Hòa')).toBe('Yên Hòa');
    expect(placeOfAgency('Ủy ban nhân dân thành phố Hà Nội')).toBe('Hà Nội');
    expect(placeOfAgency('Ủy ban nhân dân thị xã Tam Điệp')).toBe('Tam Điệp');
    expect(placeOfAgency('Bộ Nội vụ')).toBeNull();
  });
});

/**
 * The document types of Decree 30/2020/ND-CP (Art. 7, Appendix III; see DOMAIN.md), each with the
 * code the API and the Y.Doc use and the abbreviation that goes into the number and symbol
 * ("số, ký hiệu").
 */

/**
 * Codes of the document types. Two types have no abbreviation in the decree (công văn and thư
 * công); they still need a code to be named in the API, so they get `CV` and `TCg`, which can
 * never appear in a number and symbol.
 */
export const DOCUMENT_TYPE_CODES = [
  'NQ',
  'QĐ',
  'CT',
  'QC',
  'QyĐ',
  'TC',
  'TB',
  'HD',
  'CTr',
  'KH',
  'PA',
  'ĐA',
  'DA',
  'BC',
  'BB',
  'TTr',
  'HĐ',
  'CV',
  'CĐ',
  'BGN',
  'BTT',
  'GUQ',
  'GM',
  'GGT',
  'GNP',
  'PG',
  'PC',
  'PB',
  'SY',
  'TrS',
  'SL',
  'TCg',
] as const;

export type DocumentTypeCode = (typeof DOCUMENT_TYPE_CODES)[number];

export interface DocumentTypeInfo {
  readonly code: DocumentTypeCode;
  /** The Vietnamese name, as it is printed (in upper case) above the summary. */
  readonly name: string;
  /**
   * The abbreviation in the number and symbol (`15/QĐ-STTTT`), or null for the types numbered
   * without one: a công văn reads `05/STTTT-VP` (agency - drafting unit).
   */
  readonly symbol: string | null;
}

export const DOCUMENT_TYPES: Readonly<Record<DocumentTypeCode, DocumentTypeInfo>> = {
  NQ: { code: 'NQ', name: 'Nghị quyết', symbol: 'NQ' },
  QĐ: { code: 'QĐ', name: 'Quyết định', symbol: 'QĐ' },
  CT: { code: 'CT', name: 'Chỉ thị', symbol: 'CT' },
  QC: { code: 'QC', name: 'Quy chế', symbol: 'QC' },
  QyĐ: { code: 'QyĐ', name: 'Quy định', symbol: 'QyĐ' },
  TC: { code: 'TC', name: 'Thông cáo', symbol: 'TC' },
  TB: { code: 'TB', name: 'Thông báo', symbol: 'TB' },
  HD: { code: 'HD', name: 'Hướng dẫn', symbol: 'HD' },
  CTr: { code: 'CTr', name: 'Chương trình', symbol: 'CTr' },
  KH: { code: 'KH', name: 'Kế hoạch', symbol: 'KH' },
  PA: { code: 'PA', name: 'Phương án', symbol: 'PA' },
  ĐA: { code: 'ĐA', name: 'Đề án', symbol: 'ĐA' },
  DA: { code: 'DA', name: 'Dự án', symbol: 'DA' },
  BC: { code: 'BC', name: 'Báo cáo', symbol: 'BC' },
  BB: { code: 'BB', name: 'Biên bản', symbol: 'BB' },
  TTr: { code: 'TTr', name: 'Tờ trình', symbol: 'TTr' },
  HĐ: { code: 'HĐ', name: 'Hợp đồng', symbol: 'HĐ' },
  CV: { code: 'CV', name: 'Công văn', symbol: null },
  CĐ: { code: 'CĐ', name: 'Công điện', symbol: 'CĐ' },
  BGN: { code: 'BGN', name: 'Bản ghi nhớ', symbol: 'BGN' },
  BTT: { code: 'BTT', name: 'Bản thỏa thuận', symbol: 'BTT' },
  GUQ: { code: 'GUQ', name: 'Giấy ủy quyền', symbol: 'GUQ' },
  GM: { code: 'GM', name: 'Giấy mời', symbol: 'GM' },
  GGT: { code: 'GGT', name: 'Giấy giới thiệu', symbol: 'GGT' },
  GNP: { code: 'GNP', name: 'Giấy nghỉ phép', symbol: 'GNP' },
  PG: { code: 'PG', name: 'Phiếu gửi', symbol: 'PG' },
  PC: { code: 'PC', name: 'Phiếu chuyển', symbol: 'PC' },
  PB: { code: 'PB', name: 'Phiếu báo', symbol: 'PB' },
  SY: { code: 'SY', name: 'Bản sao y', symbol: 'SY' },
  TrS: { code: 'TrS', name: 'Bản trích sao', symbol: 'TrS' },
  SL: { code: 'SL', name: 'Bản sao lục', symbol: 'SL' },
  TCg: { code: 'TCg', name: 'Thư công', symbol: null },
};

export function isDocumentTypeCode(value: string): value is DocumentTypeCode {
  return (DOCUMENT_TYPE_CODES as readonly string[]).includes(value);
}

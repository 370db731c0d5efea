/**
 * The header of an official document as Decree 30/2020 lays it out (DOMAIN.md §1), as data: what
 * the page shows (Decree30Header.tsx) and what an exported file prints (documents/export) come
 * from this one function, so the two never disagree. The header is document content, so it is
 * always in Vietnamese, whatever the interface language.
 */
import type { Agency } from '../../common/api.ts';
import { DOCUMENT_TYPES, type DocumentTypeCode } from '../../common/document-types.ts';
import { vi } from '../i18n/vi.ts';

export interface Decree30HeaderInput {
  readonly type: DocumentTypeCode;
  readonly title: string;
  readonly agency: Agency | undefined;
  readonly parentAgency: Agency | undefined;
  readonly date: Date;
  /** Once issued: the number and the date line the server gave (common/api.ts DocumentIssue). */
  readonly issue?: { readonly numberText: string; readonly dateLine: string } | null;
}

export interface Decree30HeaderModel {
  /** The parent agency's name in upper case (top left, above the issuer), if any. */
  readonly parentAgency: string | null;
  /** The issuing agency's name in upper case, bold, with a short rule under it. */
  readonly issuingAgency: string;
  /** "Số: …/QĐ-STTTT": the number itself is assigned by the server at issue, never here. */
  readonly number: string;
  /** A công văn's summary under its number ("V/v …"); null for other types. */
  readonly summaryUnderNumber: string | null;
  readonly nationalTitle: string;
  readonly motto: string;
  /** "Ninh Bình, ngày 05 tháng 01 năm 2026", in italics. */
  readonly placeAndDate: string;
  /** The type's name in upper case, centred ("QUYẾT ĐỊNH"); null for a công văn. */
  readonly typeName: string | null;
  /** The summary (trích yếu) under the type name; null for a công văn. */
  readonly summary: string | null;
}

/** "Sở … tỉnh Ninh Bình" → "Ninh Bình"; falls back to the whole name. */
export function placeOf(agencyName: string): string {
  const match = /(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn)\s+(.+)$/iu.exec(agencyName);
  return match ? match[1] : agencyName;
}

const upper = (s: string): string => s.toLocaleUpperCase('vi');

export function decree30Header({ type, title, agency, parentAgency, date, issue }: Decree30HeaderInput): Decree30HeaderModel {
  const info = DOCUMENT_TYPES[type];
  const agencyAbbr = agency?.abbreviation ?? '';
  const symbol = info?.symbol ? `${info.symbol}-${agencyAbbr}` : `${agencyAbbr}-…`;
  const isCongVan = info?.symbol === null;
  const place = agency ? placeOf(agency.name) : '';
  return {
    parentAgency: parentAgency ? upper(parentAgency.name) : null,
    issuingAgency: agency ? upper(agency.name) : '',
    number: issue ? vi.decree.issuedNumber(issue.numberText) : vi.decree.number(symbol),
    summaryUnderNumber: isCongVan ? `${vi.decree.summaryPrefix} ${title}` : null,
    nationalTitle: vi.decree.nationalTitle,
    motto: vi.decree.motto,
    placeAndDate: issue ? issue.dateLine : place ? vi.date.placeAndDate(place, date) : vi.date.long(date),
    typeName: isCongVan ? null : info ? upper(info.name) : type,
    summary: isCongVan ? null : title,
  };
}

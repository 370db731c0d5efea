/**
 * Number and symbol ("số, ký hiệu") and the place-and-date line of Decree 30/2020 (DOMAIN.md §1):
 * `05/QĐ-STTTT` for every type with an abbreviation, `05/STTTT-BCVT` for a công văn (issuing
 * agency - drafting unit), numbers below 10 with a leading zero, one register per agency, register
 * and year, restarting on 1 January. The year and the date are Vietnamese civil dates (UTC+7, no
 * daylight saving), so a document issued at 23:30 on 31 December in Ninh Bình is numbered in the
 * old year whatever the server's time zone. Pure formatting: the number itself is assigned only by
 * the server's store, in one transaction, never offline.
 */
import { DOCUMENT_TYPES, type DocumentTypeCode } from './document-types.ts';

/** The register every agency has; classified documents or advisory bodies would use others. */
export const DEFAULT_REGISTER = 'main';

/** A register name: lower-case letters, digits and dashes. */
export const REGISTER_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;

/** Vietnam's offset from UTC, in milliseconds: UTC+7 all year. */
const VIETNAM_OFFSET_MS = 7 * 3600 * 1000;

export interface CivilDate {
  readonly year: number;
  /** 1-12 */
  readonly month: number;
  /** 1-31 */
  readonly day: number;
}

/** The date in Vietnam at this instant. */
export function vietnamDate(instant: Date): CivilDate {
  const shifted = new Date(instant.getTime() + VIETNAM_OFFSET_MS);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** `2026-01-05`. */
export function isoDate(date: CivilDate): string {
  return `${String(date.year).padStart(4, '0')}-${pad2(date.month)}-${pad2(date.day)}`;
}

/** The number as printed: at least two digits (`01` … `09`, `10`, `123`). */
export function formatDocumentNumber(number: number): string {
  if (!Number.isSafeInteger(number) || number < 1) throw new RangeError(`a document number is a positive integer, got ${number}`);
  return pad2(number);
}

export interface SymbolParts {
  readonly type: DocumentTypeCode;
  /** The issuing agency's abbreviation (`STTTT`). */
  readonly agencyAbbreviation: string;
  /** The drafting unit's abbreviation (`BCVT`), used by types without an abbreviation of their own. */
  readonly unitAbbreviation: string;
}

/**
 * The symbol after the slash: `QĐ-STTTT`, or for a công văn (and a thư công) `STTTT-BCVT`, which
 * becomes `STTTT` alone when the drafting unit has no abbreviation.
 */
export function documentSymbol(parts: SymbolParts): string {
  const typeSymbol = DOCUMENT_TYPES[parts.type].symbol;
  if (typeSymbol !== null) return `${typeSymbol}-${parts.agencyAbbreviation}`;
  return parts.unitAbbreviation === '' ? parts.agencyAbbreviation : `${parts.agencyAbbreviation}-${parts.unitAbbreviation}`;
}

/** `05/QĐ-STTTT`. */
export function numberAndSymbol(number: number, symbol: string): string {
  return `${formatDocumentNumber(number)}/${symbol}`;
}

/** Words that name the kind of a unit rather than the unit: left out of its abbreviation. */
const UNIT_KIND_PREFIXES = ['Phòng', 'Ban', 'Trung tâm', 'Chi cục', 'Bộ phận', 'Tổ', 'Đội'];

/**
 * The abbreviation of a drafting unit: the configured one if there is one, otherwise the initials
 * of its name without the word for its kind and without tone marks, keeping Đ: "Phòng Bưu chính -
 * Viễn thông" → BCVT, "Văn phòng" → VP, "Phòng Kế hoạch - Tài chính" → KHTC, "Ban Giám đốc" → GĐ.
 * Agencies that abbreviate differently set `overrides` (unit name → abbreviation).
 */
export function unitAbbreviation(unit: string, overrides: Readonly<Record<string, string>> = {}): string {
  const name = unit.normalize('NFC').trim().replace(/\s+/g, ' ');
  const configured = overrides[name];
  if (configured !== undefined) return configured;
  let rest = name;
  for (const prefix of UNIT_KIND_PREFIXES) {
    if (rest.startsWith(`${prefix} `) && rest.length > prefix.length + 1) {
      rest = rest.slice(prefix.length + 1);
      break;
    }
  }
  let initials = '';
  for (const word of rest.split(/[\s\-–—,]+/)) {
    if (word === '') continue;
    initials += baseLetter(word[0]);
  }
  return initials;
}

/** The letter without its tone and vowel marks, upper case; Đ stays Đ (it is a letter of its own). */
function baseLetter(letter: string): string {
  const upper = letter.toLocaleUpperCase('vi');
  if (upper === 'Đ') return 'Đ';
  return upper.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

const ADMINISTRATIVE_UNITS = ['thành phố', 'tỉnh', 'thị xã', 'thị trấn', 'huyện', 'quận', 'xã', 'phường', 'đặc khu'];

/**
 * The place name of the date line, from the agency's name: what follows its last administrative
 * unit word ("Sở Thông tin và Truyền thông tỉnh Ninh Bình" → "Ninh Bình", "Ủy ban nhân dân xã Yên
 * Hòa" → "Yên Hòa"); null when the name holds none, and the place must then be configured.
 */
export function placeOfAgency(agencyName: string): string | null {
  const name = agencyName.normalize('NFC').trim().replace(/\s+/g, ' ');
  const lower = name.toLocaleLowerCase('vi');
  let best: { at: number; length: number } | null = null;
  for (const unit of ADMINISTRATIVE_UNITS) {
    const pattern = new RegExp(`(^|\\s)${unit}\\s`, 'g');
    for (const match of lower.matchAll(pattern)) {
      const at = (match.index ?? 0) + match[1].length;
      if (best === null || at > best.at || (at === best.at && unit.length > best.length)) best = { at, length: unit.length };
    }
  }
  if (best === null) return null;
  const place = name.slice(best.at + best.length).trim();
  return place === '' ? null : place;
}

/**
 * `Ninh Bình, ngày 05 tháng 01 năm 2026`. Decree 30 (Appendix I) writes days below 10 and the
 * months 1 and 2 with a leading zero, and the other months without one: `ngày 15 tháng 3 năm 2026`.
 */
export function dateLine(place: string, date: CivilDate): string {
  const month = date.month <= 2 ? pad2(date.month) : String(date.month);
  return `${place}, ngày ${pad2(date.day)} tháng ${month} năm ${date.year}`;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

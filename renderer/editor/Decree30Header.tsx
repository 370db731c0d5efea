/**
 * The header of an official document as Decree 30/2020 lays it out (DOMAIN.md §1): parent and
 * issuing agency top left (upper case, the issuing one bold with a short rule), the number and
 * symbol under it; Quốc hiệu and Tiêu ngữ top right with the place and date in italics; the type
 * name and the summary (trích yếu) centred. A công văn has no type line: its summary "V/v …"
 * goes under its number.
 */
import type { Agency } from '../../common/api.ts';
import { DOCUMENT_TYPES, type DocumentTypeCode } from '../../common/document-types.ts';
import { useT } from '../i18n/i18n.tsx';
import { vi } from '../i18n/vi.ts';

export interface Decree30HeaderProps {
  readonly type: DocumentTypeCode;
  readonly title: string;
  readonly agency: Agency | undefined;
  readonly parentAgency: Agency | undefined;
  readonly date: Date;
}

/** "Sở … tỉnh Ninh Bình" → "Ninh Bình"; falls back to the whole name. */
export function placeOf(agencyName: string): string {
  const match = /(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn)\s+(.+)$/iu.exec(agencyName);
  return match ? match[1] : agencyName;
}

const upper = (s: string): string => s.toLocaleUpperCase('vi');

export function Decree30Header({ type, title, agency, parentAgency, date }: Decree30HeaderProps) {
  const t = useT();
  const info = DOCUMENT_TYPES[type];
  const agencyAbbr = agency?.abbreviation ?? '';
  const symbol = info?.symbol ? `${info.symbol}-${agencyAbbr}` : `${agencyAbbr}-…`;
  const isCongVan = info?.symbol === null;
  const place = agency ? placeOf(agency.name) : '';
  return (
    <header className="decree-header" aria-label={t.decree.header}>
      <div className="decree-top">
        <div className="decree-agency">
          {parentAgency && <p className="decree-parent">{upper(parentAgency.name)}</p>}
          <p className="decree-issuer">{agency ? upper(agency.name) : ''}</p>
          <span className="decree-rule decree-rule-short" aria-hidden="true" />
          <p className="decree-number">{t.decree.number(symbol)}</p>
          {isCongVan && (
            <p className="decree-vv">
              {t.decree.summaryPrefix} {title}
            </p>
          )}
        </div>
        <div className="decree-nation">
          <p className="decree-national-title">{t.decree.nationalTitle}</p>
          <p className="decree-motto">{t.decree.motto}</p>
          <span className="decree-rule decree-rule-long" aria-hidden="true" />
          <p className="decree-place-date">{place ? vi.date.placeAndDate(place, date) : vi.date.long(date)}</p>
        </div>
      </div>
      {!isCongVan && (
        <div className="decree-title">
          <p className="decree-type">{info ? upper(info.name) : type}</p>
          <p className="decree-summary">{title}</p>
          <span className="decree-rule decree-rule-title" aria-hidden="true" />
        </div>
      )}
    </header>
  );
}

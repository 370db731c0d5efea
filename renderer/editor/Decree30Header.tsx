/**
 * The Decree 30/2020 header on the page (editor/decree30.ts computes it): parent and issuing
 * agency top left (upper case, the issuing one bold with a short rule), the number and symbol
 * under it; Quốc hiệu and Tiêu ngữ top right with the place and date in italics; the type name
 * and the summary (trích yếu) centred. A công văn has no type line: its summary "V/v …" goes
 * under its number.
 */
import { useT } from '../i18n/i18n.tsx';
import { decree30Header, type Decree30HeaderInput } from './decree30.ts';

export { placeOf } from './decree30.ts';
export type Decree30HeaderProps = Decree30HeaderInput;

export function Decree30Header(props: Decree30HeaderProps) {
  const t = useT();
  const header = decree30Header(props);
  return (
    <header className="decree-header" aria-label={t.decree.header}>
      <div className="decree-top">
        <div className="decree-agency">
          {header.parentAgency && <p className="decree-parent">{header.parentAgency}</p>}
          <p className="decree-issuer">{header.issuingAgency}</p>
          <span className="decree-rule decree-rule-short" aria-hidden="true" />
          <p className="decree-number">{header.number}</p>
          {header.summaryUnderNumber && <p className="decree-vv">{header.summaryUnderNumber}</p>}
        </div>
        <div className="decree-nation">
          <p className="decree-national-title">{header.nationalTitle}</p>
          <p className="decree-motto">{header.motto}</p>
          <span className="decree-rule decree-rule-long" aria-hidden="true" />
          <p className="decree-place-date">{header.placeAndDate}</p>
        </div>
      </div>
      {header.typeName && (
        <div className="decree-title">
          <p className="decree-type">{header.typeName}</p>
          <p className="decree-summary">{header.summary}</p>
          <span className="decree-rule decree-rule-title" aria-hidden="true" />
        </div>
      )}
    </header>
  );
}

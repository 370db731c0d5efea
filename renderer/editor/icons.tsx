/** Toolbar icons, inline SVG (20 × 20, currentColor), so they work offline and scale crisply. */
export type IconName =
  | 'bold'
  | 'italic'
  | 'underline'
  | 'bullets'
  | 'numbers'
  | 'alignLeft'
  | 'alignCenter'
  | 'alignRight'
  | 'alignJustify'
  | 'indent'
  | 'outdent'
  | 'table'
  | 'undo'
  | 'redo';

const PATHS: Readonly<Record<IconName, string>> = {
  bold: 'M6 4h5a3.5 3.5 0 0 1 0 7H6zM6 11h6a3.5 3.5 0 0 1 0 7H6z',
  italic: 'M9 4h7M4 16h7M12.5 4l-5 12',
  underline: 'M6 3v6a4 4 0 0 0 8 0V3M4 17h12',
  bullets: 'M8 5h9M8 10h9M8 15h9M3.5 5h.01M3.5 10h.01M3.5 15h.01',
  numbers: 'M8 5h9M8 10h9M8 15h9M3 4l1-1v4M3 9.5c.5-.7 2-.7 2 .3 0 .8-2 1.6-2 2.7h2M3 14h2l-1 1.2c1 0 1 2-.2 2H3',
  alignLeft: 'M3 4h14M3 8h9M3 12h14M3 16h9',
  alignCenter: 'M3 4h14M5.5 8h9M3 12h14M5.5 16h9',
  alignRight: 'M3 4h14M8 8h9M3 12h14M8 16h9',
  alignJustify: 'M3 4h14M3 8h14M3 12h14M3 16h14',
  indent: 'M9 5h8M9 10h8M9 15h8M3 7l3 3-3 3',
  outdent: 'M9 5h8M9 10h8M9 15h8M6 7l-3 3 3 3',
  table: 'M3 4h14v12H3zM3 8h14M3 12h14M8 4v12M12.5 4v12',
  undo: 'M7 5L3 9l4 4M3 9h9a5 5 0 0 1 0 10h-2',
  redo: 'M13 5l4 4-4 4M17 9H8a5 5 0 0 0 0 10h2',
};

export function Icon({ name }: { readonly name: IconName }) {
  return (
    <svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

/**
 * "Xuất tệp": the document as one self-contained HTML file in the Decree 30 layout. The Decree 30
 * header (editor/decree30.ts) is written as a two-column table so that Word and LibreOffice,
 * where officials often finish a document, keep its layout; the body is the editor's own HTML
 * export. Times New Roman 14 pt, A4 with the decree's margins (20/15/20/30 mm) through `@page`,
 * so printing from a browser gives the official page; on screen it shows as a sheet.
 *
 * The file carries no script and no external resource: it opens the same anywhere, offline.
 */
import type { Decree30HeaderModel } from '../../editor/decree30.ts';

export interface DocumentHtmlInput {
  readonly title: string;
  readonly header: Decree30HeaderModel;
  /** The body as HTML, from Lexical's `$generateHtmlFromNodes` (its text is already escaped). */
  readonly bodyHtml: string;
  /** The document's language, for hyphenation and screen readers. */
  readonly lang?: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const STYLE = `
@page { size: A4; margin: 20mm 15mm 20mm 30mm; }
html { background: #e9ecf1; }
body { margin: 0; font-family: 'Times New Roman', Tinos, 'Liberation Serif', Times, serif; font-size: 14pt; line-height: 1.3; color: #000; }
.sheet { box-sizing: border-box; width: 210mm; min-height: 297mm; margin: 10mm auto; padding: 20mm 15mm 20mm 30mm; background: #fff; box-shadow: 0 2px 8px rgba(16, 24, 40, 0.15); }
.decree-top { width: 100%; border-collapse: collapse; table-layout: fixed; }
.decree-top td { vertical-align: top; text-align: center; padding: 0; }
.decree-top p { margin: 0; }
.decree-agency { width: 44%; }
.decree-nation { width: 56%; }
.decree-parent, .decree-issuer, .decree-national-title { font-size: 12pt; text-transform: uppercase; }
.decree-issuer, .decree-national-title, .decree-motto, .decree-type, .decree-summary { font-weight: bold; }
.decree-national-title { white-space: nowrap; }
.decree-motto { font-size: 13pt; }
.decree-number { font-size: 13pt; }
.decree-vv { font-size: 12.5pt; margin-top: 4pt !important; }
.decree-place-date { font-size: 13.5pt; font-style: italic; }
.rule { height: 0; border: 0; border-top: 1px solid #000; margin: 2px auto 6pt; }
.rule-short { width: 35%; }
.rule-long { width: 62%; }
.rule-title { width: 25%; margin-top: 4pt; }
.decree-title { text-align: center; margin: 18pt 0 12pt; }
.decree-title p { margin: 0; }
.decree-type { font-size: 14pt; text-transform: uppercase; }
.body { margin-top: 12pt; }
.body p { margin: 0 0 6pt; text-align: justify; text-indent: 1cm; }
.body p[style*='text-align'] { text-indent: 0; }
.body h1, .body h2, .body h3 { font-size: 14pt; font-weight: bold; margin: 12pt 0 6pt; }
.body h1 { font-size: 15pt; text-align: center; text-transform: uppercase; }
.body h3 { font-style: italic; }
.body ul, .body ol { margin: 0 0 6pt; padding-left: 1.5cm; }
.body li { margin: 0 0 3pt; text-align: justify; }
.body table { border-collapse: collapse; width: 100%; margin: 6pt 0; }
.body td, .body th { border: 1px solid #000; padding: 3pt 5pt; vertical-align: top; }
.body td p, .body th p { text-indent: 0; margin: 0; }
.body th { font-weight: bold; background: #f2f2f2; }
@media print {
  html { background: none; }
  .sheet { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; }
}
`.trim();

function headerHtml(header: Decree30HeaderModel): string {
  const p = (className: string, text: string | null) => (text === null ? '' : `<p class="${className}">${escapeHtml(text)}</p>`);
  const agency = [
    p('decree-parent', header.parentAgency),
    p('decree-issuer', header.issuingAgency),
    '<hr class="rule rule-short">',
    p('decree-number', header.number),
    p('decree-vv', header.summaryUnderNumber),
  ].join('');
  const nation = [
    p('decree-national-title', header.nationalTitle),
    p('decree-motto', header.motto),
    '<hr class="rule rule-long">',
    p('decree-place-date', header.placeAndDate),
  ].join('');
  const title =
    header.typeName === null
      ? ''
      : `<div class="decree-title">${p('decree-type', header.typeName)}${p('decree-summary', header.summary)}<hr class="rule rule-title"></div>`;
  return `<header><table class="decree-top" role="presentation"><tr><td class="decree-agency">${agency}</td><td class="decree-nation">${nation}</td></tr></table>${title}</header>`;
}

export function documentHtml(input: DocumentHtmlInput): string {
  return [
    '<!doctype html>',
    `<html lang="${escapeHtml(input.lang ?? 'vi')}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="Công vụ">',
    `<title>${escapeHtml(input.title)}</title>`,
    `<style>\n${STYLE}\n</style>`,
    '</head>',
    '<body>',
    `<article class="sheet">${headerHtml(input.header)}<div class="body">${input.bodyHtml}</div></article>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Characters no file system of Windows, macOS or Linux accepts in a name, and control characters. */
const FORBIDDEN = /[/\\:*?"<>|\u0000-\u001f\u007f]+/g;
const MAX_BASE_LENGTH = 150;

/**
 * A file name from the document's title: the title in NFC, without characters file systems
 * refuse, without trailing dots or spaces (Windows drops them), at most 150 characters, then the
 * extension. An empty result becomes `fallback`.
 */
export function exportFileName(title: string, extension: string, fallback: string): string {
  let base = title.normalize('NFC').replace(FORBIDDEN, ' ').replace(/\s+/g, ' ').trim();
  const chars = Array.from(base);
  if (chars.length > MAX_BASE_LENGTH) base = chars.slice(0, MAX_BASE_LENGTH).join('');
  base = base.replace(/[.\s]+$/, '').replace(/^[.\s]+/, '');
  return `${base || fallback}.${extension}`;
}

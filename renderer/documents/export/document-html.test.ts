import { describe, expect, it } from 'vitest';
import { FileName } from '../../../common/ipc.ts';
import { decree30Header } from '../../editor/decree30.ts';
import { documentHtml, escapeHtml, exportFileName } from './document-html.ts';

const STTTT = { id: 'stttt-ninhbinh', name: 'Sở Thông tin và Truyền thông tỉnh Ninh Bình', abbreviation: 'STTTT', parentId: 'ubnd-ninhbinh' };
const UBND = { id: 'ubnd-ninhbinh', name: 'Ủy ban nhân dân tỉnh Ninh Bình', abbreviation: 'UBND', parentId: null };
const DATE = new Date(2026, 0, 5, 9, 30);

describe('the Decree 30 header', () => {
  it('gives a quyết định its agencies, symbol, place and date, type line and summary', () => {
    expect(decree30Header({ type: 'QĐ', title: 'Về việc ban hành Quy chế', agency: STTTT, parentAgency: UBND, date: DATE })).toEqual({
      parentAgency: 'ỦY BAN NHÂN DÂN TỈNH NINH BÌNH',
      issuingAgency: 'SỞ THÔNG TIN VÀ TRUYỀN THÔNG TỈNH NINH BÌNH',
      number: 'Số: …/QĐ-STTTT',
      summaryUnderNumber: null,
      nationalTitle: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      motto: 'Độc lập - Tự do - Hạnh phúc',
      placeAndDate: 'Ninh Bình, ngày 05 tháng 01 năm 2026',
      typeName: 'QUYẾT ĐỊNH',
      summary: 'Về việc ban hành Quy chế',
    });
  });

  it('puts a công văn’s summary under its number and gives it no type line', () => {
    const header = decree30Header({ type: 'CV', title: 'Đôn đốc báo cáo', agency: STTTT, parentAgency: UBND, date: DATE });
    expect(header.number).toBe('Số: …/STTTT-…');
    expect(header.summaryUnderNumber).toBe('V/v Đôn đốc báo cáo');
    expect(header.typeName).toBeNull();
    expect(header.summary).toBeNull();
  });
});

describe('the exported HTML file', () => {
  const header = decree30Header({ type: 'KH', title: 'Chuyển đổi số <2026> & "số hóa"', agency: STTTT, parentAgency: UBND, date: DATE });
  const html = documentHtml({ title: 'Chuyển đổi số <2026> & "số hóa"', header, bodyHtml: '<p class="doc-p"><span>Nội dung</span></p>' });

  it('is a complete Vietnamese HTML page with the title escaped', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="vi">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<title>Chuyển đổi số &lt;2026&gt; &amp; &quot;số hóa&quot;</title>');
    expect(html).not.toContain('<2026>');
  });

  it('prints on A4 with the decree’s margins, in Times New Roman 14 pt', () => {
    expect(html).toContain('@page { size: A4; margin: 20mm 15mm 20mm 30mm; }');
    expect(html).toMatch(/body \{[^}]*font-family: 'Times New Roman'[^}]*font-size: 14pt/);
    expect(html).toContain('@media print');
  });

  it('lays the header out as a two-column table, then the type line, then the body as given', () => {
    expect(html).toContain('<table class="decree-top" role="presentation"><tr><td class="decree-agency"><p class="decree-parent">ỦY BAN NHÂN DÂN TỈNH NINH BÌNH</p>');
    expect(html).toContain('<p class="decree-place-date">Ninh Bình, ngày 05 tháng 01 năm 2026</p>');
    expect(html).toContain('<p class="decree-type">KẾ HOẠCH</p><p class="decree-summary">Chuyển đổi số &lt;2026&gt; &amp; &quot;số hóa&quot;</p>');
    expect(html).toContain('<div class="body"><p class="doc-p"><span>Nội dung</span></p></div>');
  });

  it('carries no script and loads nothing from elsewhere', () => {
    expect(html).not.toMatch(/<script|<link|src=|url\(/i);
  });

  it('escapes every character HTML gives meaning to', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

describe('the exported file’s name', () => {
  it('is the title with the extension, in NFC', () => {
    expect(exportFileName('Kế hoạch chuyển đổi số năm 2026'.normalize('NFD'), 'html', 'Văn bản')).toBe('Kế hoạch chuyển đổi số năm 2026.html');
  });

  it('drops characters file systems refuse and trailing dots, and is never empty', () => {
    expect(exportFileName('Báo cáo 01/2026: "quý I"?', 'html', 'Văn bản')).toBe('Báo cáo 01 2026 quý I.html');
    expect(exportFileName('Tờ trình...  ', 'html', 'Văn bản')).toBe('Tờ trình.html');
    expect(exportFileName(' /\\:*?<>| ', 'html', 'Văn bản')).toBe('Văn bản.html');
    expect(exportFileName('..', 'html', 'Văn bản')).toBe('Văn bản.html');
  });

  it('is short enough, and always a name the desktop save dialog accepts', () => {
    const long = exportFileName('Về việc '.repeat(60), 'html', 'Văn bản');
    expect(Array.from(long).length).toBeLessThanOrEqual(155);
    for (const title of ['Về việc '.repeat(60), 'a/b\\c', '\u0007bell', 'CON', '   ']) {
      expect(FileName.safeParse(exportFileName(title, 'html', 'Văn bản')).success).toBe(true);
    }
  });
});

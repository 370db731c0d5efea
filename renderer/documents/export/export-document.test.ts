import { describe, expect, it, vi } from 'vitest';
import { decree30Header } from '../../editor/decree30.ts';
import type { Platform } from '../../platform/platform.ts';
import { exportDocument } from './export-document.ts';

describe('exporting a document', () => {
  it('offers an HTML file named after the title, with the Decree 30 header and the body', async () => {
    const saveFile = vi.fn<Platform['saveFile']>(() => Promise.resolve({ ok: true, value: { saved: true, fileName: 'x.html', via: 'dialog' } }));
    const header = decree30Header({ type: 'TB', title: 'Lịch họp giao ban', agency: undefined, parentAgency: undefined, date: new Date(2026, 10, 27) });
    const result = await exportDocument({ saveFile }, { title: 'Lịch họp: tuần 48', header, bodyHtml: '<p>Họp lúc 8 giờ.</p>', fallbackName: 'Văn bản', filterName: 'Trang HTML' });
    expect(result.ok).toBe(true);
    const request = saveFile.mock.calls[0][0];
    expect(request.suggestedName).toBe('Lịch họp tuần 48.html');
    expect(request.mimeType).toBe('text/html;charset=utf-8');
    expect(request.filters).toEqual([{ name: 'Trang HTML', extensions: ['html', 'htm'] }]);
    expect(request.content).toContain('<p class="decree-type">THÔNG BÁO</p>');
    expect(request.content).toContain('ngày 27 tháng 11 năm 2026');
    expect(request.content).toContain('<p>Họp lúc 8 giờ.</p>');
  });
});

/**
 * Saves the open document as an HTML file (document-html.ts): through the desktop app's save
 * dialog, or as a download in a browser (renderer/platform). Works offline: everything comes from
 * this device.
 */
import type { Decree30HeaderModel } from '../../editor/decree30.ts';
import type { Platform, PlatformResult, SaveOutcome } from '../../platform/platform.ts';
import { documentHtml, exportFileName } from './document-html.ts';

export interface ExportRequest {
  readonly title: string;
  readonly header: Decree30HeaderModel;
  readonly bodyHtml: string;
  /** Used when the title gives no usable file name. */
  readonly fallbackName: string;
  /** The type list entry of the desktop save dialog, e.g. "Trang HTML". */
  readonly filterName: string;
}

export function exportDocument(platform: Pick<Platform, 'saveFile'>, request: ExportRequest): Promise<PlatformResult<SaveOutcome>> {
  return platform.saveFile({
    suggestedName: exportFileName(request.title, 'html', request.fallbackName),
    content: documentHtml({ title: request.title, header: request.header, bodyHtml: request.bodyHtml }),
    mimeType: 'text/html;charset=utf-8',
    filters: [{ name: request.filterName, extensions: ['html', 'htm'] }],
  });
}

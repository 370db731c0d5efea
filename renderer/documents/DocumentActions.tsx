/**
 * The document page's row of actions. Its own: "Chia sẻ" (for the owner; "Người có quyền",
 * read-only, for everyone else) and "Xuất tệp" (the document as an HTML file in the Decree 30
 * layout, through the desktop app's save dialog or as a download); other features add theirs as
 * children. What happened is said in a status region beside the buttons; a failure in an alert.
 */
import { useRef, useState, type ReactNode } from 'react';
import { useT } from '../i18n/i18n.tsx';
import { currentPlatform } from '../platform/platform.ts';
import type { LocalDocument } from '../store/db.ts';
import { decree30Header, type Decree30HeaderInput } from '../editor/decree30.ts';
import { exportDocument } from './export/export-document.ts';
import type { ExportHandle } from './export/ExportPlugin.tsx';
import { ShareDialog } from './sharing/ShareDialog.tsx';
import './document-actions.css';

type Outcome = { readonly kind: 'done' | 'error'; readonly text: string } | null;

export function DocumentActions({
  record,
  header,
  exportHandle,
  children,
}: {
  readonly record: LocalDocument;
  readonly header: Decree30HeaderInput;
  readonly exportHandle: ExportHandle;
  /** Other features' actions on the document, shown in the same row (e.g. "Tạo việc"). */
  readonly children?: ReactNode;
}) {
  const t = useT();
  const [sharing, setSharing] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const shareButton = useRef<HTMLButtonElement>(null);

  const exportFile = async () => {
    if (exporting) return;
    const bodyHtml = exportHandle.bodyHtml();
    if (bodyHtml === null) {
      setOutcome({ kind: 'error', text: t.exporting.notReady });
      return;
    }
    setExporting(true);
    setOutcome(null);
    const result = await exportDocument(currentPlatform(), {
      title: record.title,
      header: decree30Header(header),
      bodyHtml,
      fallbackName: t.documents.title,
      filterName: t.exporting.filterName,
    });
    setExporting(false);
    if (!result.ok) {
      setOutcome({ kind: 'error', text: result.code === 'io_failed' ? t.exporting.errors.io_failed : t.exporting.errors.other(result.code) });
    } else if (result.value.saved) {
      setOutcome({ kind: 'done', text: result.value.via === 'dialog' ? t.exporting.saved(result.value.fileName) : t.exporting.downloaded(result.value.fileName) });
    }
  };

  return (
    <div className="document-actions">
      <button ref={shareButton} type="button" className="button button-secondary button-small" onClick={() => setSharing(true)} aria-haspopup="dialog">
        <ShareIcon />
        {record.role === 'owner' ? t.sharing.button : t.sharing.viewButton}
      </button>
      <button
        type="button"
        className="button button-secondary button-small"
        onClick={() => void exportFile()}
        aria-disabled={exporting}
        aria-describedby="export-hint"
      >
        <ExportIcon />
        {exporting ? t.exporting.working : t.exporting.button}
      </button>
      {children}
      <span id="export-hint" className="visually-hidden">
        {t.exporting.hint}
      </span>
      <span className="action-status small" role="status">
        {outcome?.kind === 'done' ? outcome.text : ''}
      </span>
      {outcome?.kind === 'error' && (
        <span className="action-status small text-danger" role="alert">
          {outcome.text}
        </span>
      )}
      {sharing && (
        <ShareDialog
          record={record}
          onClose={() => {
            setSharing(false);
            shareButton.current?.focus();
          }}
        />
      )}
    </div>
  );
}

function ShareIcon() {
  return (
    <svg className="action-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <circle cx="7" cy="7" r="3" fill="none" stroke="currentColor" strokeWidth="1.8" />
      <path d="M2 17c0-3 2.2-5 5-5s5 2 5 5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
      <path d="M15 6v6M12 9h6" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
    </svg>
  );
}

function ExportIcon() {
  return (
    <svg className="action-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path d="M10 3v9M6 8l4 4 4-4" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
      <path d="M4 14v2.5h12V14" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

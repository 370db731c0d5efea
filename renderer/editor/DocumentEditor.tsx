/**
 * The document editor: Lexical bound to the document's Y.Doc through @lexical/yjs.
 *
 * Binding: CollaborationPlugin V1 (XmlText `root`), chosen once (docs/client.md): it is the
 * maintained path with remote cursors, awareness and the Yjs UndoManager built in, its effects are
 * StrictMode-idempotent in 0.52, and the pitfalls it has (#4999 late binding, #9107 bootstrap,
 * #6640 StrictMode disconnect) are handled by our provider (sync/doc-session.ts): it loads the
 * local state inside connect(), the content is seeded once by an idempotent update, never
 * bootstrapped (`shouldBootstrap={false}`), and its disconnect() is a no-op. No HistoryPlugin:
 * undo is the UndoManager, which tracks only this editor's own transactions.
 */
import { LexicalCollaboration } from '@lexical/react/LexicalCollaborationContext';
import { CollaborationPlugin } from '@lexical/react/LexicalCollaborationPlugin';
import { LexicalComposer, type InitialConfigType } from '@lexical/react/LexicalComposer';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { ContentEditable } from '@lexical/react/LexicalContentEditable';
import { LexicalErrorBoundary } from '@lexical/react/LexicalErrorBoundary';
import { ListPlugin } from '@lexical/react/LexicalListPlugin';
import { RichTextPlugin } from '@lexical/react/LexicalRichTextPlugin';
import { TablePlugin } from '@lexical/react/LexicalTablePlugin';
import { useEffect, useRef, type ReactNode } from 'react';
import { useT } from '../i18n/i18n.tsx';
import { DOCUMENT_NODES, DOCUMENT_THEME } from './nodes.ts';
import type { SessionSlot } from './session-slot.ts';
import { CompositionHoldPlugin } from './CompositionHoldPlugin.tsx';
import { installCleanSubtreeSkip } from './binding-clean-subtrees.ts';
import { DocumentEdgesPlugin } from './DocumentEdgesPlugin.tsx';
import { syncCursorPositionsInFrame } from './frame-cursors.ts';
import { ToolbarPlugin } from './ToolbarPlugin.tsx';

// Local edits reach Yjs in time proportional to what changed (binding-clean-subtrees.ts).
installCleanSubtreeSkip();

export interface DocumentEditorProps {
  readonly slot: SessionSlot;
  readonly readOnly: boolean;
  /** The local state is in the Y.Doc: until then keystrokes would go nowhere, so none are taken. */
  readonly loaded: boolean;
  readonly userName: string;
  readonly color: string;
  /** The Decree 30 header, rendered on the page above the body. */
  readonly header: ReactNode;
  /** Rendered after the editor (e.g. presence), inside the composer. */
  readonly children?: ReactNode;
}

export function DocumentEditor({ slot, readOnly, loaded, userName, color, header, children }: DocumentEditorProps) {
  const t = useT();
  const cursorsRef = useRef<HTMLDivElement>(null);
  const initialConfig: InitialConfigType = {
    namespace: 'congvu-document',
    nodes: [...DOCUMENT_NODES],
    theme: DOCUMENT_THEME,
    editable: false,
    // Collaboration: the content comes from the Y.Doc, never from an initial editor state.
    editorState: null,
    onError: (error) => console.error(error),
  };

  return (
    <LexicalCollaboration>
      <LexicalComposer initialConfig={initialConfig}>
        {!readOnly && <ToolbarPlugin />}
        <div className="paper-scroll">
          <article className="a4">
            {header}
            <div className="editor-body" ref={cursorsRef}>
              <RichTextPlugin
                contentEditable={
                  <ContentEditable
                    className="editor-content"
                    aria-label={t.editor.content}
                    aria-multiline
                    spellCheck={false}
                    tabIndex={0}
                  />
                }
                ErrorBoundary={LexicalErrorBoundary}
              />
            </div>
          </article>
        </div>
        <ListPlugin />
        <TablePlugin />
        <EditablePlugin editable={loaded && !readOnly} />
        <CompositionHoldPlugin slot={slot} />
        <DocumentEdgesPlugin />
        <CollaborationPlugin
          id={slot.docId}
          providerFactory={slot.factory}
          shouldBootstrap={false}
          username={userName}
          cursorColor={color}
          cursorsContainerRef={cursorsRef}
          syncCursorPositionsFn={syncCursorPositionsInFrame}
        />
        {children}
      </LexicalComposer>
    </LexicalCollaboration>
  );
}

/**
 * Keeps the editor's editable flag in step with the role (a viewer's role can change live) and
 * with loading: the editor takes no input before the document's local state is in it.
 */
function EditablePlugin({ editable }: { readonly editable: boolean }) {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    editor.setEditable(editable);
  }, [editor, editable]);
  return null;
}

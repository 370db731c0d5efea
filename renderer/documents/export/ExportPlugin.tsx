/**
 * Gives the document page the editor's content as HTML, for "Xuất tệp", without the page
 * reaching into Lexical: a plugin inside the composer attaches a reader to a handle the page
 * holds. The HTML is Lexical's own export of the current state (escaped text, the theme's classes,
 * alignment as inline styles).
 */
import { $generateHtmlFromNodes } from '@lexical/html';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { useEffect } from 'react';

export class ExportHandle {
  private reader: (() => string) | null = null;

  attach(reader: () => string): () => void {
    this.reader = reader;
    return () => {
      if (this.reader === reader) this.reader = null;
    };
  }

  /** The body as HTML, or null while no editor is mounted. */
  bodyHtml(): string | null {
    return this.reader ? this.reader() : null;
  }
}

export function ExportPlugin({ handle }: { readonly handle: ExportHandle }) {
  const [editor] = useLexicalComposerContext();
  useEffect(() => handle.attach(() => editor.read(() => $generateHtmlFromNodes(editor, null))), [editor, handle]);
  return null;
}

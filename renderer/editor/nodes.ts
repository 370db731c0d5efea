/** The node types a document may contain, and the CSS classes Lexical gives them. */
import { ListItemNode, ListNode } from '@lexical/list';
import { HeadingNode, QuoteNode } from '@lexical/rich-text';
import { TableCellNode, TableNode, TableRowNode } from '@lexical/table';
import type { EditorThemeClasses, Klass, LexicalNode } from 'lexical';

export const DOCUMENT_NODES: readonly Klass<LexicalNode>[] = [
  HeadingNode,
  QuoteNode,
  ListNode,
  ListItemNode,
  TableNode,
  TableRowNode,
  TableCellNode,
];

export const DOCUMENT_THEME: EditorThemeClasses = {
  paragraph: 'doc-p',
  heading: { h1: 'doc-h1', h2: 'doc-h2', h3: 'doc-h3' },
  quote: 'doc-quote',
  list: {
    ul: 'doc-ul',
    ol: 'doc-ol',
    listitem: 'doc-li',
    nested: { listitem: 'doc-li-nested' },
  },
  text: { bold: 'doc-bold', italic: 'doc-italic', underline: 'doc-underline' },
  table: 'doc-table',
  tableRow: 'doc-tr',
  tableCell: 'doc-td',
  tableCellHeader: 'doc-th',
  tableSelection: 'doc-table-selection',
  indent: 'doc-indent',
};

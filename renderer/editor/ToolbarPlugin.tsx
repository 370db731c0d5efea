/**
 * The formatting toolbar: block type, bold/italic/underline, lists, alignment, indentation,
 * table, undo/redo (the Yjs UndoManager of the collaboration plugin: only this user's edits).
 * One tab stop (role="toolbar", arrow keys move between controls), every control named.
 */
import { INSERT_ORDERED_LIST_COMMAND, INSERT_UNORDERED_LIST_COMMAND, $isListNode, ListNode } from '@lexical/list';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $createHeadingNode, $isHeadingNode, type HeadingTagType } from '@lexical/rich-text';
import { $setBlocksType } from '@lexical/selection';
import { INSERT_TABLE_COMMAND } from '@lexical/table';
import { $getNearestNodeOfType, mergeRegister } from '@lexical/utils';
import {
  $createParagraphNode,
  $getSelection,
  $isElementNode,
  $isRangeSelection,
  $isRootOrShadowRoot,
  CAN_REDO_COMMAND,
  CAN_UNDO_COMMAND,
  COMMAND_PRIORITY_LOW,
  FORMAT_ELEMENT_COMMAND,
  FORMAT_TEXT_COMMAND,
  INDENT_CONTENT_COMMAND,
  OUTDENT_CONTENT_COMMAND,
  REDO_COMMAND,
  SELECTION_CHANGE_COMMAND,
  UNDO_COMMAND,
  type ElementFormatType,
} from 'lexical';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useT } from '../i18n/i18n.tsx';
import { Icon, type IconName } from './icons.tsx';

type BlockType = 'paragraph' | HeadingTagType | 'bullet' | 'number';

interface ToolbarState {
  readonly block: BlockType;
  readonly bold: boolean;
  readonly italic: boolean;
  readonly underline: boolean;
  readonly align: ElementFormatType;
}

const INITIAL: ToolbarState = { block: 'paragraph', bold: false, italic: false, underline: false, align: 'left' };
const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const MOD = IS_MAC ? '⌘' : 'Ctrl';

export function ToolbarPlugin() {
  const t = useT();
  const [editor] = useLexicalComposerContext();
  const [state, setState] = useState<ToolbarState>(INITIAL);
  const shown = useRef<ToolbarState>(INITIAL);
  const [canUndo, setCanUndo] = useState(false);
  const [canRedo, setCanRedo] = useState(false);
  const toolbarRef = useRef<HTMLDivElement>(null);

  const readState = useCallback(() => {
    const selection = $getSelection();
    if (!$isRangeSelection(selection)) return;
    const anchor = selection.anchor.getNode();
    let element = anchor.getKey() === 'root' ? anchor : anchor.getTopLevelElement();
    if (element === null || $isRootOrShadowRoot(element)) element = anchor;
    let block: BlockType = 'paragraph';
    if ($isListNode(element)) {
      const list = $getNearestNodeOfType(anchor, ListNode);
      block = (list ?? element).getListType() === 'number' ? 'number' : 'bullet';
    } else if ($isHeadingNode(element)) block = element.getTag();
    const formatElement = $isElementNode(anchor) ? anchor : anchor.getParent();
    const next: ToolbarState = {
      block,
      bold: selection.hasFormat('bold'),
      italic: selection.hasFormat('italic'),
      underline: selection.hasFormat('underline'),
      align: (formatElement && $isElementNode(formatElement) ? formatElement.getFormatType() : '') || 'left',
    };
    // Read after every editor update (each keystroke, each remote change): only a real change
    // may re-render, since a React commit with the editor focused walks its DOM to the caret
    // (documents/session-view.tsx).
    const last = shown.current;
    if (last.block === next.block && last.bold === next.bold && last.italic === next.italic && last.underline === next.underline && last.align === next.align) return;
    shown.current = next;
    setState(next);
  }, []);

  useEffect(
    () =>
      mergeRegister(
        editor.registerUpdateListener(({ editorState }) => editorState.read(readState)),
        editor.registerCommand(
          SELECTION_CHANGE_COMMAND,
          () => {
            readState();
            return false;
          },
          COMMAND_PRIORITY_LOW,
        ),
        editor.registerCommand(
          CAN_UNDO_COMMAND,
          (payload) => {
            setCanUndo(payload);
            return false;
          },
          COMMAND_PRIORITY_LOW,
        ),
        editor.registerCommand(
          CAN_REDO_COMMAND,
          (payload) => {
            setCanRedo(payload);
            return false;
          },
          COMMAND_PRIORITY_LOW,
        ),
      ),
    [editor, readState],
  );

  const setBlock = (block: BlockType) => {
    if (block === 'bullet') {
      editor.dispatchCommand(INSERT_UNORDERED_LIST_COMMAND, undefined);
      return;
    }
    if (block === 'number') {
      editor.dispatchCommand(INSERT_ORDERED_LIST_COMMAND, undefined);
      return;
    }
    editor.update(() => {
      const selection = $getSelection();
      if (!$isRangeSelection(selection)) return;
      $setBlocksType(selection, () => (block === 'paragraph' ? $createParagraphNode() : $createHeadingNode(block)));
    });
  };

  // Roving focus: one tab stop for the whole toolbar.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) return;
    if (event.target instanceof HTMLSelectElement) return;
    const items = [...(toolbarRef.current?.querySelectorAll<HTMLElement>('[data-toolbar-item]') ?? [])].filter(
      (el) => !el.hasAttribute('disabled'),
    );
    const index = items.indexOf(document.activeElement as HTMLElement);
    if (index < 0) return;
    event.preventDefault();
    const next =
      event.key === 'Home' ? 0 : event.key === 'End' ? items.length - 1 : (index + (event.key === 'ArrowRight' ? 1 : -1) + items.length) % items.length;
    for (const item of items) item.tabIndex = -1;
    items[next].tabIndex = 0;
    items[next].focus();
  };

  const toggle = (format: 'bold' | 'italic' | 'underline') => editor.dispatchCommand(FORMAT_TEXT_COMMAND, format);
  const align = (format: ElementFormatType) => editor.dispatchCommand(FORMAT_ELEMENT_COMMAND, format);

  return (
    <div ref={toolbarRef} className="toolbar" role="toolbar" aria-label={t.editor.toolbar} onKeyDown={onKeyDown}>
      <label htmlFor="block-type" className="visually-hidden">
        {t.editor.blockType}
      </label>
      <select
        id="block-type"
        data-toolbar-item
        tabIndex={0}
        className="toolbar-select"
        value={state.block === 'bullet' || state.block === 'number' ? 'paragraph' : state.block}
        onChange={(e) => setBlock(e.target.value as BlockType)}
      >
        <option value="paragraph">{t.editor.paragraph}</option>
        <option value="h1">{t.editor.heading1}</option>
        <option value="h2">{t.editor.heading2}</option>
        <option value="h3">{t.editor.heading3}</option>
      </select>
      <Separator />
      <ToolButton icon="bold" label={t.editor.bold} shortcut={`${MOD}+B`} pressed={state.bold} onClick={() => toggle('bold')} />
      <ToolButton icon="italic" label={t.editor.italic} shortcut={`${MOD}+I`} pressed={state.italic} onClick={() => toggle('italic')} />
      <ToolButton icon="underline" label={t.editor.underline} shortcut={`${MOD}+U`} pressed={state.underline} onClick={() => toggle('underline')} />
      <Separator />
      <ToolButton icon="bullets" label={t.editor.bulletList} pressed={state.block === 'bullet'} onClick={() => setBlock('bullet')} />
      <ToolButton icon="numbers" label={t.editor.numberedList} pressed={state.block === 'number'} onClick={() => setBlock('number')} />
      <Separator />
      <ToolButton icon="alignLeft" label={t.editor.alignLeft} pressed={state.align === 'left' || state.align === 'start'} onClick={() => align('left')} />
      <ToolButton icon="alignCenter" label={t.editor.alignCenter} pressed={state.align === 'center'} onClick={() => align('center')} />
      <ToolButton icon="alignRight" label={t.editor.alignRight} pressed={state.align === 'right' || state.align === 'end'} onClick={() => align('right')} />
      <ToolButton icon="alignJustify" label={t.editor.alignJustify} pressed={state.align === 'justify'} onClick={() => align('justify')} />
      <Separator />
      <ToolButton icon="outdent" label={t.editor.outdent} onClick={() => editor.dispatchCommand(OUTDENT_CONTENT_COMMAND, undefined)} />
      <ToolButton icon="indent" label={t.editor.indent} onClick={() => editor.dispatchCommand(INDENT_CONTENT_COMMAND, undefined)} />
      <Separator />
      <ToolButton
        icon="table"
        label={t.editor.insertTable}
        onClick={() => editor.dispatchCommand(INSERT_TABLE_COMMAND, { rows: '3', columns: '3', includeHeaders: false })}
      />
      <Separator />
      <ToolButton icon="undo" label={t.editor.undo} shortcut={`${MOD}+Z`} disabled={!canUndo} onClick={() => editor.dispatchCommand(UNDO_COMMAND, undefined)} />
      <ToolButton
        icon="redo"
        label={t.editor.redo}
        shortcut={IS_MAC ? '⌘+Shift+Z' : 'Ctrl+Y'}
        disabled={!canRedo}
        onClick={() => editor.dispatchCommand(REDO_COMMAND, undefined)}
      />
    </div>
  );
}

function Separator() {
  return <span className="toolbar-sep" aria-hidden="true" />;
}

function ToolButton({
  icon,
  label,
  shortcut,
  pressed,
  disabled,
  onClick,
}: {
  readonly icon: IconName;
  readonly label: string;
  readonly shortcut?: string;
  readonly pressed?: boolean;
  readonly disabled?: boolean;
  readonly onClick: () => void;
}): ReactNode {
  return (
    <button
      type="button"
      data-toolbar-item
      tabIndex={-1}
      className="toolbar-button"
      aria-label={label}
      aria-pressed={pressed}
      aria-keyshortcuts={shortcut?.replace('Ctrl', 'Control').replace('⌘', 'Meta')}
      title={shortcut ? `${label} (${shortcut})` : label}
      disabled={disabled}
      // Keep the editor's selection: the click must not move focus before the command runs.
      onMouseDown={(e) => e.preventDefault()}
      onClick={onClick}
    >
      <Icon name={icon} />
    </button>
  );
}

/**
 * Local edits reach Yjs in time proportional to what changed, not to the document's length.
 *
 * @lexical/yjs (binding V1, the one the CollaborationPlugin uses) writes a local editor update to
 * Yjs by walking the whole tree: `CollabElementNode.syncChildrenFromLexical` visits every child of
 * the root and, through `_syncChildFromLexical`, every paragraph's children, comparing properties
 * and text of nodes that did not change. In a 100-page document that walk was 4-5 ms of every
 * keystroke (docs/client.md, "Long documents").
 *
 * Lexical itself knows what changed: every node written in an update is in its dirty leaves or
 * dirty elements, and so is every ancestor of one. Its own DOM reconciler skips a child that is
 * the same object as before and in neither set; this applies exactly that rule to the binding's
 * walk. A node that was replaced, any state set wholesale (new node objects) and decorator nodes
 * still take the stock path. The stock binding already trusts those sets: it syncs nothing at all
 * unless the root is among the dirty elements (syncLexicalUpdateToYjs).
 *
 * The method is internal to @lexical/yjs. `lexical` and every `@lexical/*` package are pinned to one
 * exact version (package.json); `installCleanSubtreeSkip` fails loudly if an upgrade renames it,
 * and editor/binding.test.ts checks that the result is the same as without the skip.
 */
import { createBinding, type Provider } from '@lexical/yjs';
import { $getNodeByKey, $isDecoratorNode, createEditor, type NodeKey, type NodeMap } from 'lexical';
import * as Y from 'yjs';

type SyncChild = (
  this: unknown,
  binding: unknown,
  index: number,
  key: NodeKey,
  prevNodeMap: null | NodeMap,
  dirtyElements: null | Map<NodeKey, unknown>,
  dirtyLeaves: null | Set<NodeKey>,
) => void;

interface CollabElementPrototype {
  _syncChildFromLexical: SyncChild;
}

const INSTALLED = Symbol.for('congvu.bindingCleanSubtreeSkip');

let enabled = true;

/** For tests: the same edits with and without the skip must give the same Yjs document. */
export function setCleanSubtreeSkip(on: boolean): void {
  enabled = on;
}

/** The prototype of the binding's element nodes, reached through a throwaway binding. */
function collabElementPrototype(): CollabElementPrototype {
  const editor = createEditor({ onError: (error) => { throw error; } });
  const doc = new Y.Doc();
  const binding = createBinding(editor, {} as Provider, 'probe', doc, new Map([['probe', doc]]));
  const prototype = Object.getPrototypeOf(binding.root) as Partial<CollabElementPrototype> | null;
  doc.destroy();
  if (prototype === null || typeof prototype._syncChildFromLexical !== 'function') {
    throw new Error('@lexical/yjs changed: CollabElementNode._syncChildFromLexical is gone (binding-clean-subtrees.ts)');
  }
  return prototype as CollabElementPrototype;
}

/** Installs the skip once (idempotent). */
export function installCleanSubtreeSkip(): void {
  const prototype = collabElementPrototype() as CollabElementPrototype & { [INSTALLED]?: true };
  if (prototype[INSTALLED]) return;
  const stock = prototype._syncChildFromLexical;
  prototype._syncChildFromLexical = function (binding, index, key, prevNodeMap, dirtyElements, dirtyLeaves) {
    if (
      enabled &&
      prevNodeMap !== null &&
      dirtyElements !== null &&
      dirtyLeaves !== null &&
      !dirtyElements.has(key) &&
      !dirtyLeaves.has(key)
    ) {
      const previous = prevNodeMap.get(key);
      // Runs inside the binding's read of the new editor state: $getNodeByKey reads that state.
      // Decorator nodes keep the stock path: their slots live outside the children (@lexical/yjs).
      if (previous !== undefined && previous === $getNodeByKey(key) && !$isDecoratorNode(previous)) return;
    }
    stock.call(this, binding, index, key, prevNodeMap, dirtyElements, dirtyLeaves);
  };
  prototype[INSTALLED] = true;
}

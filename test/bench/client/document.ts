/**
 * The client benchmark's document: about 100 pages (50,000 words) of a Vietnamese administrative
 * text, built through the real editor binding (headless Lexical + @lexical/yjs binding V1, the
 * way the CollaborationPlugin writes `root`), so the Y.Doc has exactly the structure the app
 * renders: the document seed as first paragraph, headings, paragraphs with bold and italic runs,
 * bulleted lists and two tables, plus the `meta` map.
 *
 * Why two authors: a document typed by one client in one go is unrealistically compact (Yjs merges
 * a client's consecutive inserts into one item). A second bound editor revises a word in every
 * seventh paragraph after the first one wrote it, which splits items and leaves tombstones, as
 * real collaborative drafting does. Deterministic (seeded PRNG): every run measures the same bytes.
 */
import { createBinding, syncLexicalUpdateToYjs, syncYjsChangesToLexical, type Provider } from '@lexical/yjs';
import { $createListItemNode, $createListNode } from '@lexical/list';
import { $createHeadingNode } from '@lexical/rich-text';
import { $createTableCellNode, $createTableNode, $createTableRowNode, TableCellHeaderStates } from '@lexical/table';
import {
  $createParagraphNode,
  $createTextNode,
  $getRoot,
  $isElementNode,
  $isTextNode,
  createEditor,
  SKIP_COLLAB_TAG,
  type LexicalEditor,
  type LexicalNode,
} from 'lexical';
import * as Y from 'yjs';
import { contentText, documentSeedUpdate, writeMeta } from '../../../common/document-content.ts';
import { DOCUMENT_NODES } from '../../../renderer/editor/nodes.ts';

/** Text the last paragraph ends with: "the document is shown to its end" is checked against it. */
export const END_MARKER = 'Hết trang 100, mốc kiểm tra cuối văn bản.';

export interface BenchDocument {
  /** The whole document as one Yjs update (what a store holds after compaction). */
  readonly update: Uint8Array;
  /**
   * An editing session after it: single-keystroke updates typed at the end of the last paragraph,
   * each its own Yjs update (a store that keeps a log holds them as rows until it compacts).
   */
  readonly tail: readonly Uint8Array[];
  readonly words: number;
  readonly characters: number;
  readonly paragraphs: number;
  readonly headings: number;
  readonly tables: number;
  readonly listItems: number;
  readonly revisions: number;
  /** Structs in the encoded update (items + tombstones): how fragmented the CRDT is. */
  readonly structs: number;
}

const VOCABULARY = (
  'ủy ban nhân dân tỉnh sở thông tin và truyền thông quyết định nghị định thông tư hướng dẫn ' +
  'thực hiện chuyển đổi số cơ quan nhà nước cán bộ công chức viên chức văn bản hành chính ' +
  'báo cáo kết quả triển khai kế hoạch năm hai nghìn hai mươi sáu trên địa bàn huyện xã phường ' +
  'thị trấn đơn vị sự nghiệp công lập căn cứ luật tổ chức chính quyền địa phương ngày tháng ' +
  'đề nghị của giám đốc trưởng phòng phó chủ tịch chịu trách nhiệm thi hành kể từ ngày ký ' +
  'các tổ chức cá nhân có liên quan phối hợp kiểm tra giám sát đánh giá tổng hợp định kỳ ' +
  'hằng quý sáu tháng nhiệm vụ giải pháp trọng tâm bảo đảm an toàn thông tin mạng dữ liệu ' +
  'dịch vụ công trực tuyến toàn trình một phần hồ sơ thủ tục tiếp nhận trả kết quả điện tử ' +
  'nâng cao chất lượng hiệu quả quản lý điều hành kinh phí ngân sách nguồn vốn hợp pháp khác ' +
  'theo quy định hiện hành trường hợp phát sinh vướng mắc kịp thời phản ánh về để xem xét'
).split(' ');

const CHAPTERS = ['QUY ĐỊNH CHUNG', 'NHIỆM VỤ VÀ GIẢI PHÁP', 'TỔ CHỨC THỰC HIỆN', 'KINH PHÍ', 'CHẾ ĐỘ BÁO CÁO', 'ĐIỀU KHOẢN THI HÀNH'];
const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'];

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Lexical provider that does nothing: the binding needs one, nothing is sent anywhere. */
const silentProvider = {
  awareness: {
    getLocalState: () => null,
    getStates: () => new Map(),
    on: () => {},
    off: () => {},
    setLocalState: () => {},
    setLocalStateField: () => {},
  },
  connect: () => {},
  disconnect: () => {},
  on: () => {},
  off: () => {},
} as unknown as Provider;

/** A headless editor bound to `doc` exactly as CollaborationPlugin V1 binds it. */
function boundEditor(doc: Y.Doc): LexicalEditor {
  const editor = createEditor({
    nodes: [...DOCUMENT_NODES],
    onError: (error) => {
      throw error;
    },
  });
  const binding = createBinding(editor, silentProvider, 'bench', doc, new Map([['bench', doc]]));
  binding.root.getSharedType().observeDeep((events, transaction) => {
    if (transaction.origin !== binding) syncYjsChangesToLexical(binding, silentProvider, events as never, false);
  });
  editor.registerUpdateListener(({ prevEditorState, editorState, dirtyElements, dirtyLeaves, normalizedNodes, tags }) => {
    if (!tags.has(SKIP_COLLAB_TAG)) {
      syncLexicalUpdateToYjs(binding, silentProvider, prevEditorState, editorState, dirtyElements, dirtyLeaves, normalizedNodes, tags);
    }
  });
  return editor;
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Builds the document (about 2–4 s in Node). */
export async function buildBenchDocument(targetWords = 50_000, tailEdits = 100, seed = 30_2020): Promise<BenchDocument> {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const words = (min: number, max: number): string[] => {
    const n = min + Math.floor(random() * (max - min + 1));
    return Array.from({ length: n }, () => pick(VOCABULARY));
  };
  const sentence = (): string => {
    const w = words(8, 20);
    w[0] = w[0].charAt(0).toLocaleUpperCase('vi') + w[0].slice(1);
    return `${w.join(' ')}.`;
  };

  // Two authors, each with a bound editor, their docs kept in step like two clients of a room.
  const docA = new Y.Doc();
  const docB = new Y.Doc();
  docA.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'peer') Y.applyUpdate(docB, update, 'peer');
  });
  docB.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'peer') Y.applyUpdate(docA, update, 'peer');
  });
  const editorA = boundEditor(docA);
  const editorB = boundEditor(docB);
  // Seeded after binding (the binding renders only what it observes, facebook/lexical#4999).
  Y.applyUpdate(docA, documentSeedUpdate(), 'seed');
  writeMeta(docA, { title: 'Kế hoạch chuyển đổi số năm 2026 (bản dài)', type: 'KH' });
  await settle();

  let wordCount = 0;
  let paragraphs = 0;
  let headings = 0;
  let tables = 0;
  let listItems = 0;
  let article = 0;
  let chapter = 0;
  const count = (text: string): string => {
    wordCount += text.split(/\s+/u).filter(Boolean).length;
    return text;
  };

  /** One paragraph of 3–7 sentences; one in four has a bold phrase, one in nine an italic one. */
  const paragraph = (): LexicalNode => {
    const node = $createParagraphNode();
    const sentences = Array.from({ length: 3 + Math.floor(random() * 5) }, sentence);
    const text = count(sentences.join(' '));
    const roll = random();
    if (roll < 0.25 || roll > 0.89) {
      const cut = text.indexOf(' ', Math.floor(text.length / 3));
      const phrase = `${words(2, 5).join(' ')} `;
      count(phrase);
      const styled = $createTextNode(phrase);
      styled.setFormat(roll < 0.25 ? 'bold' : 'italic');
      node.append($createTextNode(text.slice(0, cut + 1)), styled, $createTextNode(text.slice(cut + 1)));
    } else {
      node.append($createTextNode(text));
    }
    paragraphs += 1;
    return node;
  };

  const heading = (tag: 'h2' | 'h3', text: string): LexicalNode => {
    headings += 1;
    return $createHeadingNode(tag).append($createTextNode(count(text)));
  };

  const table = (rows: number, columns: number): LexicalNode => {
    tables += 1;
    const node = $createTableNode();
    const header = ['STT', 'Nhiệm vụ', 'Đơn vị chủ trì', 'Thời hạn'];
    for (let r = 0; r < rows; r++) {
      const row = $createTableRowNode();
      for (let c = 0; c < columns; c++) {
        const cell = $createTableCellNode(r === 0 ? TableCellHeaderStates.ROW : TableCellHeaderStates.NO_STATUS);
        const text = r === 0 ? header[c % header.length] : c === 0 ? String(r) : words(2, 8).join(' ');
        cell.append($createParagraphNode().append($createTextNode(count(text))));
        row.append(cell);
      }
      node.append(row);
    }
    return node;
  };

  const list = (): LexicalNode => {
    const node = $createListNode('bullet');
    for (let i = 0; i < 4; i++) {
      listItems += 1;
      node.append($createListItemNode().append($createTextNode(count(sentence()))));
    }
    return node;
  };

  // The first paragraph is the seed's: it gets the opening text.
  editorA.update(
    () => {
      const first = $getRoot().getFirstChildOrThrow();
      if ($isElementNode(first)) first.append($createTextNode(count('Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;')));
    },
    { discrete: true },
  );
  paragraphs += 1;

  // Then block by block, one Lexical update (one Yjs transaction) per block, like a long drafting session.
  const tablesAt = [Math.floor(targetWords * 0.3), Math.floor(targetWords * 0.7)];
  let nextArticleAt = 0;
  let nextChapterAt = 0;
  let nextListAt = 4_000;
  while (wordCount < targetWords - 120) {
    editorA.update(
      () => {
        const root = $getRoot();
        if (wordCount >= nextChapterAt) {
          root.append(heading('h2', `Chương ${ROMAN[chapter % ROMAN.length]}. ${CHAPTERS[chapter % CHAPTERS.length]}`));
          chapter += 1;
          nextChapterAt += 8_500;
        }
        if (wordCount >= nextArticleAt) {
          article += 1;
          root.append(heading('h3', `Điều ${article}. ${words(3, 7).join(' ')}`));
          nextArticleAt += 350;
        }
        if (tablesAt.length > 0 && wordCount >= tablesAt[0]) {
          tablesAt.shift();
          root.append(table(12, 4));
        }
        if (wordCount >= nextListAt) {
          root.append(list());
          nextListAt += 5_000;
        }
        root.append(paragraph());
      },
      { discrete: true },
    );
  }
  editorA.update(
    () => {
      $getRoot().append($createParagraphNode().append($createTextNode(count(`Văn bản này có hiệu lực kể từ ngày ký. ${END_MARKER}`))));
    },
    { discrete: true },
  );
  paragraphs += 1;
  await settle();

  // The second author revises one word in every seventh paragraph (delete + insert in A's items).
  let revisions = 0;
  editorB.update(
    () => {
      $getRoot()
        .getChildren()
        .forEach((block, index) => {
          if (index % 7 !== 3 || !$isElementNode(block) || block.getType() !== 'paragraph') return;
          const text = block.getFirstChild();
          if (!$isTextNode(text)) return;
          const content = text.getTextContent();
          const at = content.indexOf(' ', Math.floor(content.length / 2));
          if (at < 0) return;
          text.setTextContent(`${content.slice(0, at)} sửa đổi${content.slice(content.indexOf(' ', at + 1))}`);
          revisions += 1;
        });
    },
    { discrete: true },
  );
  await settle();

  const update = Y.encodeStateAsUpdate(docA);
  if (contentText(docA) !== contentText(docB)) throw new Error('bench document: the two authors did not converge');
  if (!contentText(docA).endsWith(END_MARKER)) throw new Error('bench document: the end marker is not the last text');

  // The editing session: one character per Lexical update, at the end of the last paragraph.
  const tail: Uint8Array[] = [];
  const record = (u: Uint8Array, origin: unknown): void => {
    if (origin !== 'peer') tail.push(u);
  };
  docA.on('update', record);
  for (let i = 0; i < tailEdits; i++) {
    editorA.update(
      () => {
        const last = $getRoot().getLastChildOrThrow();
        const text = $isElementNode(last) ? last.getLastChild() : null;
        if ($isTextNode(text)) text.setTextContent(`${text.getTextContent()}${i % 10 === 9 ? ' ' : 'ghi chú'.charAt(i % 7)}`);
      },
      { discrete: true },
    );
  }
  docA.off('update', record);
  if (tail.length !== tailEdits) throw new Error(`bench document: ${tail.length} tail updates for ${tailEdits} edits`);
  const text = contentText(docA);
  const check = new Y.Doc();
  Y.applyUpdate(check, update);
  for (const u of tail) Y.applyUpdate(check, u);
  if (contentText(check) !== text) throw new Error('bench document: update and tail do not round-trip');
  const decoded = Y.decodeUpdate(update);
  for (const d of [docA, docB, check]) d.destroy();
  return {
    update,
    tail,
    words: text.split(/\s+/u).filter(Boolean).length,
    characters: text.length,
    paragraphs,
    headings,
    tables,
    listItems,
    revisions,
    structs: decoded.structs.length,
  };
}

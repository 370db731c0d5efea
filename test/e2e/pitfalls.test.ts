/**
 * The Lexical + Yjs bug classes of PITFALLS.md, each caught in real Chromium against the real
 * server. The app under test is React's development build with StrictMode on, so every mount in
 * these tests is a double mount.
 */
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CONTENT_ROOT } from '../../common/document-content.ts';
import { connect, createDocument, login as apiLogin, share, synced } from '../support/clients.ts';
import type { ServerProcess } from '../support/server.ts';
import { caretToEnd, createThroughUi, documentOnServer, editor, launchBrowser, openDocument, poll, serverText, signIn, startServer, type UserPage } from './harness.ts';

let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

async function sharedDocument(title: string, viaApi: boolean): Promise<{ docId: string; an: UserPage; binh: UserPage }> {
  const owner = await apiLogin(server.url, 'an.nguyen');
  const binhId = (await apiLogin(server.url, 'binh.tran')).user.id;
  const an = await signIn(browser, server.url, 'an.nguyen');
  const docId = viaApi ? await createDocument(server.url, owner, title) : await createThroughUi(an.page, title);
  await documentOnServer(server, 'an.nguyen', docId);
  await share(server.url, owner, docId, { type: 'user', id: binhId }, 'editor');
  const binh = await signIn(browser, server.url, 'binh.tran');
  return { docId, an, binh };
}

/** Top-level blocks of the document as the server has them. */
async function serverBlocks(docId: string): Promise<number> {
  const session = await apiLogin(server.url, 'an.nguyen');
  const provider = connect(server.wsUrl, `doc:${docId}`, session.token, new Y.Doc());
  try {
    await synced(provider);
    return provider.doc.get(CONTENT_ROOT, Y.XmlText).length;
  } finally {
    provider.destroy();
  }
}

const blocks = (page: Page) => page.locator('[role="textbox"][aria-label="Nội dung văn bản"] > *').count();

describe('Lexical + Yjs pitfalls', () => {
  it('a document whose content is already stored renders it on open, before any server sync (#4999)', async () => {
    const an = await signIn(browser, server.url, 'an.nguyen');
    const docId = await createThroughUi(an.page, 'Nội dung có sẵn');
    await caretToEnd(an.page);
    await an.page.keyboard.type('Đã lưu trên máy từ trước.');
    await expect.poll(() => serverText(server, 'an.nguyen', docId), { timeout: 15_000 }).toBe('Đã lưu trên máy từ trước.');
    // The relay never answers: whatever shows comes from IndexedDB, bound after the editor.
    await an.page.routeWebSocket(/\/sync\//, () => {});
    await an.page.reload();
    await expect.poll(() => editor(an.page).textContent(), { timeout: 15_000 }).toBe('Đã lưu trên máy từ trước.');
    expect(await blocks(an.page)).toBe(1);
    expect(an.errors).toEqual([]);
    await an.context.close();
  }, 120_000);

  it('two clients opening an empty document at once end with one paragraph, not two (#9107)', async () => {
    const { docId, an, binh } = await sharedDocument('Văn bản tạo qua API, chưa có nội dung', true);
    await Promise.all([openDocument(an.page, server.url, docId), openDocument(binh.page, server.url, docId)]);
    await caretToEnd(an.page);
    await an.page.keyboard.type('Một đoạn duy nhất.');
    await expect.poll(() => editor(binh.page).textContent(), { timeout: 15_000 }).toBe('Một đoạn duy nhất.');
    await an.page.waitForTimeout(500);
    expect(await blocks(an.page)).toBe(1);
    expect(await blocks(binh.page)).toBe(1);
    expect(await serverBlocks(docId)).toBe(1);
    expect([...an.errors, ...binh.errors]).toEqual([]);
    await an.context.close();
    await binh.context.close();
  }, 120_000);

  it('StrictMode double mounts and quick remounts neither duplicate nor lose content', async () => {
    const an = await signIn(browser, server.url, 'an.nguyen');
    const docId = await createThroughUi(an.page, 'Mở đi mở lại');
    await caretToEnd(an.page);
    await an.page.keyboard.type('Nội dung ổn định.');
    for (let i = 0; i < 3; i++) {
      await an.page.getByRole('link', { name: 'Về danh sách văn bản' }).click();
      await an.page.getByRole('link', { name: 'Mở đi mở lại' }).click();
      await editor(an.page).waitFor();
    }
    await caretToEnd(an.page);
    await an.page.keyboard.type(' Thêm.');
    await expect.poll(() => editor(an.page).textContent(), { timeout: 10_000 }).toBe('Nội dung ổn định. Thêm.');
    expect(await blocks(an.page)).toBe(1);
    await expect.poll(() => serverText(server, 'an.nguyen', docId), { timeout: 15_000 }).toBe('Nội dung ổn định. Thêm.');
    expect(an.errors).toEqual([]);
    await an.context.close();
  }, 120_000);

  it('undo never removes loaded content, and undoes only the user’s own edits', async () => {
    const { docId, an, binh } = await sharedDocument('Hoàn tác', false);
    await caretToEnd(an.page);
    await an.page.keyboard.type('Nội dung đã lưu.');
    await an.page.reload();
    await caretToEnd(an.page);
    for (let i = 0; i < 5; i++) await an.page.keyboard.press('Control+z');
    await an.page.waitForTimeout(300);
    expect(await editor(an.page).textContent()).toBe('Nội dung đã lưu.');

    await openDocument(binh.page, server.url, docId);
    await expect.poll(() => editor(binh.page).textContent(), { timeout: 15_000 }).toBe('Nội dung đã lưu.');
    await caretToEnd(an.page);
    await an.page.keyboard.type(' Của An.');
    await expect.poll(() => editor(binh.page).textContent(), { timeout: 15_000 }).toContain('Của An.');
    await caretToEnd(binh.page);
    await binh.page.keyboard.press('Enter');
    await binh.page.keyboard.type('Của Bình.');
    await expect.poll(() => editor(an.page).textContent(), { timeout: 15_000 }).toContain('Của Bình.');
    await an.page.keyboard.press('Control+z');
    await expect.poll(() => editor(an.page).textContent(), { timeout: 10_000 }).toBe('Nội dung đã lưu.Của Bình.');
    await expect.poll(() => editor(binh.page).textContent(), { timeout: 10_000 }).toBe('Nội dung đã lưu.Của Bình.');
    await an.page.keyboard.press('Control+y');
    await expect.poll(() => editor(binh.page).textContent(), { timeout: 10_000 }).toBe('Nội dung đã lưu. Của An.Của Bình.');
    await an.context.close();
    await binh.context.close();
  }, 120_000);
});

describe('Vietnamese input while a peer edits the same paragraph', () => {
  /** The paragraph starts as "Nội dung: " (so the start and the end are different places). */
  const START = 'Nội dung: ';
  const PEER = 'Kính gửi ';
  const WORDS = ['Việt Nam', 'Nghị định', 'Quyết định'];

  /** What an IME shows while composing each word with Telex, then commits. */
  const COMPOSITIONS: Readonly<Record<string, readonly string[]>> = {
    Việt: ['V', 'Vi', 'Vie', 'Viê', 'Viêt', 'Việt'],
    Nam: ['N', 'Na', 'Nam'],
    Nghị: ['N', 'Ng', 'Ngh', 'Nghi', 'Nghị'],
    Quyết: ['Q', 'Qu', 'Quy', 'Quye', 'Quyê', 'Quyêt', 'Quyết'],
    định: ['d', 'đ', 'đi', 'đin', 'đinh', 'định'],
  };

  /**
   * What Unikey/EVKey (Telex) send instead of composition: characters, and on a tone or vowel key
   * backspaces over what changes followed by the corrected letters.
   */
  const TELEX: Readonly<Record<string, readonly (string | number)[]>> = {
    Việt: ['V', 'i', 'e', 1, 'ê', 't', 2, 'ệ', 't'],
    Nam: ['N', 'a', 'm'],
    Nghị: ['N', 'g', 'h', 'i', 1, 'ị'],
    Quyết: ['Q', 'u', 'y', 'e', 1, 'ê', 't', 2, 'ế', 't'],
    định: ['d', 1, 'đ', 'i', 'n', 'h', 3, 'ị', 'n', 'h'],
  };

  async function setUp(title: string) {
    const { docId, an, binh } = await sharedDocument(title, false);
    await caretToEnd(an.page);
    await an.page.keyboard.type(START);
    await openDocument(binh.page, server.url, docId);
    await expect.poll(() => editor(binh.page).textContent(), { timeout: 15_000 }).toBe(START);
    await caretToEnd(binh.page);
    await binh.page.keyboard.press('Home');
    await caretToEnd(an.page);
    return { docId, an, binh };
  }

  let peerTyped = 0;
  /** The peer types one more character of their text at the start of the same paragraph. */
  async function peerStep(binh: UserPage): Promise<void> {
    if (peerTyped >= PEER.length) return;
    await binh.page.keyboard.type(PEER[peerTyped]);
    peerTyped++;
    await binh.page.waitForTimeout(30);
  }

  async function finish(docId: string, an: UserPage, binh: UserPage): Promise<void> {
    while (peerTyped < PEER.length) await peerStep(binh);
    const expected = PEER + START + WORDS.join(', ');
    for (const user of [an, binh]) await expect.poll(() => editor(user.page).textContent(), { timeout: 15_000 }).toBe(expected);
    expect(await poll(() => serverText(server, 'an.nguyen', docId), (t) => t === expected)).toBe(expected);
    expect([...an.errors, ...binh.errors]).toEqual([]);
    await an.context.close();
    await binh.context.close();
  }

  it('composition events (IME) come out right: "Việt Nam", "Nghị định", "Quyết định"', async () => {
    const { docId, an, binh } = await setUp('Gõ tiếng Việt bằng bộ gõ IME');
    const cdp: CDPSession = await an.context.newCDPSession(an.page);
    peerTyped = 0;
    for (const [w, phrase] of WORDS.entries()) {
      for (const [i, word] of phrase.split(' ').entries()) {
        if (i > 0) await an.page.keyboard.type(' ');
        const stages = COMPOSITIONS[word];
        for (const stage of stages) {
          await cdp.send('Input.imeSetComposition', { text: stage, selectionStart: stage.length, selectionEnd: stage.length });
          // A remote update lands in the middle of the composition.
          await peerStep(binh);
        }
        await cdp.send('Input.insertText', { text: stages[stages.length - 1] });
      }
      if (w < WORDS.length - 1) await an.page.keyboard.type(', ');
    }
    await finish(docId, an, binh);
  }, 180_000);

  it('a composition with the peer typing at the very same spot loses nothing and converges', async () => {
    const { docId, an, binh } = await sharedDocument('Cùng một vị trí', false);
    await openDocument(binh.page, server.url, docId);
    await caretToEnd(binh.page);
    await caretToEnd(an.page);
    const cdp: CDPSession = await an.context.newCDPSession(an.page);
    peerTyped = 0;
    for (const [w, phrase] of WORDS.entries()) {
      for (const [i, word] of phrase.split(' ').entries()) {
        if (i > 0) await an.page.keyboard.type(' ');
        const stages = COMPOSITIONS[word];
        for (const stage of stages) {
          await cdp.send('Input.imeSetComposition', { text: stage, selectionStart: stage.length, selectionEnd: stage.length });
          await peerStep(binh);
        }
        await cdp.send('Input.insertText', { text: stages[stages.length - 1] });
      }
      if (w < WORDS.length - 1) await an.page.keyboard.type(', ');
    }
    const mine = WORDS.join(', ');
    const texts = async () => Promise.all([editor(an.page).textContent(), editor(binh.page).textContent(), serverText(server, 'an.nguyen', docId)]);
    const [a, b, s] = await poll(texts, ([x, y, z]) => x === y && y === z && (x ?? '').length === mine.length + PEER.length);
    expect(a).toBe(b);
    expect(b).toBe(s);
    // Where two people type at one spot at the same moment, the CRDT may interleave their letters
    // (each keystroke is an insert at the same position; Yjs orders concurrent inserts by client),
    // so the composed words need not stay contiguous. What must hold, and what a composition
    // broken by a remote update violates (a letter lost, doubled or moved), is that the text is
    // exactly the two people's texts merged, each in the order its author typed it.
    expect(isInterleaving(a ?? '', mine, PEER), `${JSON.stringify(a)} merges ${JSON.stringify(mine)} and ${JSON.stringify(PEER)}`).toBe(true);
    await an.context.close();
    await binh.context.close();
  }, 180_000);

  it('Telex by backspace and retype (Unikey, EVKey) comes out right', async () => {
    const { docId, an, binh } = await setUp('Gõ tiếng Việt kiểu Telex');
    peerTyped = 0;
    for (const [w, phrase] of WORDS.entries()) {
      for (const [i, word] of phrase.split(' ').entries()) {
        if (i > 0) await an.page.keyboard.type(' ');
        for (const key of TELEX[word]) {
          if (typeof key === 'number') for (let n = 0; n < key; n++) await an.page.keyboard.press('Backspace');
          else await an.page.keyboard.insertText(key);
          await peerStep(binh);
        }
      }
      if (w < WORDS.length - 1) await an.page.keyboard.type(', ');
    }
    await finish(docId, an, binh);
  }, 180_000);
});

/** Whether `text` is `left` and `right` merged with each one's characters kept in order. */
function isInterleaving(text: string, left: string, right: string): boolean {
  const [t, l, r] = [[...text], [...left], [...right]];
  if (t.length !== l.length + r.length) return false;
  // reachable[j]: the first i + j characters of text can be made of left[0, i) and right[0, j).
  let reachable = Array.from({ length: r.length + 1 }, (_, j) => r.slice(0, j).join('') === t.slice(0, j).join(''));
  for (let i = 1; i <= l.length; i++) {
    const next = new Array<boolean>(r.length + 1).fill(false);
    for (let j = 0; j <= r.length; j++) {
      const c = t[i + j - 1];
      next[j] = (reachable[j] && l[i - 1] === c) || (j > 0 && next[j - 1] && r[j - 1] === c);
    }
    reachable = next;
  }
  return reachable[r.length];
}

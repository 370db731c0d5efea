/**
 * In-page instrumentation of the client benchmark, installed before any page script runs
 * (Playwright `addInitScript`, bundled to one IIFE by client.ts) in the real app and in the bench
 * page alike, so both are measured by the same code. It only observes: the app is unchanged.
 *
 * - `ready`: the first frame in which the document editor (the textbox "Nội dung văn bản") is
 *   editable and its LAST block shows the document's end marker, i.e. the whole document is in the
 *   DOM and input would be taken. A MutationObserver notices the DOM change, a requestAnimationFrame
 *   after it gives the frame, a message posted from that rAF approximates "after the frame".
 * - Keystroke samples: for every keydown in the editor, `event.timeStamp` (when the input event
 *   was dispatched to the page, so main-thread queueing is included), then the first DOM mutation
 *   after which the editor's last block holds every character typed so far, then the rAF after it.
 * - Line watch (merge): when the editor's last blocks contain a given list of lines, in epoch ms.
 * - WebSocket opens (epoch ms, URL without its query: the token is never recorded).
 * Times are `performance.now()` of the page unless named epoch (timeOrigin + now, comparable with
 * Node's `performance.timeOrigin + performance.now()` on the same machine).
 */

export interface ProbeConfig {
  /** Text the document's last block contains once the whole document is rendered. */
  readonly marker: string;
}

export interface ReadyTimes {
  /** The editor's contenteditable element exists. */
  editorAt: number | null;
  /** Its last block shows the marker. */
  contentAt: number | null;
  /** It is contenteditable="true". */
  editableAt: number | null;
  /** Both of the above: the mutation callback that saw it. */
  readyAt: number | null;
  /** requestAnimationFrame after `readyAt`. */
  frameAt: number | null;
  /** A message posted from that rAF: after the frame was produced. */
  afterFrameAt: number | null;
}

export interface KeySample {
  readonly index: number;
  readonly key: string;
  /** KeyboardEvent.timeStamp: when the key event was dispatched. */
  readonly down: number;
  /** When our capture-phase listener ran (down → handler = input queueing). */
  readonly handler: number;
  dom: number | null;
  frame: number | null;
  afterFrame: number | null;
}

export interface LineWatch {
  readonly startedAt: number;
  foundAt: number | null;
  frameAt: number | null;
}

export interface SocketOpen {
  readonly url: string;
  readonly openedAt: number;
  closedAt: number | null;
}

export interface CongvuProbe {
  readonly ready: Promise<ReadyTimes>;
  readonly readyTimes: ReadyTimes;
  readonly sockets: SocketOpen[];
  /** Starts recording keystrokes typed at the end of the editor's last block. */
  startKeys(): void;
  /** The samples so far (recording goes on). */
  keySamples(): KeySample[];
  /** Resolves true once `count` keys were recorded and the last of them painted (false after `timeoutMs`). */
  painted(count: number, timeoutMs: number): Promise<boolean>;
  stopKeys(): KeySample[];
  watchLines(lines: readonly string[]): void;
  readonly lineWatch: LineWatch | null;
  epoch(): number;
}

declare global {
  var __congvuProbe: CongvuProbe | undefined;
  var __congvuProbeConfig: ProbeConfig | undefined;
}

const EDITOR = '[aria-label="Nội dung văn bản"]';

export function installProbe(config: ProbeConfig): CongvuProbe {
  const now = (): number => performance.now();
  const epoch = (): number => performance.timeOrigin + performance.now();
  /** Runs `after` in the next frame (rAF), and `afterFrame` in a task posted from it. */
  const nextFrame = (frame: (t: number) => void, afterFrame: (t: number) => void): void => {
    requestAnimationFrame(() => {
      frame(now());
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        afterFrame(now());
        channel.port1.close();
      };
      channel.port2.postMessage(null);
    });
  };
  const editorElement = (): HTMLElement | null => document.querySelector<HTMLElement>(EDITOR);

  // --- ready ---
  const readyTimes: ReadyTimes = { editorAt: null, contentAt: null, editableAt: null, readyAt: null, frameAt: null, afterFrameAt: null };
  let resolveReady: (times: ReadyTimes) => void = () => {};
  const ready = new Promise<ReadyTimes>((resolve) => (resolveReady = resolve));
  const readyObserver = new MutationObserver(() => {
    const el = editorElement();
    if (el === null) return;
    const t = now();
    readyTimes.editorAt ??= t;
    if (readyTimes.contentAt === null && el.lastElementChild?.textContent?.includes(config.marker)) readyTimes.contentAt = t;
    if (readyTimes.editableAt === null && el.getAttribute('contenteditable') === 'true') readyTimes.editableAt = t;
    if (readyTimes.contentAt !== null && readyTimes.editableAt !== null && readyTimes.readyAt === null) {
      readyTimes.readyAt = t;
      readyObserver.disconnect();
      nextFrame(
        (f) => (readyTimes.frameAt = f),
        (a) => {
          readyTimes.afterFrameAt = a;
          resolveReady(readyTimes);
        },
      );
    }
  });
  readyObserver.observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['contenteditable'] });

  // --- keystrokes ---
  let samples: KeySample[] = [];
  let typed = '';
  let base = 0;
  let keyObserver: MutationObserver | null = null;
  let firstOpen = 0;
  const onKeyDown = (event: KeyboardEvent): void => {
    const el = editorElement();
    if (keyObserver === null || el === null || event.key.length !== 1 || !(event.target instanceof Node) || !el.contains(event.target)) return;
    typed += event.key;
    samples.push({ index: typed.length, key: event.key, down: event.timeStamp, handler: now(), dom: null, frame: null, afterFrame: null });
  };
  const checkKeys = (): void => {
    const text = editorElement()?.lastElementChild?.textContent ?? '';
    const t = now();
    const done: KeySample[] = [];
    for (let i = firstOpen; i < samples.length; i++) {
      const sample = samples[i];
      if (text.length < base + sample.index || text.slice(base, base + sample.index) !== typed.slice(0, sample.index)) break;
      sample.dom = t;
      done.push(sample);
      firstOpen = i + 1;
    }
    if (done.length > 0) {
      nextFrame(
        (f) => done.forEach((s) => (s.frame = f)),
        (a) => done.forEach((s) => (s.afterFrame = a)),
      );
    }
  };

  // --- line watch ---
  let lineWatch: LineWatch | null = null;
  let lineObserver: MutationObserver | null = null;

  // --- sockets ---
  const sockets: SocketOpen[] = [];
  const NativeWebSocket = window.WebSocket;
  class ObservedWebSocket extends NativeWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      const record: SocketOpen = { url: String(url).split('?')[0], openedAt: Number.NaN, closedAt: null };
      this.addEventListener('open', () => {
        (record as { openedAt: number }).openedAt = epoch();
        sockets.push(record);
      });
      this.addEventListener('close', () => (record.closedAt = epoch()));
    }
  }
  window.WebSocket = ObservedWebSocket;

  return {
    ready,
    readyTimes,
    sockets,
    startKeys() {
      const el = editorElement();
      if (el === null) throw new Error('probe: no editor');
      samples = [];
      typed = '';
      firstOpen = 0;
      base = el.lastElementChild?.textContent?.length ?? 0;
      keyObserver?.disconnect();
      keyObserver = new MutationObserver(checkKeys);
      keyObserver.observe(el, { subtree: true, childList: true, characterData: true });
      window.addEventListener('keydown', onKeyDown, true);
    },
    keySamples() {
      return samples;
    },
    painted(count, timeoutMs) {
      const until = now() + timeoutMs;
      return new Promise((resolve) => {
        const check = (): void => {
          if (samples.length >= count && samples[count - 1].afterFrame !== null) resolve(true);
          else if (now() > until) resolve(false);
          else setTimeout(check, 4);
        };
        check();
      });
    },
    stopKeys() {
      keyObserver?.disconnect();
      keyObserver = null;
      window.removeEventListener('keydown', onKeyDown, true);
      return samples;
    },
    watchLines(lines) {
      const el = editorElement();
      if (el === null) throw new Error('probe: no editor');
      const wanted = lines.join('\n');
      const watch: LineWatch = { startedAt: epoch(), foundAt: null, frameAt: null };
      lineWatch = watch;
      lineObserver?.disconnect();
      const check = (): void => {
        const blocks = Array.from(el.children).slice(-(lines.length + 3));
        if (!blocks.map((b) => b.textContent ?? '').join('\n').includes(wanted)) return;
        watch.foundAt = epoch();
        lineObserver?.disconnect();
        lineObserver = null;
        requestAnimationFrame(() => (watch.frameAt = epoch()));
      };
      lineObserver = new MutationObserver(check);
      lineObserver.observe(el, { subtree: true, childList: true, characterData: true });
      check();
    },
    get lineWatch() {
      return lineWatch;
    },
    epoch,
  };
}

if (typeof window !== 'undefined' && globalThis.__congvuProbeConfig !== undefined && globalThis.__congvuProbe === undefined) {
  globalThis.__congvuProbe = installProbe(globalThis.__congvuProbeConfig);
}

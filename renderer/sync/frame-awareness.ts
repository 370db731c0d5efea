/**
 * Presence ('update') listeners that run once per animation frame: the editor's remote cursors
 * are drawn from them, and drawing reads the layout (editor/frame-cursors.ts says why that must
 * not happen in the middle of a keystroke).
 */

type Listener = (...args: never[]) => void;

/** Runs `run` in the next animation frame, once, however often it is scheduled before then. */
export class FrameCoalescer {
  private frame: number | null = null;

  constructor(private readonly run: () => void) {}

  schedule(): void {
    if (this.frame !== null) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = null;
      this.run();
    });
  }

  cancel(): void {
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    this.frame = null;
  }
}

/**
 * The awareness as the editor sees it: the same object, except that its 'update' listeners (the
 * editor's cursor drawing) run at most once per animation frame, without arguments. Every other
 * event and method goes straight to the real awareness; the connection that sends presence to the
 * server listens on the real one and is not delayed.
 */
export function frameCoalescedAwareness<T extends { on(name: string, fn: Listener): void; off(name: string, fn: Listener): void }>(
  awareness: T,
): T {
  const wrapped = new Map<Listener, { listener: () => void; coalescer: FrameCoalescer }>();
  return new Proxy(awareness, {
    get(target, property, receiver) {
      if (property === 'on') {
        return (name: string, fn: Listener): void => {
          if (name !== 'update') return target.on(name, fn);
          if (wrapped.has(fn)) return;
          const coalescer = new FrameCoalescer(() => (fn as () => void)());
          const listener = () => coalescer.schedule();
          wrapped.set(fn, { listener, coalescer });
          target.on(name, listener);
        };
      }
      if (property === 'off') {
        return (name: string, fn: Listener): void => {
          const entry = name === 'update' ? wrapped.get(fn) : undefined;
          if (entry === undefined) return target.off(name, fn);
          entry.coalescer.cancel();
          wrapped.delete(fn);
          target.off(name, entry.listener);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

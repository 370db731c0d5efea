/**
 * The updates a room holds back until it applies them (Relay.defer, Relay.settle): their bytes
 * copied back to back into one buffer per room, not kept as the Uint8Arrays they arrived in.
 *
 * Why a copy: a room holds its deferred updates for up to a keepalive interval (10 s), long
 * enough for V8 to promote every one of them into the old generation, with the ArrayBuffer of the
 * socket read behind it. Once applied they are garbage that only a full mark-compact frees, so
 * holding them as they came made the relay run more mark-compacts, each a few tens of ms of
 * marking on V8's background threads (docs/benchmarks.md, "Mark-compacts, V8's memory reducer and the
 * deferred updates"). Copied here, the arrived message dies young; what survives is one buffer and an array
 * of small integers per room.
 */

/** A room that never defers anything allocates nothing; the first update gets this much room. */
const INITIAL_BYTES = 4 * 1024;
/** After a burst, a buffer larger than this is given back when the room applies its updates. */
const KEEP_BYTES = 64 * 1024;
const EMPTY = new Uint8Array(0);

export class DeferredUpdates {
  private bytes: Uint8Array = EMPTY;
  /** Where each update ends in `bytes`, in order (it starts where the one before it ends). */
  private readonly ends: number[] = [];
  private used = 0;

  /** How many updates are held. */
  get count(): number {
    return this.ends.length;
  }

  /** Their bytes in all. */
  get byteLength(): number {
    return this.used;
  }

  /** Holds a copy of `update`; the caller may reuse or drop its own. */
  push(update: Uint8Array): void {
    const end = this.used + update.byteLength;
    if (end > this.bytes.byteLength) {
      let size = Math.max(INITIAL_BYTES, this.bytes.byteLength * 2);
      while (size < end) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.bytes.subarray(0, this.used));
      this.bytes = grown;
    }
    this.bytes.set(update, this.used);
    this.used = end;
    this.ends.push(end);
  }

  /**
   * Removes every update and returns them in the order they were pushed, each in a buffer of its
   * own: Yjs keeps a view of the update it read binary content from (ContentBinary), which must
   * neither change when this buffer is reused nor keep all of it alive.
   */
  take(): Uint8Array[] {
    const updates = new Array<Uint8Array>(this.ends.length);
    let start = 0;
    for (let i = 0; i < this.ends.length; i++) {
      updates[i] = this.bytes.slice(start, this.ends[i]);
      start = this.ends[i];
    }
    this.ends.length = 0;
    this.used = 0;
    if (this.bytes.byteLength > KEEP_BYTES) this.bytes = EMPTY;
    return updates;
  }

  /** Drops every update (the room is going away). */
  clear(): void {
    this.ends.length = 0;
    this.used = 0;
    this.bytes = EMPTY;
  }
}

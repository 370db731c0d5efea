// Turns for measurements that run side by side but must never overlap: the interleaved load
// rounds of the relay benchmark (relay.ts, RelayConfig.interleave). Every server's measurement
// runs concurrently with the others' (each has its own server and client processes, started
// together), and each step of it that loads the machine (connecting, each block of the warm-up and
// of phase 1, phase 2, the convergence check) waits for its turn in one fixed order.

/**
 * Steps of several parties in one fixed order: `take(party, step)` runs `step` once every turn
 * before the party's next one in `order` has been taken, and the next turn starts when `step`
 * settles. A party that stops early (its measurement failed) `leave`s, and its remaining turns are
 * skipped, so that the others do not wait for it.
 */
export class Turns<Party extends string> {
  private position = 0;
  private readonly gone = new Set<Party>();
  private readonly waiting = new Map<Party, () => void>();
  private readonly overWaiters: Array<() => void> = [];

  constructor(private readonly order: readonly Party[]) {}

  /** Runs `step` at the party's next turn; throws if the party has no turn left in the order. */
  async take<T>(party: Party, step: () => Promise<T>): Promise<T> {
    await this.turnOf(party);
    try {
      return await step();
    } finally {
      this.position++;
      this.wake();
    }
  }

  /** The party takes no more turns: the ones left are skipped. */
  leave(party: Party): void {
    this.gone.add(party);
    this.waiting.delete(party);
    this.wake();
  }

  /** Settles once every turn has been taken or skipped: parties wait here so that none stops its server while another measures. */
  over(): Promise<void> {
    this.skipGone();
    if (this.position >= this.order.length) return Promise.resolve();
    return new Promise((resolve) => this.overWaiters.push(resolve));
  }

  private turnOf(party: Party): Promise<void> {
    if (this.gone.has(party)) return Promise.reject(new Error(`${party} has left its turns`));
    this.skipGone();
    if (this.order[this.position] === party) return Promise.resolve();
    if (!this.order.slice(this.position).includes(party)) return Promise.reject(new Error(`${party} has no turn left`));
    if (this.waiting.has(party)) return Promise.reject(new Error(`${party} is already waiting for its turn`));
    return new Promise((resolve) => this.waiting.set(party, resolve));
  }

  private skipGone(): void {
    while (this.position < this.order.length && this.gone.has(this.order[this.position])) this.position++;
  }

  private wake(): void {
    this.skipGone();
    if (this.position >= this.order.length) {
      for (const resolve of this.overWaiters.splice(0)) resolve();
      return;
    }
    const next = this.order[this.position];
    const resolve = this.waiting.get(next);
    if (resolve === undefined) return;
    this.waiting.delete(next);
    resolve();
  }
}

/**
 * The order of `blocks` blocks per party, the parties forwards then backwards (A B B A A B …), so
 * that a machine that slowly speeds up or slows down favours no party: each pair of rounds is
 * balanced (with an odd count, as blocksPerServer gives, the last round is not: its parties' mean
 * positions differ by a fraction of a block).
 */
export function alternatingBlocks<Party extends string>(parties: readonly Party[], blocks: number): Party[] {
  const order: Party[] = [];
  for (let block = 0; block < blocks; block++) order.push(...(block % 2 === 0 ? parties : [...parties].reverse()));
  return order;
}

/**
 * Blocks per server of an interleaved phase of `ms` in blocks of about `blockMs`: always an odd
 * number, so that alternatingBlocks's sequence ends on another server than it began and every
 * server's span, from its first block to its last, holds as many of the others' blocks. With six,
 * A B B A … A, the first server's span held six of B's blocks and B's four of A's, and what the
 * first server burnt while idle counted 1.5× as long (docs/benchmarks.md, "A flaw of the span").
 */
export function blocksPerServer(ms: number, blockMs: number): number {
  const blocks = Math.max(1, Math.round(ms / blockMs));
  return blocks % 2 === 1 ? blocks : blocks + 1;
}

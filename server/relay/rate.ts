/**
 * A token bucket: `rate` tokens per second, holding at most `burst`. One per connection for
 * messages and one for presence; cheap enough to consult on every frame.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    // Date.now: one builtin call per frame, where performance.now goes through a JS wrapper; a
    // millisecond is fine enough for a rate limit, and a clock set back never adds tokens.
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = this.now();
  }

  /** When a token was last asked for (the clock's reading then): when the connection was last heard from. */
  get lastAsked(): number {
    return this.last;
  }

  /** Takes one token; false when the bucket is empty. */
  take(): boolean {
    const now = this.now();
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
      this.last = now;
    } else if (now < this.last) {
      this.last = now;
    }
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

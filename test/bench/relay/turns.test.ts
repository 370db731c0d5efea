import { describe, expect, it } from 'vitest';
import { alternatingBlocks, blocksPerServer, Turns } from './turns.ts';

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));

/** A party that takes its `steps` turns, logging when each step starts and ends. */
async function party(turns: Turns<string>, name: string, steps: number, log: string[]): Promise<void> {
  for (let i = 0; i < steps; i++) {
    await turns.take(name, async () => {
      log.push(`${name}${i}+`);
      await tick();
      log.push(`${name}${i}-`);
    });
  }
}

describe('Turns', () => {
  it('runs the steps of concurrent parties one at a time, in the given order', async () => {
    const turns = new Turns(['a', 'b', 'b', 'a', 'a', 'b']);
    const log: string[] = [];
    await Promise.all([party(turns, 'a', 3, log), party(turns, 'b', 3, log)]);
    expect(log).toEqual(['a0+', 'a0-', 'b0+', 'b0-', 'b1+', 'b1-', 'a1+', 'a1-', 'a2+', 'a2-', 'b2+', 'b2-']);
  });

  it('skips the turns of a party that left, and settles over() when all are done', async () => {
    const turns = new Turns(['a', 'b', 'a', 'b', 'a']);
    const log: string[] = [];
    let over = false;
    void turns.over().then(() => (over = true));
    const b = (async () => {
      await turns.take('b', async () => void log.push('b0'));
      turns.leave('b');
    })();
    await Promise.all([party(turns, 'a', 3, log), b]);
    await tick();
    expect(log).toEqual(['a0+', 'a0-', 'b0', 'a1+', 'a1-', 'a2+', 'a2-']);
    expect(over).toBe(true);
  });

  it('goes on after a step that throws', async () => {
    const turns = new Turns(['a', 'b']);
    await expect(turns.take('a', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(turns.take('b', async () => 'done')).resolves.toBe('done');
  });

  it('refuses a step beyond the party’s turns', async () => {
    const turns = new Turns(['a']);
    await turns.take('a', async () => undefined);
    await expect(turns.take('a', async () => undefined)).rejects.toThrow('no turn left');
  });
});

describe('alternatingBlocks', () => {
  it('balances the blocks of two servers against a steady drift', () => {
    const order = alternatingBlocks(['congvu', 'reference'], 6);
    expect(order.join(' ')).toBe('congvu reference reference congvu congvu reference reference congvu congvu reference reference congvu');
    const meanPosition = (name: string): number => {
      const positions = order.flatMap((p, i) => (p === name ? [i] : []));
      return positions.reduce((s, i) => s + i, 0) / positions.length;
    };
    expect(meanPosition('congvu')).toBe(meanPosition('reference'));
  });

  /** For each party, how many of the other parties' blocks lie between its first block and its last. */
  function othersInSpan(order: readonly string[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const party of new Set(order)) {
      const first = order.indexOf(party);
      const last = order.lastIndexOf(party);
      counts[party] = order.slice(first, last + 1).filter((p) => p !== party).length;
    }
    return counts;
  }

  it('gives every party a span holding as many of the others’ blocks when the rounds are odd', () => {
    expect(othersInSpan(alternatingBlocks(['a', 'b'], 7))).toEqual({ a: 6, b: 6 });
    expect(othersInSpan(alternatingBlocks(['a', 'b', 'c'], 7))).toEqual({ a: 12, b: 12, c: 12 });
    // With an even number the first party's span is the longer (what relay.ts's blocksOf avoids).
    expect(othersInSpan(alternatingBlocks(['a', 'b'], 6))).toEqual({ a: 6, b: 4 });
  });
});

describe('blocksPerServer', () => {
  it('cuts a phase into an odd number of blocks near the asked length', () => {
    expect(blocksPerServer(30_000, 5_000)).toBe(7);
    expect(blocksPerServer(3_000, 1_000)).toBe(3);
    expect(blocksPerServer(1_000, 5_000)).toBe(1);
  });
});

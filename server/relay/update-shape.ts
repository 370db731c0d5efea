/**
 * What the relay needs to know about a client's document update before it may store and forward
 * the update without applying it first (Relay's deferred integration): whether it decodes, which
 * clock range of each writer it brings, whether it deletes anything, and whether it is regular
 * (shaped as a client's own fresh edit is, so that applying it later cannot fail).
 *
 * Regular means: every struct is an Item of positive length, each writer appears once and without
 * gaps, and an Item's references to structs of its own writer (left and right neighbour at
 * insertion, parent) point to earlier clocks, as they always do in updates Yjs makes. Yjs trusts
 * that last rule when it integrates: an update that breaks it decodes but throws half-way through
 * Y.applyUpdate (found by mutating real updates at random; update-shape.test.ts keeps that search).
 * An update that is not regular is not refused for it: the relay applies it at once, as before.
 */
import * as Y from 'yjs';

export class MalformedUpdate extends Error {}

export interface UpdateShape {
  /** Per writer (Yjs client id): the first clock the update brings and the clock after its last. */
  readonly ranges: readonly (readonly [client: number, from: number, to: number])[];
  readonly deletes: boolean;
  readonly regular: boolean;
}

/** Decodes a Yjs v1 update; throws MalformedUpdate when it does not decode. */
export function updateShape(update: Uint8Array): UpdateShape {
  let decoded: { structs: (Y.Item | Y.GC | Y.Skip)[]; ds: { clients: Map<number, unknown[]> } };
  try {
    decoded = Y.decodeUpdate(update) as typeof decoded;
  } catch {
    throw new MalformedUpdate('update does not decode');
  }
  const ranges: [number, number, number][] = [];
  let regular = true;
  let current: [number, number, number] | null = null;
  for (const struct of decoded.structs) {
    const { client, clock } = struct.id;
    if (current === null || current[0] !== client) {
      if (ranges.some((range) => range[0] === client)) regular = false;
      current = [client, clock, clock];
      ranges.push(current);
    }
    if (!(struct instanceof Y.Item) || !(struct.length > 0) || clock !== current[2] || !referencesEarlier(struct)) regular = false;
    current[2] = clock + struct.length;
  }
  return { ranges, deletes: decoded.ds.clients.size > 0, regular };
}

function referencesEarlier(item: Y.Item): boolean {
  const { client, clock } = item.id;
  const parent = item.parent instanceof Y.ID ? item.parent : null;
  for (const ref of [item.origin, item.rightOrigin, parent]) {
    if (ref && ref.client === client && ref.clock >= clock) return false;
  }
  return true;
}

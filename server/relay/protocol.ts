/**
 * The y-websocket wire protocol as the relay reads it: every client frame is decoded and checked
 * here, completely, before anything acts on it, so a malformed frame is refused as a whole and can
 * never half-apply. Frames: `varUint type` then, for sync (0), `varUint subtype` (0 step 1 with a
 * state vector, 1 step 2 and 2 update, each with an update) and, for awareness (1), an awareness
 * update (`varUint n` × `clientID, clock, JSON state`). Query-awareness (3) is accepted; auth (2)
 * is only ever sent by servers.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;

/** A presence entry as it arrived: the state stays JSON text until someone needs it. */
export interface RawAwarenessEntry {
  readonly clientId: number;
  readonly clock: number;
  readonly stateJson: string;
}

/** A presence entry with its state parsed; null means the client left. */
export interface AwarenessEntry {
  readonly clientId: number;
  readonly clock: number;
  readonly state: Record<string, unknown> | null;
}

export type ClientMessage =
  | { readonly type: 'sync-step1'; readonly stateVector: Uint8Array }
  | { readonly type: 'sync-step2'; readonly update: Uint8Array }
  | { readonly type: 'sync-update'; readonly update: Uint8Array }
  | { readonly type: 'awareness'; readonly entries: readonly RawAwarenessEntry[]; readonly bytes: number }
  | { readonly type: 'query-awareness' };

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}

/** Largest number of awareness entries one frame may carry; a client speaks for itself only. */
const MAX_AWARENESS_ENTRIES = 16;

function readBytes(decoder: decoding.Decoder): Uint8Array {
  const length = decoding.readVarUint(decoder);
  // lib0 would throw a RangeError on an absurd length anyway; checking first gives a clear reason.
  if (length > decoder.arr.length - decoder.pos) throw new ProtocolError('length exceeds frame');
  return decoding.readUint8Array(decoder, length);
}

function expectEnd(decoder: decoding.Decoder): void {
  if (decoder.pos !== decoder.arr.length) throw new ProtocolError('trailing bytes after message');
}

/** Decodes one client frame or throws ProtocolError with the reason. */
export function decodeClientMessage(frame: Uint8Array): ClientMessage {
  try {
    const decoder = decoding.createDecoder(frame);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MESSAGE_SYNC: {
        const subtype = decoding.readVarUint(decoder);
        const payload = readBytes(decoder);
        expectEnd(decoder);
        if (subtype === SYNC_STEP1) return { type: 'sync-step1', stateVector: payload };
        if (subtype === SYNC_STEP2) return { type: 'sync-step2', update: payload };
        if (subtype === SYNC_UPDATE) return { type: 'sync-update', update: payload };
        throw new ProtocolError(`unknown sync message ${subtype}`);
      }
      case MESSAGE_AWARENESS: {
        const payload = readBytes(decoder);
        expectEnd(decoder);
        return { type: 'awareness', entries: decodeAwarenessUpdate(payload), bytes: payload.length };
      }
      case MESSAGE_QUERY_AWARENESS:
        expectEnd(decoder);
        return { type: 'query-awareness' };
      default:
        throw new ProtocolError(`unknown message type ${type}`);
    }
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    // lib0 signals truncation with plain Errors ("Unexpected end of array", RangeError, …).
    throw new ProtocolError(`malformed message: ${(error as Error).message}`);
  }
}

/**
 * Reads the entries of a presence frame. The JSON of each state is not parsed here: the stock
 * client echoes every peer's presence back to the server, and those echoes are dropped by id
 * without ever being parsed (see parseAwarenessState).
 */
function decodeAwarenessUpdate(update: Uint8Array): RawAwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  if (count > MAX_AWARENESS_ENTRIES) throw new ProtocolError('too many awareness entries');
  const entries: RawAwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const stateJson = decoding.readVarString(decoder);
    if (clientId > 0xffffffff || clock > Number.MAX_SAFE_INTEGER) throw new ProtocolError('awareness id out of range');
    entries.push({ clientId, clock, stateJson });
  }
  expectEnd(decoder);
  return entries;
}

/** Parses one presence state: a JSON object, or null for a client that left. */
export function parseAwarenessState(json: string): Record<string, unknown> | null {
  let state: unknown;
  try {
    state = JSON.parse(json);
  } catch {
    throw new ProtocolError('awareness state is not JSON');
  }
  if (state !== null && (typeof state !== 'object' || Array.isArray(state))) {
    throw new ProtocolError('awareness state must be an object or null');
  }
  return state as Record<string, unknown> | null;
}

export function encodeAwarenessUpdate(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, JSON.stringify(entry.state));
  }
  return encoding.toUint8Array(encoder);
}

function frame(type: number, subtype: number | null, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  if (subtype !== null) encoding.writeVarUint(encoder, subtype);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

export const syncStep1Frame = (stateVector: Uint8Array): Uint8Array => frame(MESSAGE_SYNC, SYNC_STEP1, stateVector);
export const syncStep2Frame = (update: Uint8Array): Uint8Array => frame(MESSAGE_SYNC, SYNC_STEP2, update);
export const updateFrame = (update: Uint8Array): Uint8Array => frame(MESSAGE_SYNC, SYNC_UPDATE, update);
export const awarenessFrame = (update: Uint8Array): Uint8Array => frame(MESSAGE_AWARENESS, null, update);

/**
 * An awareness frame with no entries: the stock client treats any message as a sign of life and
 * reconnects after 30 s of silence, so quiet connections (a lone viewer) get one of these.
 */
export const KEEPALIVE_FRAME: Uint8Array = awarenessFrame(new Uint8Array([0]));

/**
 * The SQLite store's update journal: an append-only file of length-prefixed, checksummed records,
 * one `write(2)` per relay tick, where accepted room updates become durable before the relay
 * forwards them. The store moves the records into its SQLite tables in batches, off the relay's
 * per-tick path, and truncates the file once they are there (sqlite.ts; docs/decisions.md,
 * "Relay updates: a journal in front of SQLite").
 *
 * Durability is the same as SQLite's WAL with synchronous=NORMAL, which the store uses: once the
 * write returns, the record is in the kernel's page cache, so killing the process loses nothing;
 * an OS crash or power cut can lose the last records, never corrupt what came before.
 *
 * Record: u32 payload length, u32 CRC-32 of the payload, payload = f64 id, f64 time (ms since the
 * epoch), u16 byte length of the room name, the room name (UTF-8), the update. Ids increase by one
 * per record across the life of the database (the store keeps the last id it moved into SQLite),
 * so a replay can tell which records are already there. A torn or corrupt record (a crash in the
 * middle of a write, or a power cut) ends the readable journal: it and everything after it are
 * dropped. Such a record was never acknowledged: the relay forwards an update only after its write
 * returned in full.
 */
import fs from 'node:fs';
import { crc32 } from 'node:zlib';

export interface JournalRecord {
  readonly id: number;
  /** When the update was accepted, ms since the epoch (becomes room_updates.created_at). */
  readonly at: number;
  readonly room: string;
  readonly update: Uint8Array;
}

const FRAME_HEADER = 8;
const PAYLOAD_HEADER = 18;
/** Larger lengths are treated as corruption (the relay's updates are bounded far below). */
const MAX_PAYLOAD = 1024 * 1024 * 1024;

/** Encodes records into one buffer, ready to be written with a single call. */
export function encodeRecords(records: readonly JournalRecord[], roomBytes: (room: string) => Buffer = encodeRoom): Buffer {
  let total = 0;
  const rooms: Buffer[] = [];
  for (const record of records) {
    const room = roomBytes(record.room);
    rooms.push(room);
    total += FRAME_HEADER + PAYLOAD_HEADER + room.length + record.update.byteLength;
  }
  const buffer = Buffer.allocUnsafe(total);
  let offset = 0;
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    const room = rooms[i];
    const payload = offset + FRAME_HEADER;
    const payloadLength = PAYLOAD_HEADER + room.length + record.update.byteLength;
    buffer.writeUInt32LE(payloadLength, offset);
    buffer.writeDoubleLE(record.id, payload);
    buffer.writeDoubleLE(record.at, payload + 8);
    buffer.writeUInt16LE(room.length, payload + 16);
    buffer.set(room, payload + PAYLOAD_HEADER);
    buffer.set(record.update, payload + PAYLOAD_HEADER + room.length);
    buffer.writeUInt32LE(crc32(buffer.subarray(payload, payload + payloadLength)), offset + 4);
    offset = payload + payloadLength;
  }
  return buffer;
}

function encodeRoom(room: string): Buffer {
  const bytes = Buffer.from(room, 'utf8');
  if (bytes.length > 0xffff) throw new RangeError('room name too long for the journal');
  return bytes;
}

/**
 * Reads every whole, intact record from the start of `data`, in order, and where the readable part
 * ends (the byte length of those records). Stops at the first torn or corrupt record.
 */
export function decodeRecords(data: Uint8Array): { records: JournalRecord[]; validBytes: number } {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const records: JournalRecord[] = [];
  let offset = 0;
  let lastId = -Infinity;
  while (offset + FRAME_HEADER <= buffer.length) {
    const payloadLength = buffer.readUInt32LE(offset);
    const payload = offset + FRAME_HEADER;
    if (payloadLength < PAYLOAD_HEADER || payloadLength > MAX_PAYLOAD || payload + payloadLength > buffer.length) break;
    const bytes = buffer.subarray(payload, payload + payloadLength);
    if (crc32(bytes) !== buffer.readUInt32LE(offset + 4)) break;
    const id = bytes.readDoubleLE(0);
    const at = bytes.readDoubleLE(8);
    const roomLength = bytes.readUInt16LE(16);
    // Ids only grow: anything else is not a record this journal wrote where it is.
    if (!Number.isSafeInteger(id) || id <= lastId || PAYLOAD_HEADER + roomLength > payloadLength) break;
    lastId = id;
    records.push({
      id,
      at,
      room: bytes.toString('utf8', PAYLOAD_HEADER, PAYLOAD_HEADER + roomLength),
      // A copy: the file's buffer is not kept alive by the updates.
      update: new Uint8Array(bytes.subarray(PAYLOAD_HEADER + roomLength)),
    });
    offset = payload + payloadLength;
  }
  return { records, validBytes: offset };
}

/** The open journal file of one process. Synchronous throughout: it is called inside the relay's flush. */
export class UpdateJournal {
  private fd: number;
  /** Bytes of whole records in the file: where the next record starts. */
  private size: number;
  /** A failed write could not be undone: the file must not be appended to any more. */
  private poisoned = false;
  /** Room names as UTF-8, for the rooms written lately (a relay tick writes a few of the same). */
  private readonly rooms = new Map<string, Buffer>();
  private readonly roomBytes = (room: string): Buffer => {
    let bytes = this.rooms.get(room);
    if (bytes === undefined) {
      bytes = encodeRoom(room);
      if (this.rooms.size >= 4096) this.rooms.clear();
      this.rooms.set(room, bytes);
    }
    return bytes;
  };

  private constructor(
    readonly path: string,
    fd: number,
    size: number,
  ) {
    this.fd = fd;
    this.size = size;
  }

  /**
   * Opens (creating) the journal at `path` and returns the intact records it holds. A torn or
   * corrupt tail is cut off the file, so new records follow the last intact one.
   */
  static open(path: string): { journal: UpdateJournal; records: JournalRecord[] } {
    const fd = fs.openSync(path, 'a+');
    try {
      const data = fs.readFileSync(fd);
      const { records, validBytes } = decodeRecords(data);
      if (validBytes < data.length) fs.ftruncateSync(fd, validBytes);
      return { journal: new UpdateJournal(path, fd, validBytes), records };
    } catch (error) {
      fs.closeSync(fd);
      throw error;
    }
  }

  get bytes(): number {
    return this.size;
  }

  get usable(): boolean {
    return !this.poisoned && this.fd >= 0;
  }

  /**
   * Appends the records with one write. When it throws, nothing of them is in the file (a partial
   * write is cut off again); if even that fails, `usable` turns false and the error is thrown.
   */
  append(records: readonly JournalRecord[]): void {
    if (!this.usable) throw new Error('the update journal is not usable');
    const buffer = encodeRecords(records, this.roomBytes);
    let written = 0;
    try {
      // The file is opened for appending: every write lands at its end.
      written = fs.writeSync(this.fd, buffer, 0, buffer.length);
      if (written !== buffer.length) throw new Error(`short write to the update journal (${written} of ${buffer.length} bytes)`);
    } catch (error) {
      try {
        fs.ftruncateSync(this.fd, this.size);
      } catch {
        this.poisoned = true;
      }
      throw error;
    }
    this.size += buffer.length;
  }

  /** Empties the file: every record in it is in SQLite. */
  reset(): void {
    if (this.fd < 0) return;
    fs.ftruncateSync(this.fd, 0);
    this.size = 0;
    this.poisoned = false;
  }

  close(): void {
    if (this.fd < 0) return;
    fs.closeSync(this.fd);
    this.fd = -1;
  }
}

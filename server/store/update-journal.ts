/**
 * The SQLite store's update journal: an append-only file of length-prefixed, checksummed records,
 * one copy into a shared memory mapping of the file (or, without server/native's addon, one
 * `pwrite(2)`) per relay tick, where accepted room updates become durable before the relay
 * forwards them. The store moves the records into its SQLite tables in batches, off the relay's
 * per-tick path, and empties the journal once they are there (sqlite.ts; docs/decisions.md,
 * "Relay updates: a journal in front of SQLite").
 *
 * Durability is the same as SQLite's WAL with synchronous=NORMAL, which the store uses: once the
 * copy or write returns, the record is in the kernel's page cache (a shared mapping's pages are the
 * file's), so killing the process loses nothing;
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
import { journalMapAddon } from './journal-map.ts';

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

/**
 * Bytes the journal file is allocated and mapped with, where the addon is there: twice the most
 * the store lets it hold before moving the records into SQLite (sqlite.ts, MOVE_AT_BYTES). A batch
 * that does not fit any more is written after the mapping with pwrite(2).
 */
export const MAPPED_BYTES = 16 * 1024 * 1024;

export interface JournalOptions {
  /** Map the file when the addon is there (default); false always writes with pwrite(2). */
  readonly map?: boolean;
}

/**
 * The open journal file of one process. Synchronous throughout: it is called inside the relay's flush.
 *
 * Two ways to write, the same file format and durability: mapped (Linux, where server/native was
 * built: the file is allocated to MAPPED_BYTES and records are copied into a shared mapping, so a
 * record costs no system call), or with pwrite(2) at the end of the records. Mapped, the file keeps
 * its size: the records end where a zero length follows them (written after every append) or where
 * an older record, with a smaller id, or a torn one begins; reset() only writes that zero length at
 * the start.
 */
export class UpdateJournal {
  private fd: number;
  /** Bytes of whole records in the file: where the next record starts. */
  private size: number;
  /** A failed write could not be undone: the file must not be appended to any more. */
  private poisoned = false;
  /** The shared mapping of the file's first MAPPED_BYTES, when mapped. */
  private map: Buffer | undefined;
  /** Mapped, and records were written past the mapping: reset() cuts the file back. */
  private grown = false;
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
    map: Buffer | undefined,
    grown: boolean,
  ) {
    this.fd = fd;
    this.size = size;
    this.map = map;
    this.grown = grown;
  }

  /**
   * Opens (creating) the journal at `path` and returns the intact records it holds. New records
   * follow the last intact one: a torn or corrupt tail is cut off (write mode) or ended with a zero
   * length (mapped).
   */
  static open(path: string, options: JournalOptions = {}): { journal: UpdateJournal; records: JournalRecord[] } {
    const fd = fs.openSync(path, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600);
    try {
      const addon = options.map === false ? null : journalMapAddon();
      let map: Buffer | undefined;
      // Earlier records may have gone past the mapping (see append).
      const grown = addon !== null && fs.fstatSync(fd).size > MAPPED_BYTES;
      if (addon) {
        try {
          if (!grown) addon.allocate(fd, MAPPED_BYTES);
          map = Buffer.from(addon.map(fd, MAPPED_BYTES));
        } catch {
          // No room on the disk for the whole mapping (or no mapping here): write with pwrite(2).
        }
      }
      if (map) {
        const { records, validBytes } = decodeRecords(grown ? fs.readFileSync(fd) : map);
        const journal = new UpdateJournal(path, fd, validBytes, map, grown);
        journal.endAt(validBytes);
        return { journal, records };
      }
      const data = fs.readFileSync(fd);
      const { records, validBytes } = decodeRecords(data);
      if (validBytes < data.length) fs.ftruncateSync(fd, validBytes);
      return { journal: new UpdateJournal(path, fd, validBytes, undefined, false), records };
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

  /** Whether records are copied into a mapping of the file (else written with pwrite(2)). */
  get mapped(): boolean {
    return this.map !== undefined;
  }

  /**
   * Appends the records. When it throws, nothing of them is in the journal (a partial write is cut
   * off again); if even that fails, `usable` turns false and the error is thrown.
   */
  append(records: readonly JournalRecord[]): void {
    if (!this.usable) throw new Error('the update journal is not usable');
    const buffer = encodeRecords(records, this.roomBytes);
    const end = this.size + buffer.length;
    const map = this.map;
    if (map && end + FRAME_HEADER <= map.length) {
      // A copy into the page cache: nothing to fail but the process, which loses only this batch
      // (torn, so never read back), and the batch was not acknowledged yet.
      map.set(buffer, this.size);
      map.fill(0, end, end + FRAME_HEADER);
      this.size = end;
      return;
    }
    try {
      const written = fs.writeSync(this.fd, buffer, 0, buffer.length, this.size);
      if (written !== buffer.length) throw new Error(`short write to the update journal (${written} of ${buffer.length} bytes)`);
      if (map) this.grown = true;
    } catch (error) {
      try {
        this.endAt(this.size);
      } catch {
        this.poisoned = true;
      }
      throw error;
    }
    this.size = end;
  }

  /** Makes `offset` the end of the readable journal: a zero length there (mapped), or the file's end. */
  private endAt(offset: number): void {
    const map = this.map;
    if (!map) return fs.ftruncateSync(this.fd, offset);
    if (offset + FRAME_HEADER <= map.length) return void map.fill(0, offset, offset + FRAME_HEADER);
    // Too near the mapping's end for a whole zero length: what is left of it is too short to hold
    // a record. Never below the mapping: a page of it past the file's end would kill the process.
    if (offset < map.length) map.fill(0, offset);
    fs.ftruncateSync(this.fd, Math.max(offset, map.length));
  }

  /** Empties the journal: every record in it is in SQLite. */
  reset(): void {
    if (this.fd < 0) return;
    if (this.map) {
      if (this.grown) fs.ftruncateSync(this.fd, MAPPED_BYTES);
      this.grown = false;
      this.map.fill(0, 0, FRAME_HEADER);
    } else {
      fs.ftruncateSync(this.fd, 0);
    }
    this.size = 0;
    this.poisoned = false;
  }

  close(): void {
    if (this.fd < 0) return;
    fs.closeSync(this.fd);
    this.fd = -1;
    // The mapping goes when the garbage collector takes the buffer.
    this.map = undefined;
  }
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { journalMapAddon } from './journal-map.ts';
import { readJournal, tearLastRecord } from './journal.test-support.ts';
import { decodeRecords, encodeRecords, type JournalRecord, MAPPED_BYTES, UpdateJournal } from './update-journal.ts';

const dirs: string[] = [];
function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'congvu-journal-'));
  dirs.push(dir);
  return path.join(dir, 'congvu.db.relay-journal');
}
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function records(from: number, count: number): JournalRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    id: from + i,
    at: 1_764_000_000_000 + i,
    room: i % 2 === 0 ? `doc:${from + i}` : `doc:${from + i}:comments — bình luận`,
    update: Uint8Array.from({ length: 1 + ((from + i) % 40) }, (_, k) => (k * 7 + i) & 0xff),
  }));
}

const plain = (list: readonly JournalRecord[]) => list.map((r) => ({ ...r, update: [...r.update] }));

describe('update journal records', () => {
  it('stops at a record whose checksum does not match, and at garbage after the last record', () => {
    const data = encodeRecords(records(1, 6));
    const { records: all, validBytes } = decodeRecords(data);
    expect(all).toHaveLength(6);
    expect(validBytes).toBe(data.length);
    // Flip one byte of the fourth record's update.
    const fourth = encodeRecords(records(1, 3)).length;
    const damaged = Buffer.from(data);
    damaged[fourth + 30] ^= 0x40;
    const cut = decodeRecords(damaged);
    expect(plain(cut.records)).toEqual(plain(records(1, 3)));
    expect(cut.validBytes).toBe(fourth);
    // Zeros (a file extended by a power cut before its data reached the disk) and random bytes.
    expect(decodeRecords(Buffer.concat([data, Buffer.alloc(64)])).records).toHaveLength(6);
    const noise = Buffer.from(Array.from({ length: 200 }, (_, i) => (i * 131 + 17) & 0xff));
    expect(decodeRecords(Buffer.concat([data, noise])).records).toHaveLength(6);
  });

  it('stops where the ids stop growing: such a record was not written after the ones before it', () => {
    const data = Buffer.concat([encodeRecords(records(1, 3)), encodeRecords(records(2, 2))]);
    expect(decodeRecords(data).records.map((r) => r.id)).toEqual([1, 2, 3]);
  });
});

describe('the journal mapping (server/native)', () => {
  it('is built and loaded on Linux, where the server runs in production and in CI', () => {
    if (process.platform !== 'linux') return expect(journalMapAddon()).toBeNull();
    const addon = journalMapAddon();
    expect(addon).not.toBeNull();
    const file = tempFile();
    const fd = fs.openSync(file, 'w+');
    try {
      addon!.allocate(fd, 8192);
      const map = Buffer.from(addon!.map(fd, 8192));
      map.write('xin chào', 100);
      // The mapping is the file: a plain read sees the copy at once.
      expect(fs.readFileSync(file).toString('utf8', 100, 100 + Buffer.byteLength('xin chào'))).toBe('xin chào');
      expect(() => addon!.map(-1, 10)).toThrow(/fd >= 0/);
      expect(() => addon!.map(fd, 0)).toThrow(/length > 0/);
      expect(() => addon!.map(987_654, 4096)).toThrow(/Bad file descriptor/);
    } finally {
      fs.closeSync(fd);
    }
  });
});

describe.each([
  { mode: 'mapped', map: true },
  { mode: 'pwrite(2)', map: false },
])('update journal ($mode)', ({ map }) => {
  const open = (file: string) => UpdateJournal.open(file, { map });

  it('writes the way it was asked to', () => {
    const { journal } = open(tempFile());
    expect(journal.mapped).toBe(map && journalMapAddon() !== null);
    journal.close();
  });

  it('reads back every record it wrote, in order, across several appends', () => {
    const file = tempFile();
    const { journal, records: none } = open(file);
    expect(none).toEqual([]);
    const written = [...records(1, 3), ...records(4, 1), ...records(5, 10)];
    journal.append(written.slice(0, 3));
    journal.append(written.slice(3, 4));
    journal.append(written.slice(4));
    // Readable by another process before any close (the relay forwards right after append returns).
    expect(plain(readJournal(file))).toEqual(plain(written));
    journal.close();
    const again = open(file);
    expect(plain(again.records)).toEqual(plain(written));
    expect(again.journal.bytes).toBe(encodeRecords(written).length);
    again.journal.close();
  });

  it('drops a torn last record, keeps the ones before, and appends after them', () => {
    const file = tempFile();
    const first = open(file).journal;
    first.append(records(1, 5));
    first.append(records(6, 1));
    first.close();
    // A write cut short by a crash: the last record lacks its final bytes.
    if (map) tearLastRecord(file, 3);
    else fs.truncateSync(file, fs.statSync(file).size - 3);
    const second = open(file);
    expect(plain(second.records)).toEqual(plain(records(1, 5)));
    // The next record follows the last intact one, over the torn bytes.
    second.journal.append(records(7, 2));
    second.journal.close();
    expect(plain(open(file).records)).toEqual(plain([...records(1, 5), ...records(7, 2)]));
  });

  it('reset empties the journal; records appended afterwards are all it holds, never the older ones after them', () => {
    const file = tempFile();
    const { journal } = open(file);
    journal.append(records(1, 40));
    journal.reset();
    expect(readJournal(file)).toEqual([]);
    // The mapped file keeps its allocated size; the written one is emptied.
    expect(fs.statSync(file).size).toBe(journal.mapped ? MAPPED_BYTES : 0);
    journal.append(records(41, 2));
    journal.close();
    // Mapped, the bytes of records 3-40 are still in the file behind the new ones, and stay unread.
    expect(plain(open(file).records)).toEqual(plain(records(41, 2)));
  });

  it('a failed append leaves nothing of itself in the file', () => {
    const file = tempFile();
    const { journal } = open(file);
    journal.append(records(1, 2));
    const tooLong = [{ id: 3, at: 0, room: 'x'.repeat(70_000), update: Uint8Array.of(1) }];
    expect(() => journal.append(tooLong)).toThrow(/too long/);
    expect(journal.usable).toBe(true);
    journal.append(records(4, 1));
    journal.close();
    expect(open(file).records.map((r) => r.id)).toEqual([1, 2, 4]);
  });

  it('a batch larger than what is left of the mapping is written after it, read back, and cut off again by reset', () => {
    const file = tempFile();
    const { journal } = open(file);
    journal.append(records(1, 3));
    const big = { id: 4, at: 0, room: 'doc:big', update: new Uint8Array(MAPPED_BYTES).fill(7) };
    journal.append([big]);
    journal.append(records(5, 2));
    expect(fs.statSync(file).size).toBeGreaterThan(MAPPED_BYTES);
    journal.close();
    const again = open(file);
    expect(again.records.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(again.records[3].update.byteLength).toBe(MAPPED_BYTES);
    again.journal.reset();
    expect(fs.statSync(file).size).toBe(again.journal.mapped ? MAPPED_BYTES : 0);
    again.journal.append(records(7, 1));
    again.journal.close();
    expect(open(file).records.map((r) => r.id)).toEqual([7]);
  });
});

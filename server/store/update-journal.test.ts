import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeRecords, encodeRecords, type JournalRecord, UpdateJournal } from './update-journal.ts';

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

describe('update journal', () => {
  it('reads back every record it wrote, in order, across several appends', () => {
    const file = tempFile();
    const { journal, records: none } = UpdateJournal.open(file);
    expect(none).toEqual([]);
    const written = [...records(1, 3), ...records(4, 1), ...records(5, 10)];
    journal.append(written.slice(0, 3));
    journal.append(written.slice(3, 4));
    journal.append(written.slice(4));
    journal.close();
    const again = UpdateJournal.open(file);
    expect(plain(again.records)).toEqual(plain(written));
    expect(again.journal.bytes).toBe(fs.statSync(file).size);
    again.journal.close();
  });

  it('drops a torn last record, keeps the ones before, and appends after them', () => {
    const file = tempFile();
    const first = UpdateJournal.open(file).journal;
    first.append(records(1, 5));
    first.append(records(6, 1));
    first.close();
    // A write cut short by a crash: the last record lacks its final bytes.
    const whole = fs.statSync(file).size;
    fs.truncateSync(file, whole - 3);
    const second = UpdateJournal.open(file);
    expect(plain(second.records)).toEqual(plain(records(1, 5)));
    // The torn bytes are gone from the file, so the next record follows an intact one.
    second.journal.append(records(7, 2));
    second.journal.close();
    expect(plain(UpdateJournal.open(file).records)).toEqual(plain([...records(1, 5), ...records(7, 2)]));
  });

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

  it('reset empties the file; records appended afterwards are all it holds', () => {
    const file = tempFile();
    const { journal } = UpdateJournal.open(file);
    journal.append(records(1, 4));
    journal.reset();
    expect(fs.statSync(file).size).toBe(0);
    journal.append(records(5, 2));
    journal.close();
    expect(plain(UpdateJournal.open(file).records)).toEqual(plain(records(5, 2)));
  });

  it('a failed append leaves nothing of itself in the file', () => {
    const file = tempFile();
    const { journal } = UpdateJournal.open(file);
    journal.append(records(1, 2));
    const tooLong = [{ id: 3, at: 0, room: 'x'.repeat(70_000), update: Uint8Array.of(1) }];
    expect(() => journal.append(tooLong)).toThrow(/too long/);
    expect(journal.usable).toBe(true);
    journal.append(records(4, 1));
    journal.close();
    expect(UpdateJournal.open(file).records.map((r) => r.id)).toEqual([1, 2, 4]);
  });
});

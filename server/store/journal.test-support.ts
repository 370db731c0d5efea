/** Reading and damaging an update journal file the way a crash would, for the journal's and the SQLite store's tests. */
import fs from 'node:fs';
import { decodeRecords, type JournalRecord } from './update-journal.ts';

/** The records a fresh reader finds in the file. */
export function readJournal(file: string): JournalRecord[] {
  return decodeRecords(fs.readFileSync(file)).records;
}

/**
 * Damages the last `bytes` bytes of the last intact record, as a write cut short by a crash leaves
 * it; works whether the file is mapped (it keeps its size) or written (it ends with the records).
 */
export function tearLastRecord(file: string, bytes: number): void {
  const { validBytes } = decodeRecords(fs.readFileSync(file));
  const fd = fs.openSync(file, 'r+');
  try {
    const tail = Buffer.alloc(bytes);
    fs.readSync(fd, tail, 0, bytes, validBytes - bytes);
    for (let i = 0; i < bytes; i++) tail[i] ^= 0xa5;
    fs.writeSync(fd, tail, 0, bytes, validBytes - bytes);
  } finally {
    fs.closeSync(fd);
  }
}

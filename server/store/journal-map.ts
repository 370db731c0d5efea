/**
 * Loads server/native's addon (journal_map.c): a shared, writable memory mapping of the update
 * journal, so that making an update durable is a copy into the page cache instead of a write(2)
 * per relay tick. Optional: null where it was not built (not Linux, no compiler at install); the
 * journal then writes with pwrite(2), as it does with CONGVU_JOURNAL_MMAP=0 (config.ts).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface JournalMapAddon {
  /** posix_fallocate(fd, 0, length): the file's blocks exist, so later copies never hit a full disk. */
  allocate(fd: number, length: number): void;
  /** A MAP_SHARED, read-write mapping of the file's first `length` bytes (unmapped when collected). */
  map(fd: number, length: number): ArrayBuffer;
}

/** Where node-gyp puts the addon, from the repository's root. */
const ADDON = 'server/native/build/Release/journal_map.node';

let addon: JournalMapAddon | null | undefined;

export function journalMapAddon(): JournalMapAddon | null {
  if (addon !== undefined) return addon;
  addon = null;
  if (process.platform !== 'linux') return addon;
  // This module runs from server/store, from the server's bundle (dist/server) or from a
  // benchmark's bundle (dist/bench/<name>): the root is a few folders up.
  const require = createRequire(import.meta.url);
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 4; up++, dir = path.dirname(dir)) {
    const file = path.join(dir, ADDON);
    if (!fs.existsSync(file)) continue;
    addon = require(file) as JournalMapAddon;
    break;
  }
  return addon;
}

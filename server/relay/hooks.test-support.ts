/** A real SQLite store in a temporary folder, for the hook modules' tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../store/open.ts';
import type { Store } from '../store/store.ts';

export async function temporaryStore(): Promise<{ store: Store; dispose(): Promise<void> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'congvu-hooks-'));
  const store = await openStore(`sqlite:${path.join(dir, 'congvu.db')}`);
  return {
    store,
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

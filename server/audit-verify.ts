/**
 * `npm run audit:verify`: recomputes the audit log's hash chain in the store named by the
 * environment (CONGVU_DATABASE_URL or CONGVU_DATA_DIR, as the server reads them), prints the result
 * as one JSON object, and exits 1 when an entry does not verify, naming the first one; 2 when the
 * store cannot be opened or read.
 */
import { loadConfig } from './config.ts';
import { openStore } from './store/open.ts';

async function main(): Promise<number> {
  const config = loadConfig();
  const store = await openStore(config.databaseUrl);
  try {
    const result = await store.verifyAuditChain();
    process.stdout.write(`${JSON.stringify(result)}\n`);
    if (!result.ok && result.firstBroken) {
      process.stderr.write(`audit log broken at entry ${result.firstBroken.seq} (${result.firstBroken.reason}): ${result.firstBroken.message}\n`);
    }
    return result.ok ? 0 : 1;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`audit verification failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);

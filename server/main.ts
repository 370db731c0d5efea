/**
 * `npm run server`: the server in the foreground, configured from the environment, logging one
 * JSON object per line. SIGTERM and SIGINT stop it cleanly: no new connections, every received
 * update made durable, connections closed with 1001.
 */
import { pino } from 'pino';
import { startServer } from './app.ts';
import { loadConfig } from './config.ts';

const log = pino({ level: process.env.CONGVU_LOG_LEVEL || 'info', base: { service: 'congvu' } });

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    log.fatal({ err: error }, (error as Error).message);
    process.exit(2);
  }
  const server = await startServer(config, log);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'unclean stop');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  log.fatal({ err: error }, 'server failed to start');
  process.exit(1);
});

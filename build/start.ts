/**
 * `npm start` and `npm run dev` (CONTRACT.md, "Commands"). Builds what is stale (the web app with
 * Vite, the main process with esbuild), starts the server in this process on the embedded store
 * with the demo workspace (`CONGVU_DEMO=1` unless set otherwise), then opens the desktop app
 * pointed at that server. Where Electron cannot start (no binary, no display, a crash at launch)
 * it says why in one line and keeps serving the same app at the printed address for a browser,
 * until Ctrl-C. Closing the desktop window stops everything.
 *
 * `--dev` (`npm run dev`): the page comes from Vite's dev server with hot reload (API and sync
 * proxied to the server, so the browser address works too), and a change under electron/ or
 * common/ rebuilds the main process and restarts the window.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { pino } from 'pino';
import { startServer, type RunningServer } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { displayProblem, electronSwitches, findElectronBinary } from './electron-binary.ts';
import { bundleElectron } from './electron-bundle.ts';
import { ROOT } from './paths.ts';
import { rendererState, viteBuild } from './renderer-build.ts';

const dev = process.argv.includes('--dev');
/** A launch that ends with an error this soon counts as "Electron cannot start here". */
const LAUNCH_GRACE_MS = 15_000;

const say = (line: string) => process.stdout.write(`${line}\n`);

interface DevServer {
  readonly url: string;
  close(): Promise<void>;
}

async function startViteDevServer(serverUrl: string): Promise<DevServer> {
  const { createServer } = await import('vite');
  const vite = await createServer({
    configFile: path.join(ROOT, 'vite.config.ts'),
    mode: 'development',
    server: {
      host: '127.0.0.1',
      proxy: {
        '/api': serverUrl,
        '/healthz': serverUrl,
        '/sync': { target: serverUrl.replace(/^http/, 'ws'), ws: true },
      },
    },
  });
  await vite.listen();
  const url = (vite.resolvedUrls?.local[0] ?? 'http://127.0.0.1:5173/').replace(/\/$/, '');
  return { url, close: () => vite.close() };
}

async function main(): Promise<void> {
  // 1. The web app, unless Vite serves it live or CONGVU_WEB_ROOT names a build to serve as it is.
  if (!dev && !process.env.CONGVU_WEB_ROOT) {
    const state = rendererState();
    if (state !== 'fresh') {
      say(state === 'missing' ? 'Building the web app (vite build)…' : 'The web app is older than its sources: rebuilding (vite build)…');
      if (!(await viteBuild())) {
        if (state === 'missing') {
          say('The web app could not be built: "vite build" failed (its errors are above). Fix them and run "npm start" again.');
          process.exit(1);
        }
        say('"vite build" failed (its errors are above); serving the previous build of the web app.');
      }
    }
  }

  // 2. The main process bundle (fast; always rebuilt so it never lags behind electron/).
  const electronDir = await bundleElectron();

  // 3. The server, in this process.
  // Synchronous, so the server's lines and ours appear in the order they happen.
  const log = pino({ level: process.env.CONGVU_LOG_LEVEL || 'info', base: { service: 'congvu' } }, pino.destination({ sync: true }));
  let server: RunningServer;
  try {
    server = await startServer(loadConfig({ ...process.env, CONGVU_DEMO: process.env.CONGVU_DEMO ?? '1' }), log);
  } catch (error) {
    const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    say(
      inUse
        ? `The server could not start: ${(error as Error).message} (is another Congvu server running? CONGVU_PORT=0 picks a free port)`
        : `The server could not start: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  }
  const devServer = dev ? await startViteDevServer(server.url) : undefined;
  const appUrl = devServer?.url ?? server.url;

  let electron: ChildProcess | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (electron && electron.exitCode === null) electron.kill('SIGTERM');
    await devServer?.close();
    await server.close();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  const keepServing = (why: string) => say(`${why}; open the app at ${appUrl} (Ctrl-C stops the server)`);

  // 4. The desktop app.
  const binary = findElectronBinary();
  if (!binary.found) {
    keepServing(`Electron is not installed on this machine (${binary.reason}; run "npm run electron:install" where the network allows)`);
    return;
  }
  const noDisplay = displayProblem();
  if (noDisplay) {
    keepServing(`Electron cannot open a window here: ${noDisplay}`);
    return;
  }
  const switches = electronSwitches();
  if (switches.includes('--no-sandbox')) say('Running as root: Electron starts with --no-sandbox (Chromium refuses its sandbox for root).');

  const launch = () => {
    const startedAt = Date.now();
    const child = spawn(binary.path, [...switches, electronDir], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, CONGVU_SERVER_URL: server.url, ...(devServer ? { CONGVU_RENDERER_URL: devServer.url } : {}) },
    });
    electron = child;
    child.once('error', (error) => keepServing(`Electron could not start: ${error.message}`));
    child.once('exit', (code, signal) => {
      if (stopping || electron !== child) return;
      electron = undefined;
      if (code !== 0 && Date.now() - startedAt < LAUNCH_GRACE_MS) {
        keepServing(`Electron could not start (exit ${signal ?? code})`);
        return;
      }
      say(code === 0 ? 'The desktop app was closed; stopping the server.' : `The desktop app ended (exit ${signal ?? code}); stopping the server.`);
      void stop(code === 0 ? 0 : 1);
    });
    say(`Congvu desktop (Electron ${binary.version}) is opening, connected to ${server.url}${devServer ? `, page from ${devServer.url}` : ''}.`);
  };
  launch();

  if (dev) {
    // Restart the window when the main process or the preload changes.
    const { context } = await import('esbuild');
    const watcher = await context({
      entryPoints: ['electron/main.ts', 'electron/preload.ts'],
      absWorkingDir: ROOT,
      bundle: true,
      write: false,
      external: ['electron'],
      logLevel: 'silent',
      plugins: [
        {
          name: 'restart-electron',
          setup(build) {
            let first = true;
            build.onEnd(async (result) => {
              if (first || result.errors.length > 0) {
                first = false;
                return;
              }
              await bundleElectron();
              say('electron/ changed: restarting the desktop window.');
              const old = electron;
              electron = undefined;
              old?.kill('SIGTERM');
              launch();
            });
          },
        },
      ],
    });
    await watcher.watch();
  }
}

main().catch((error: unknown) => {
  say(`npm start failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});

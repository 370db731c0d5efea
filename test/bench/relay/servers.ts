// One adapter per server under test: how to start it in its own process (so its CPU and memory
// can be read from /proc), how to prepare rooms a client may join, and how a client connects.
//
// - congvu: our server as it ships (`npm run server`: the esbuild bundle under plain node), on a fresh data directory with the
//   demo workspace. Authentication, access checks and durable SQLite storage are all on: every
//   room is a real document, shared with the demo agency, joined with real tokens.
// - reference: the stock @y/websocket-server 0.1.1 bin, in memory (YPERSISTENCE unset).
// - hocuspocus: @hocuspocus/server 3.4.4 without extensions (in memory), with its own client.
// - variant (only with BENCH_VARIANT=<checkout>): our server as another checkout of the repository
//   builds and starts it (say, a git worktree holding a change), otherwise exactly like congvu: for
//   measuring a change against the code as it is, side by side (docs/benchmarks.md).
//
// All of them run under plain `node`: TypeScript entries (ours and the Hocuspocus launcher) are
// bundled with esbuild first, so no loader's memory or start-up cost is in any baseline.
// Ours and the reference are spoken to with the stock y-websocket client, Hocuspocus with its provider.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { onAbruptExit, stopChild, track } from '../children.ts';
import type { ServerKind, Target } from './protocol.ts';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const require = createRequire(import.meta.url);

// ————————————————————————————————————————————— servers ————————————————————————————————————————————

/** A room prepared on a server, with the tokens its clients take in turn. */
export interface RoomTicket {
  readonly room: string;
  readonly tokens: readonly string[];
}

/** What the server wrote to stdout/stderr: kept for the report, never parsed for figures. */
export interface ServerLog {
  readonly warnings: number;
  readonly errors: number;
  /** The first few warning/error lines, verbatim. */
  readonly notable: readonly string[];
  /** The last lines of output. */
  readonly tail: readonly string[];
  /** How often each JSON log message ("msg") appeared, e.g. connection closes. */
  readonly messages: Readonly<Record<string, number>>;
}

export interface RunningServer {
  readonly kind: ServerKind;
  readonly pid: number;
  readonly target: Target;
  /** Creates `count` rooms (for Congvu: documents shared with the agency as editor). */
  prepareRooms(count: number, title: string): Promise<RoomTicket[]>;
  log(): ServerLog;
  /** The server's own view, where it offers one (Congvu's /metrics): samples by full name. */
  metrics?(): Promise<Map<string, number>>;
  stop(): Promise<void>;
}

export interface ServerAdapter {
  readonly kind: ServerKind;
  readonly description: string;
  start(): Promise<RunningServer>;
}

const demoUsers = ['an.nguyen', 'binh.tran', 'cuong.pham', 'chi.le'] as const;
const demoAgency = 'stttt-ninhbinh';
const demoPassword = 'congvu-demo';

/** Environment without anything that would switch a server to another mode or store. */
function cleanEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('CONGVU_') || key === 'YPERSISTENCE' || key.startsWith('CALLBACK_')) delete env[key];
  }
  return { ...env, ...extra };
}

class OutputWatcher {
  private readonly lines: string[] = [];
  private readonly notable: string[] = [];
  private warnings = 0;
  private errors = 0;
  private readonly messages: Record<string, number> = {};
  private readonly waiters: Array<(line: string) => boolean> = [];

  constructor(child: ChildProcess) {
    for (const stream of [child.stdout, child.stderr]) {
      if (stream === null) continue;
      createInterface({ input: stream }).on('line', (line) => this.onLine(line, stream === child.stderr));
    }
  }

  private onLine(line: string, fromStderr: boolean): void {
    this.lines.push(line);
    // BENCH_SERVER_LOG=<file>: every server's output, each line after its time in ms (to read a
    // variant's --trace-opt or --trace-gc against the phases).
    if (process.env.BENCH_SERVER_LOG) appendFileSync(process.env.BENCH_SERVER_LOG, `${Date.now()} ${line}\n`);
    if (this.lines.length > 200) this.lines.shift();
    const msg = /"msg":"([^"]{1,80})"/.exec(line);
    if (msg !== null) this.messages[msg[1]] = (this.messages[msg[1]] ?? 0) + 1;
    const level = /"level":\s*(\d+)/.exec(line);
    const severity = level !== null ? Number(level[1]) : fromStderr ? 50 : 30;
    const isError = severity >= 50 || /"level":\s*"(error|fatal)"/.test(line);
    const isWarning = !isError && (severity >= 40 || /"level":\s*"warn/.test(line));
    if (isError) this.errors++;
    if (isWarning) this.warnings++;
    if ((isError || isWarning) && this.notable.length < 20) this.notable.push(line.slice(0, 500));
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.waiters[i](line)) this.waiters.splice(i, 1);
    }
  }

  /** Resolves with the first line (from now on) for which `match` returns a value. */
  waitFor<T>(match: (line: string) => T | undefined, child: ChildProcess, timeoutMs: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => fail(`no ${what} within ${timeoutMs} ms`), timeoutMs);
      const onExit = (code: number | null, signal: NodeJS.Signals | null): void =>
        fail(`exited (code ${code}, signal ${signal}) before ${what}`);
      const fail = (why: string): void => {
        clearTimeout(timer);
        child.off('exit', onExit);
        reject(new Error(`${why}; last output:\n${this.lines.slice(-25).join('\n')}`));
      };
      child.once('exit', onExit);
      this.waiters.push((line) => {
        const value = match(line);
        if (value === undefined) return false;
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve(value);
        return true;
      });
    });
  }

  snapshot(): ServerLog {
    return { warnings: this.warnings, errors: this.errors, notable: [...this.notable], tail: this.lines.slice(-30), messages: { ...this.messages } };
  }
}

function listeningUrl(line: string): string | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed === 'object' && parsed !== null && 'msg' in parsed && 'url' in parsed) {
      const { msg, url } = parsed as { msg: unknown; url: unknown };
      if (msg === 'listening' && typeof url === 'string') return url;
    }
  } catch {
    // not JSON: some other output
  }
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Bundles a TypeScript entry into plain JavaScript under dist/bench (dependencies stay external). */
async function bundle(entry: string, name: string, root = repoRoot): Promise<string> {
  const { build } = await import('esbuild');
  const outdir = join(root, 'dist', 'bench', name);
  await build({
    entryPoints: [join(root, entry)],
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outdir,
    logLevel: 'warning',
  });
  const base = entry.split('/').pop()!.replace(/\.ts$/, '.js');
  return join(outdir, base);
}

/** Node flags that make a server write a V8 CPU profile into `dir` when it is stopped. */
function profileFlags(dir: string): string[] {
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--import', pathToFileURL(join(repoRoot, 'test/bench/relay/profile-exit.mjs')).href];
}

function extraNodeFlags(): string[] {
  return (process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
}

/** `exitWithParent`: our own launcher listens for the IPC channel closing; the others get none. */
function spawnServer(entry: string, env: NodeJS.ProcessEnv, exitWithParent = false, nodeFlags: readonly string[] = []): ChildProcess {
  return track(
    // BENCH_PROFILE_DIR=<dir>: each server writes a V8 CPU profile there, to see where time goes.
    // BENCH_NODE_FLAGS: more Node flags for every server (--trace-gc, --perf-basic-prof for perf).
    spawn(process.execPath, [...nodeFlags, ...extraNodeFlags(), ...(process.env.BENCH_PROFILE_DIR ? profileFlags(process.env.BENCH_PROFILE_DIR) : []), entry], {
      cwd: repoRoot,
      env,
      stdio: exitWithParent ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    }),
  );
}

function basicServer(kind: ServerKind, child: ChildProcess, watcher: OutputWatcher, target: Target, cleanup?: () => void): RunningServer {
  return {
    kind,
    pid: child.pid as number,
    target,
    async prepareRooms(count) {
      return Array.from({ length: count }, () => ({ room: `doc:${randomUUID()}`, tokens: ['-'] }));
    },
    log: () => watcher.snapshot(),
    async stop() {
      await stopChild(child);
      cleanup?.();
    },
  };
}

// ———————————————————————————————————————————— congvu ——————————————————————————————————————————————

interface LoginAnswer {
  readonly token: string;
}

async function api<T>(baseUrl: string, method: string, path: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return (text === '' ? {} : JSON.parse(text)) as T;
}

/** Prometheus text format → `name{labels}` → value (comments and unparsable lines skipped). */
export function parsePrometheus(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    const value = Number(line.slice(space + 1));
    if (space > 0 && !Number.isNaN(value)) samples.set(line.slice(0, space), value);
  }
  return samples;
}

/**
 * The Node flags of package.json's "server" script (`node <flags> dist/server/main.js`): the bench
 * starts our server exactly as `npm run server` does.
 */
function serverNodeFlags(script: string): string[] {
  const match = /\bnode((?: --[^\s]+)*) dist\/server\/main\.js\b/.exec(script);
  if (!match) throw new Error(`package.json's "server" script does not run "node … dist/server/main.js": ${script}`);
  return match[1].split(' ').filter(Boolean);
}

function packageServerScript(root: string): string {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  return manifest.scripts.server;
}

/** Our server as the checkout at `root` builds and starts it (its own package.json's Node flags). */
function congvuAdapter(kind: 'congvu' | 'variant', root: string): ServerAdapter {
  const nodeFlags = serverNodeFlags(packageServerScript(root));
  const from = root === repoRoot ? '' : ` from ${root}`;
  return {
    kind,
    description: `node ${[...nodeFlags, ''].join(' ')}dist/server/main.js${from} as npm run server runs it (auth, access control, SQLite storage on)`,
    start: () => startCongvu(kind, root, nodeFlags),
  };
}

/** Whether the process has its SQLite store's update journal memory-mapped (Linux's /proc). */
function journalMapped(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/maps`, 'utf8').includes('.relay-journal');
  } catch {
    return false;
  }
}

async function startCongvu(kind: 'congvu' | 'variant', root: string, nodeFlags: readonly string[]): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'congvu-bench-'));
  const removeDataDir = (): void => rmSync(dataDir, { recursive: true, force: true });
  const forget = onAbruptExit(removeDataDir);
  const child = spawnServer(
    await bundle('server/main.ts', kind, root),
    cleanEnv({ CONGVU_HOST: '127.0.0.1', CONGVU_PORT: '0', CONGVU_DATA_DIR: dataDir, CONGVU_DEMO: '1' }),
    false,
    nodeFlags,
  );
  const watcher = new OutputWatcher(child);
  let httpUrl: string;
  try {
    httpUrl = await watcher.waitFor(listeningUrl, child, 60_000, '"listening" line');
  } catch (error) {
    await stopChild(child);
    removeDataDir();
    forget();
    throw error;
  }
  const url = new URL(httpUrl);
  // What the figures measure: the journal copied into a mapping, or written with pwrite(2)
  // (server/native not built). The store opens the journal before the server listens.
  if (!journalMapped(child.pid as number)) process.stderr.write(`  ${kind}: the update journal is not memory-mapped (server/native not built?): it writes with pwrite(2)\n`);
  const server = basicServer(kind, child, watcher, { kind: 'congvu', syncUrl: `ws://127.0.0.1:${url.port}/sync` }, () => {
    removeDataDir();
    forget();
  });
  const base = `http://127.0.0.1:${url.port}`;
  const tokens: string[] = [];
  try {
    if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') throw new Error(`congvu listens on ${httpUrl}, not on 127.0.0.1`);
    for (const username of demoUsers) {
      const { token } = await api<LoginAnswer>(base, 'POST', '/api/auth/login', { username, password: demoPassword });
      tokens.push(token);
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    ...server,
    async metrics() {
      const response = await fetch(`${base}/metrics`);
      return parsePrometheus(await response.text());
    },
    async prepareRooms(count, title) {
      const rooms: RoomTicket[] = [];
      // A few at a time: this is setup, not the measurement.
      for (let first = 0; first < count; first += 10) {
        const batch = Array.from({ length: Math.min(10, count - first) }, async (_, i) => {
          const id = randomUUID();
          await api(base, 'POST', '/api/documents', { id, title: `${title} ${first + i + 1}`, type: 'CV' }, tokens[0]);
          await api(
            base,
            'POST',
            `/api/documents/${id}/shares`,
            { principal: { type: 'agency', id: demoAgency }, role: 'editor' },
            tokens[0],
          );
          return { room: `doc:${id}`, tokens };
        });
        rooms.push(...(await Promise.all(batch)));
      }
      return rooms;
    },
  };
}

export const congvu = congvuAdapter('congvu', repoRoot);

// ——————————————————————————————————————————— reference ————————————————————————————————————————————

export const reference: ServerAdapter = {
  kind: 'reference',
  description: '@y/websocket-server 0.1.1 bin (src/server.js), in memory',
  async start() {
    const bin = join(dirname(require.resolve('@y/websocket-server/package.json')), 'src', 'server.js');
    const port = await freePort();
    const child = spawnServer(bin, cleanEnv({ HOST: '127.0.0.1', PORT: String(port) }));
    const watcher = new OutputWatcher(child);
    await watcher
      .waitFor((line) => (line.startsWith('running at') ? true : undefined), child, 30_000, '"running at" line')
      .catch(async (error: unknown) => {
        await stopChild(child);
        throw error;
      });
    return basicServer('reference', child, watcher, { kind: 'reference', syncUrl: `ws://127.0.0.1:${port}` });
  },
};

// ——————————————————————————————————————————— hocuspocus ———————————————————————————————————————————

export const hocuspocus: ServerAdapter = {
  kind: 'hocuspocus',
  description: '@hocuspocus/server 3.4.4, no extensions (in memory)',
  async start() {
    const entry = await bundle('test/bench/relay/hocuspocus-server.ts', 'hocuspocus');
    const child = spawnServer(entry, cleanEnv({}), true);
    const watcher = new OutputWatcher(child);
    const httpUrl = await watcher.waitFor(listeningUrl, child, 30_000, '"listening" line').catch(async (error: unknown) => {
      await stopChild(child);
      throw error;
    });
    return basicServer('hocuspocus', child, watcher, { kind: 'hocuspocus', syncUrl: httpUrl.replace(/^http/, 'ws') });
  },
};

/** BENCH_VARIANT=<checkout>: the server of another checkout, measured beside ours as "variant". */
const variantRoot = process.env.BENCH_VARIANT ? resolve(process.env.BENCH_VARIANT) : undefined;
if (variantRoot !== undefined && !existsSync(join(variantRoot, 'server', 'main.ts'))) {
  throw new Error(`BENCH_VARIANT=${process.env.BENCH_VARIANT}: no server/main.ts there (expected a checkout of this repository)`);
}

export const adapters: readonly ServerAdapter[] = [
  congvu,
  reference,
  hocuspocus,
  ...(variantRoot === undefined ? [] : [congvuAdapter('variant', variantRoot)]),
];

// ———————————————————————————————————————————— clients —————————————————————————————————————————————

/** One client of a room, whichever library speaks to the server. */
export interface BenchClient {
  readonly doc: Y.Doc;
  readonly text: Y.Text;
  /** Resolves on the first completed sync with the server. */
  readonly synced: Promise<void>;
  /** Connections lost after the first sync. */
  reconnects(): number;
  /** Why they were lost: "<close code> <reason>" → count. */
  closeReasons(): ReadonlyMap<string, number>;
  /** The last connection error, if any (e.g. "Unexpected server response: 401"). */
  lastError(): string | undefined;
  destroy(): void;
}

const textName = 'bench';

function describeError(event: unknown): string {
  if (typeof event === 'object' && event !== null && 'message' in event) return String((event as { message: unknown }).message);
  return String(event);
}

export function connectClient(target: Target, room: string, token: string): BenchClient {
  const doc = new Y.Doc();
  const text = doc.getText(textName);
  let reconnects = 0;
  const reasons = new Map<string, number>();
  const lost = (code: number, reason: string): void => {
    reconnects++;
    const key = `${code} ${reason}`.trim();
    reasons.set(key, (reasons.get(key) ?? 0) + 1);
  };
  let everSynced = false;
  let error: string | undefined;
  let markSynced: () => void = () => undefined;
  const synced = new Promise<void>((resolve) => {
    markSynced = () => {
      everSynced = true;
      resolve();
    };
  });

  if (target.kind === 'hocuspocus') {
    const socket = new HocuspocusProviderWebsocket({
      url: target.syncUrl,
      WebSocketPolyfill: WebSocket,
      onClose: ({ event }) => {
        if (everSynced) lost(event.code, event.reason);
        else error = `closed ${event.code} ${event.reason}`;
      },
    });
    const provider = new HocuspocusProvider({ websocketProvider: socket, name: room, document: doc, token });
    provider.on('synced', ({ state }: { state: boolean }) => {
      if (state) markSynced();
    });
    provider.attach();
    return {
      doc,
      text,
      synced,
      reconnects: () => reconnects,
      closeReasons: () => reasons,
      lastError: () => error,
      destroy() {
        provider.destroy();
        socket.destroy();
        doc.destroy();
      },
    };
  }

  const provider = new WebsocketProvider(target.syncUrl, room, doc, {
    params: { token },
    disableBc: true,
    // ws implements the browser WebSocket interface the client uses; the types differ in detail.
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  provider.on('sync', (state) => {
    if (state) markSynced();
  });
  provider.on('connection-close', (event) => {
    if (everSynced) lost(event?.code ?? 0, event?.reason ?? '');
    else if (event !== null) error = `closed ${event.code} ${event.reason}`;
  });
  provider.on('connection-error', (event) => {
    error = describeError(event);
  });
  return {
    doc,
    text,
    synced,
    reconnects: () => reconnects,
    closeReasons: () => reasons,
    lastError: () => error,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

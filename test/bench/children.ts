// Every process a benchmark starts is registered here, so that the bench leaves nothing behind:
// on normal exit, on an error and on SIGINT/SIGTERM each child still alive is killed by its pid,
// and registered clean-ups (temporary data directories) run.

import type { ChildProcess } from 'node:child_process';

const alive = new Set<ChildProcess>();

export function track<T extends ChildProcess>(child: T): T {
  alive.add(child);
  child.once('exit', () => alive.delete(child));
  return child;
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Asks the child to stop (SIGTERM), then kills it (SIGKILL) after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (!isRunning(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    if (isRunning(child)) child.kill('SIGKILL');
  }, graceMs);
  await exited;
  clearTimeout(timer);
}

const cleanups = new Set<() => void>();

/** Registers synchronous clean-up (e.g. removing a temporary directory) for an abrupt exit. */
export function onAbruptExit(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** Synchronous last resort, safe to call from 'exit' handlers. */
export function killAllChildren(): void {
  for (const child of alive) {
    if (isRunning(child)) child.kill('SIGKILL');
  }
  alive.clear();
  for (const cleanup of cleanups) {
    try {
      cleanup();
    } catch {
      // best effort on the way out
    }
  }
  cleanups.clear();
}

let installed = false;

/** Installs the exit, signal and crash handlers once. */
export function killChildrenOnExit(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killAllChildren);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      process.stderr.write(`\nbench: ${signal}, stopping child processes\n`);
      killAllChildren();
      process.exit(130);
    });
  }
  process.on('uncaughtException', (error) => {
    process.stderr.write(`bench: uncaught ${error.stack ?? String(error)}\n`);
    killAllChildren();
    process.exit(1);
  });
  process.on('unhandledRejection', (reason) => {
    process.stderr.write(`bench: unhandled rejection ${reason instanceof Error ? reason.stack : String(reason)}\n`);
    killAllChildren();
    process.exit(1);
  });
}

/**
 * Builds the server bundle that `npm run server` runs (dist/server), once per test run, so every
 * integration and end-to-end test starts the server as it ships: plain node, no TypeScript loader.
 */
import { build } from 'esbuild';
import path from 'node:path';
import { ROOT } from './server.ts';

export const SERVER_ENTRY = path.join(ROOT, 'dist/server/main.js');

export async function buildServer(): Promise<void> {
  await build({
    entryPoints: [path.join(ROOT, 'server/main.ts')],
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    sourcemap: true,
    outdir: path.join(ROOT, 'dist/server'),
    logLevel: 'warning',
  });
}

/** vitest globalSetup entry. */
export default async function setup(): Promise<void> {
  await buildServer();
}

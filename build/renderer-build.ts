/**
 * Builds the web app into dist/renderer when it is missing or older than its sources
 * (renderer/, common/, vite.config.ts), by running `vite build` as its own process so its output
 * and its failure are Vite's own. A stamp file records the sources' newest time of the build.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RENDERER_OUT, ROOT } from './paths.ts';

const STAMP = '.sources-mtime';

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stats = statSync(target);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.endsWith('.tsbuildinfo')) continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry.name)));
  }
  return newest;
}

export function rendererSourcesMtime(): number {
  return Math.max(...['renderer', 'common', 'vite.config.ts'].map((name) => newestMtime(path.join(ROOT, name))));
}

export type RendererState = 'fresh' | 'stale' | 'missing';

export function rendererState(outDir: string = RENDERER_OUT): RendererState {
  if (!existsSync(path.join(outDir, 'index.html'))) return 'missing';
  const stamp = path.join(outDir, STAMP);
  const built = existsSync(stamp) ? Number(readFileSync(stamp, 'utf8')) : statSync(path.join(outDir, 'index.html')).mtimeMs;
  return built >= rendererSourcesMtime() ? 'fresh' : 'stale';
}

/** Runs `vite build`; resolves with whether it succeeded. */
export function viteBuild(outDir: string = RENDERER_OUT): Promise<boolean> {
  const sources = rendererSourcesMtime();
  const vite = path.join(ROOT, 'node_modules/vite/bin/vite.js');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir'], { cwd: ROOT, stdio: 'inherit' });
    child.once('error', () => resolve(false));
    child.once('exit', (code) => {
      if (code === 0) writeFileSync(path.join(outDir, STAMP), String(sources));
      resolve(code === 0);
    });
  });
}

/**
 * Builds the web app (renderer/) into dist/renderer, which the server serves at `/`.
 * `vite build` (production) or `vite build --mode development` (React's development build, with
 * StrictMode's double invocations active: what the end-to-end tests run against).
 *
 * The service worker (renderer/offline/sw.js) is emitted as /sw.js with the list of every built
 * file filled in, so the whole app shell is cached, whatever its size or file types.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

function serviceWorker(): Plugin {
  return {
    name: 'congvu-service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle)
        .filter((name) => !name.endsWith('.map') && name !== 'sw.js')
        .map((name) => `/${name}`)
        .sort();
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12);
      const source = readFileSync(here('./renderer/offline/sw.js'), 'utf8')
        .replace("'__CONGVU_VERSION__'", JSON.stringify(version))
        .replace('__CONGVU_PRECACHE__', JSON.stringify(files));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}

export default defineConfig(({ mode }) => ({
  root: here('./renderer'),
  publicDir: here('./renderer/public'),
  base: '/',
  plugins: [react(), serviceWorker()],
  define: mode === 'development' ? { 'process.env.NODE_ENV': JSON.stringify('development') } : {},
  build: {
    outDir: here('./dist/renderer'),
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    minify: mode !== 'development',
    chunkSizeWarningLimit: 2048,
  },
  server: { port: 5173 },
}));

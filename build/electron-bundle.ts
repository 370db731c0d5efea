/**
 * Compiles the main process and the preload (electron/) into dist/electron with esbuild: one
 * CommonJS file each, zod and common/ bundled in, `electron` left to the runtime. The preload is
 * bundled for the browser platform, so a Node built-in pulled into it by mistake fails the build
 * (a sandboxed preload cannot load one). A small package.json beside them names the development
 * app, so its user data goes to its own folder ("Congvu (dev)").
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { ELECTRON_OUT, ICONS, ROOT } from './paths.ts';

/** Syntax only: Electron 45's Node and Chromium run all of ES2022 natively. */
const TARGET = 'es2022';

function writeAtomically(file: string, contents: string | Uint8Array): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, file);
}

export interface BundleOptions {
  readonly outDir?: string;
  /** Write the development app's package.json beside the bundle (not when staging for packaging). */
  readonly manifest?: boolean;
}

/** Builds dist/electron (or `outDir`); returns the folder to launch Electron with. */
export async function bundleElectron(options: BundleOptions = {}): Promise<string> {
  const outDir = options.outDir ?? ELECTRON_OUT;
  mkdirSync(outDir, { recursive: true });
  const common: BuildOptions = {
    absWorkingDir: ROOT,
    bundle: true,
    format: 'cjs',
    external: ['electron'],
    write: false,
    outdir: outDir,
    outExtension: { '.js': '.cjs' },
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  };
  const results = await Promise.all([
    build({ ...common, entryPoints: { main: 'electron/main.ts' }, platform: 'node', target: TARGET }),
    build({ ...common, entryPoints: { preload: 'electron/preload.ts' }, platform: 'browser', target: TARGET, minify: true }),
  ]);
  for (const result of results) for (const file of result.outputFiles ?? []) writeAtomically(file.path, file.contents);

  const icon = path.join(ICONS, '512x512.png');
  if (existsSync(icon)) writeAtomically(path.join(outDir, 'icon.png'), readFileSync(icon));
  if (options.manifest === false) return outDir;

  const rootPackage = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const manifest = {
    name: 'congvu-desktop-dev',
    productName: 'Congvu (dev)',
    version: rootPackage.version,
    private: true,
    main: 'main.cjs',
  };
  writeAtomically(path.join(outDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return outDir;
}

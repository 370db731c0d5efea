/**
 * `npm run dist`: the installers (build/electron-builder.config.ts). Stages dist/app (the main
 * process bundle, the production web app, a package.json of its own) and runs electron-builder
 * on it for this platform, or for those named (`npm run dist -- --linux --win --mac`).
 *
 * Installers embed Electron, which electron-builder downloads per target platform; where even
 * this machine's Electron binary is missing (its download is blocked), the command says so and
 * exits with status 1 instead of failing deep inside electron-builder.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DESCRIPTION_VI, PRODUCT_NAME } from './electron-builder.config.ts';
import { findElectronBinary } from './electron-binary.ts';
import { bundleElectron } from './electron-bundle.ts';
import { APP_STAGE, RENDERER_OUT, ROOT } from './paths.ts';
import { rendererState, viteBuild } from './renderer-build.ts';

export interface StageOptions {
  readonly rendererDir?: string;
  readonly stageDir?: string;
}

/** Assembles what is packaged: electron/{main,preload}.cjs, renderer/, icon, package.json. */
export async function stageApp(options: StageOptions = {}): Promise<string> {
  const stage = options.stageDir ?? APP_STAGE;
  const rendererDir = options.rendererDir ?? RENDERER_OUT;
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  await bundleElectron({ outDir: path.join(stage, 'electron'), manifest: false });
  cpSync(rendererDir, path.join(stage, 'renderer'), { recursive: true, filter: (source) => !source.endsWith('.map') && !source.endsWith('.sources-mtime') });
  const rootPackage = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const manifest = {
    name: 'congvu',
    productName: PRODUCT_NAME,
    version: rootPackage.version,
    description: DESCRIPTION_VI,
    author: { name: 'Congvu', email: 'hotro@congvu.vn' },
    homepage: 'https://congvu.vn',
    license: 'UNLICENSED',
    private: true,
    main: 'electron/main.cjs',
  };
  writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return stage;
}

async function main(): Promise<void> {
  const binary = findElectronBinary();
  if (!binary.found) {
    console.error(
      `Cannot build the installers: Electron is not installed on this machine (${binary.reason}). ` +
        'Run "npm run electron:install" where the network allows, then "npm run dist" again; electron-builder also downloads Electron for each target platform.',
    );
    process.exit(1);
  }
  if (rendererState() !== 'fresh' && !(await viteBuild())) {
    console.error('Cannot build the installers: "vite build" failed (its errors are above).');
    process.exit(1);
  }
  const stage = await stageApp();
  console.log(`Staged the app in ${path.relative(ROOT, stage)}; running electron-builder…`);
  const { build, Platform } = await import('electron-builder');
  const { config } = await import('./electron-builder.config.ts');
  const wanted = [
    ['--linux', Platform.LINUX],
    ['--win', Platform.WINDOWS],
    ['--mac', Platform.MAC],
  ] as const;
  const platforms = wanted.filter(([flag]) => process.argv.includes(flag)).map(([, platform]) => platform);
  const targets = platforms.length > 0 ? new Map(platforms.map((platform) => [platform, new Map()])) : undefined;
  const artifacts = await build({ projectDir: ROOT, config, publish: 'never', ...(targets ? { targets } : {}) });
  for (const artifact of artifacts) console.log(`  ${path.relative(ROOT, artifact)}`);
  if (!existsSync(path.join(ROOT, 'dist/installers'))) process.exit(1);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(`npm run dist failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}

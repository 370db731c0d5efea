/**
 * How electron-builder packages the desktop app (`npm run dist`, build/dist.ts): Linux AppImage
 * and deb, Windows NSIS, macOS dmg, all registering the `congvu:` link scheme. What is packaged is
 * dist/app only (the main-process bundle and the built web app, staged by build/dist.ts with
 * its own package.json), so no node_modules and no native module goes into the installers.
 * Checked against electron-builder's own schema by electron-builder.config.test.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Configuration } from 'electron-builder';
import { ROOT } from './paths.ts';

const rootPackage = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };

/** The Electron the installers embed: the exact version pinned in package.json. */
export const ELECTRON_VERSION = rootPackage.devDependencies.electron;

export const APP_ID = 'vn.congvu.desktop';
export const PRODUCT_NAME = 'Congvu';
export const DESCRIPTION_VI = 'Không gian làm việc số cho cán bộ, công chức: soạn thảo văn bản cùng nhau, theo dõi công việc, trình duyệt và ban hành văn bản, kể cả khi mất mạng.';
export const SYNOPSIS_VI = 'Soạn thảo và trình duyệt văn bản hành chính, làm việc cả khi mất mạng';

const artifactName = '${productName}-${version}-${os}-${arch}.${ext}';

export const config: Configuration = {
  appId: APP_ID,
  productName: PRODUCT_NAME,
  copyright: 'Copyright © 2026 Congvu',
  electronVersion: ELECTRON_VERSION,
  directories: { app: 'dist/app', output: 'dist/installers', buildResources: 'build' },
  files: ['**/*', '!**/*.map'],
  asar: true,
  // dist/app has no dependencies: nothing to rebuild for Electron's ABI.
  npmRebuild: false,
  nodeGypRebuild: false,
  buildDependenciesFromSource: false,
  protocols: [{ name: 'Liên kết Công vụ', schemes: ['congvu'] }],
  artifactName,
  linux: {
    target: ['AppImage', 'deb'],
    icon: 'build/icons',
    category: 'Office',
    executableName: 'congvu',
    synopsis: SYNOPSIS_VI,
    description: DESCRIPTION_VI,
    maintainer: 'Congvu <hotro@congvu.vn>',
    vendor: 'Congvu',
    mimeTypes: ['x-scheme-handler/congvu'],
    desktop: {
      entry: {
        Name: 'Công vụ',
        'Name[vi]': 'Công vụ',
        GenericName: 'Văn bản hành chính',
        Comment: SYNOPSIS_VI,
        Keywords: 'văn bản;công văn;quyết định;phê duyệt;document;office;',
      },
    },
  },
  deb: { priority: 'optional' },
  win: {
    target: [{ target: 'nsis', arch: ['x64'] }],
    icon: 'build/icons/256x256.png',
    legalTrademarks: 'Congvu',
  },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
    createDesktopShortcut: true,
    createStartMenuShortcut: true,
    shortcutName: 'Công vụ',
    // 1066: Vietnamese.
    language: '1066',
    installerLanguages: ['vi_VN'],
    unicode: true,
  },
  mac: {
    target: ['dmg'],
    icon: 'build/icons/1024x1024.png',
    category: 'public.app-category.productivity',
    hardenedRuntime: true,
  },
  dmg: { title: 'Công vụ ${version}' },
};

export default config;

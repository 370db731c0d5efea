/**
 * The layer rules of DESIGN.md are enforced by ESLint inside `npm test`; this proves the rules
 * fire on the imports they forbid, so a broken configuration cannot pass silently.
 */
import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/server.ts';

const eslint = new ESLint({ cwd: ROOT });

async function restrictedImports(file: string, code: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').length;
}

describe('layer rules', () => {
  it('refuse Node imports in common/', async () => {
    expect(await restrictedImports('common/example.ts', "import fs from 'node:fs';\nexport const f = fs;\n")).toBe(1);
    expect(await restrictedImports('common/example.ts', "import { readFile } from 'fs';\nexport const f = readFile;\n")).toBe(1);
  });

  it('refuse server code in the renderer and renderer code in the server', async () => {
    expect(await restrictedImports('renderer/example.ts', "import { Relay } from '../server/relay/relay.ts';\nexport const r = Relay;\n")).toBe(1);
    expect(await restrictedImports('server/example.ts', "import { x } from '../renderer/app.ts';\nexport const y = x;\n")).toBe(1);
  });

  it('refuse Electron in the renderer and in common/', async () => {
    expect(await restrictedImports('renderer/example.ts', "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;\n")).toBe(1);
    expect(await restrictedImports('common/example.ts', "import { app } from 'electron';\nexport const a = app;\n")).toBe(1);
  });

  it('allow what each layer may import', async () => {
    expect(await restrictedImports('common/example.ts', "import * as Y from 'yjs';\nexport const d = new Y.Doc();\n")).toBe(0);
    expect(await restrictedImports('server/example.ts', "import fs from 'node:fs';\nimport { parseRoom } from '../common/access.ts';\nexport const a = [fs, parseRoom];\n")).toBe(0);
    expect(await restrictedImports('renderer/example.ts', "import { parseRoom } from '../common/access.ts';\nexport const a = parseRoom;\n")).toBe(0);
  });
});

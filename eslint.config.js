// Lint, and above all the layer rules of ../shared/DESIGN.md ("Folders and what each may import"):
// a wrong import fails `npm test`, not a review.
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'http', 'https', 'net', 'child_process', 'worker_threads', 'stream', 'url', 'util', 'events', 'buffer', 'zlib', 'tls', 'dgram', 'cluster', 'process'];
const restrict = (groups, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }],
});

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', '**/*.d.ts', 'test/fixtures/layers/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['common/**/*.{ts,tsx}'],
    rules: restrict(
      [...nodeBuiltins, 'electron', '**/server/**', '**/renderer/**', '**/electron/**', 'react', 'react-dom', 'dexie', 'ws', 'better-sqlite3', 'pg', 'kysely'],
      'common/ is isomorphic: no Node, DOM-only, Electron or app-layer imports (DESIGN.md).',
    ),
  },
  {
    files: ['server/**/*.{ts,tsx}'],
    rules: restrict(['**/renderer/**', '**/electron/**', 'electron', 'react', 'react-dom', 'lexical', '@lexical/*', 'dexie'], 'server/ may import common/ and Node only (DESIGN.md).'),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: restrict([...nodeBuiltins, 'electron', '**/server/**', '**/electron/**', 'ws', 'better-sqlite3', 'pg', 'kysely', 'pino'], 'renderer/ may import common/ and browser APIs only (DESIGN.md).'),
  },
  {
    files: ['electron/**/*.{ts,tsx}'],
    rules: restrict(['**/renderer/**', '**/server/**'], 'electron/ may import common/, Node and Electron only (DESIGN.md).'),
  },
);

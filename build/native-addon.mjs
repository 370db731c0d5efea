// Builds server/native (the update journal's memory mapping, journal_map.c) with node-gyp at
// `npm install`. Optional by design: where it cannot be built (not Linux, no compiler, no Node
// headers) the install goes on and the journal writes with pwrite(2) instead (update-journal.ts).
// Plain JavaScript: it runs before anything is compiled, and also under `npm install --omit=dev`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'server', 'native');
const say = (message) => process.stderr.write(`congvu: ${message}\n`);

if (process.platform !== 'linux') {
  say(`the journal's memory mapping is built on Linux only; on ${process.platform} the journal writes with pwrite(2)`);
} else {
  // npm hands its own node-gyp (and its nodedir setting) to install scripts.
  const gyp = process.env.npm_config_node_gyp;
  const [command, args] = gyp && existsSync(gyp) ? [process.execPath, [gyp, 'rebuild']] : ['node-gyp', ['rebuild']];
  const result = spawnSync(command, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (result.status === 0) say('built server/native/build/Release/journal_map.node');
  else say(`could not build server/native (${result.error?.message ?? `node-gyp exited with ${result.status}`}); the journal writes with pwrite(2)\n${(result.stderr ?? '').split('\n').filter((line) => /ERR!/.test(line)).slice(0, 12).join('\n')}`);
}

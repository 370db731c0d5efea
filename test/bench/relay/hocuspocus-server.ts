// The Hocuspocus peer as the bench runs it: @hocuspocus/server with no extensions (documents live
// in memory only, nothing is authenticated or stored), on 127.0.0.1 and a free port. It announces
// itself with the same JSON "listening" line as Congvu's server, and exits with its parent.

import { Server } from '@hocuspocus/server';

const server = new Server({ port: 0, address: '127.0.0.1', quiet: true, stopOnSignals: true });
await server.listen();
process.stdout.write(`${JSON.stringify({ msg: 'listening', url: `http://127.0.0.1:${server.address.port}` })}\n`);
process.on('disconnect', () => process.exit(0));

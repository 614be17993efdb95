// Idle memory per connection over wss:// and ws://, on fresh servers, in one run:
// N clients connect, say hello and join one of 100 rooms, then sit idle.
// Prints KiB of server RSS per joined connection for each scheme.
//   node tests/bench/idle-tls.mjs PATH/chat-server [N]
// (scripts/bench-idle-tls.sh builds the Release server and runs this.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { startServer } from '../lib/server.mjs';

const require = createRequire(import.meta.url);
const WebSocket = require('ws');
const [bin, countArg] = process.argv.slice(2);
if (!bin) { console.error('usage: idle-tls.mjs PATH/chat-server [N]'); process.exit(2); }
process.env.CHAT_SERVER_BIN = bin;
const count = Number(countArg || 2000);
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
const rssKiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);

function joinOne(url, ca, i) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, ca ? { ca } : {});
    const name = `idle${i}`;
    ws.on('error', reject);
    ws.on('message', (raw) => {
      const m = JSON.parse(raw);
      if (m.type === 'welcome') ws.send(JSON.stringify({ type: 'hello', username: name }));
      else if (m.type === 'identified') ws.send(JSON.stringify({ type: 'join', room: `idle${i % 100}` }));
      else if (m.type === 'joined') resolve(ws);
    });
  });
}

async function measure(scheme) {
  const tls = scheme === 'wss';
  // A benchmark: thousands of connections from one address, over the per-address limit.
  const server = await startServer(['--log', 'warning', '--max-per-ip', '0', '--max-connections', '0',
    ...(tls ? ['--tls-self-signed'] : [])]);
  const ca = tls ? readFileSync(join(server.dir, 'tls-cert.pem')) : undefined;
  await pause(500);
  const empty = rssKiB(server.child.pid);
  const sockets = [];
  for (let i = 0; i < count; i += 50) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + 50); j += 1) batch.push(joinOne(`${scheme}://127.0.0.1:${server.port}/`, ca, j));
    sockets.push(...await Promise.all(batch));
  }
  await pause(2000);
  const full = rssKiB(server.child.pid);
  for (const ws of sockets) ws.terminate();
  await server.stop();
  const perConnection = (full - empty) / count;
  console.log(JSON.stringify({ scenario: 'idle', scheme, clients: count, empty_rss_kib: empty, rss_kib: full, kib_per_connection: Number(perConnection.toFixed(2)) }));
  return perConnection;
}

const wss = await measure('wss');
const ws = await measure('ws');
console.log(`idle KiB per joined connection, ${count} clients, fresh servers: wss:// ${wss.toFixed(2)}, ws:// ${ws.toFixed(2)} (wss/ws ${(wss / ws).toFixed(2)})`);

// docs/cluster.md's HAProxy configuration, as it is in the file, in front of two
// chat-servers on one PostgreSQL database with the Redis bus: v1 clients and a
// socket.io-client (polling, then the upgrade) through it land on both servers
// and chat together; a server killed with SIGKILL is taken out of the rotation
// and its clients carry on through HAProxy on the other.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withPostgres } from '../lib/postgres.mjs';
import { startRedis } from '../lib/redis.mjs';
import { startServer } from '../lib/server.mjs';
import { connectClient } from '../lib/wsclient.mjs';
import { createChecks } from '../lib/check.mjs';

const require = createRequire(import.meta.url);
const { io } = require('socket.io-client');
const check = createChecks('haproxy');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const health = async (port) => (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
const freePort = () => new Promise((resolve) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

// The configuration between the markers of docs/cluster.md, on our ports.
function configFromDocs(front, node1, node2) {
  const doc = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../docs/cluster.md'), 'utf8');
  const block = /<!-- haproxy.cfg begins -->\n```\n([\s\S]*?)```\n<!-- haproxy.cfg ends -->/.exec(doc);
  if (!block) throw new Error('docs/cluster.md has no haproxy.cfg block');
  return block[1].replaceAll('127.0.0.1:8080', `127.0.0.1:${front}`)
    .replaceAll('127.0.0.1:8081', `127.0.0.1:${node1}`)
    .replaceAll('127.0.0.1:8082', `127.0.0.1:${node2}`);
}

async function waitFor(what, condition, ms = 10000) {
  const end = Date.now() + ms;
  while (!(await condition()) && Date.now() < end) await sleep(50);
  return check.ok(await condition(), what);
}

const redis = await startRedis();
const dir = mkdtempSync(join(tmpdir(), 'chat-haproxy-'));
let haproxy;
await withPostgres(check, async (pg, servers) => {
  const args = ['--store', pg.url, '--bus', redis.url];
  const one = await startServer(args);
  const two = await startServer(args);
  servers.push(one, two);
  const front = await freePort();
  const cfg = join(dir, 'haproxy.cfg');
  writeFileSync(cfg, configFromDocs(front, one.port, two.port));

  check.section('the documented configuration');
  const valid = execFileSync('haproxy', ['-c', '-f', cfg], { encoding: 'utf8' });
  check.ok(/Configuration file is valid/.test(valid), 'haproxy -c: the configuration is valid');
  haproxy = spawn('haproxy', ['-db', '-f', cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  haproxy.stdout.on('data', (d) => { log += d; });
  haproxy.stderr.on('data', (d) => { log += d; });
  await waitFor('HAProxy answers /healthz from a server', async () => {
    try { return (await health(front)).status === 'ok'; } catch { return false; }
  });

  check.section('clients through HAProxy, on both servers, one room');
  const clients = [];
  for (let i = 0; i < 4; i += 1) {
    const c = await connectClient(front);
    c.seen = [];
    c.on('message', (raw) => c.seen.push(JSON.parse(raw)));
    await c.hello(`user${i}`);
    await c.joinRoom('general');
    clients.push(c);
  }
  const [h1, h2] = [await health(one.port), await health(two.port)];
  check.ok(h1.connections >= 1 && h2.connections >= 1, `leastconn spread them (${h1.connections} and ${h2.connections})`);
  const sio = io(`http://127.0.0.1:${front}`, { auth: { username: 'Sio' }, reconnection: false });
  const sioSeen = [];
  sio.on('message', (m) => sioSeen.push(m));
  await new Promise((resolve, reject) => { sio.once('connect', resolve); sio.once('connect_error', reject); });
  await new Promise((resolve) => sio.emit('join', { room: 'general' }, resolve));
  await waitFor('socket.io-client connected by polling and upgraded, through HAProxy', () => sio.io.engine.transport.name === 'websocket');
  for (let i = 0; i < clients.length; i += 1) {
    const clientId = `p${i}`;
    clients[i].json({ type: 'chat', room: 'general', text: `from user${i}`, clientId });
    await clients[i].next('message', (m) => m.clientId === clientId);
    await sleep(125);
  }
  sio.emit('chat', { room: 'general', text: 'from Sio', clientId: 'sio-1' });
  await waitFor('every v1 client has all 5 messages', () => clients.every((c) => c.seen.filter((m) => m.type === 'message').length === 5));
  await waitFor('the socket.io client has them too', () => sioSeen.length === 5);

  check.section('a server is killed: HAProxy takes it out, its clients go on');
  const metricsText = await (await fetch(`http://127.0.0.1:${two.port}/metrics`)).text();
  const v1OnTwo = Number(/^chat_connections\{protocol="v1"\} (\d+)/m.exec(metricsText)?.[1]);
  await one.stop('SIGKILL');
  const open = () => clients.filter((c) => c.readyState === 1);
  await waitFor(`the ${clients.length - v1OnTwo} clients of the killed server are disconnected`, () => open().length === v1OnTwo);
  const survivors = open();
  await waitFor('HAProxy sends /healthz to the one left', async () => {
    try { return (await health(front)).status === 'ok'; } catch { return false; }
  });
  const back = await connectClient(front);
  back.seen = [];
  back.on('message', (raw) => back.seen.push(JSON.parse(raw)));
  await back.hello('returning');
  const joined = await back.joinRoom('general');
  check.equal(joined.history.map((m) => m.text).sort(), ['from Sio', 'from user0', 'from user1', 'from user2', 'from user3'], 'a client back through HAProxy gets the whole history');
  back.json({ type: 'chat', room: 'general', text: 'after the kill', clientId: 'after-1' });
  await back.next('message', (m) => m.clientId === 'after-1');
  await waitFor('the clients on the surviving server get it', () => survivors.every((c) => c.seen.some((m) => m.text === 'after the kill')));
  sio.close();
  await two.stopCleanly(check);
  if (check.failed) console.log(log.slice(-3000));
});
haproxy?.kill('SIGKILL');
await redis.destroy();
rmSync(dir, { recursive: true, force: true });

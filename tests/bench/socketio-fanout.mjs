// Socket.IO fan-out, chat-server against the npm socket.io server with the
// documents' kampung handlers, in one run: N socket.io-client connections in one
// room (WebSocket transport for both), S senders at R messages per second each
// for D seconds; every client timestamps what it receives. Prints deliveries per
// CPU second of the server, latency p50/p99, and idle memory per connection, and
// the ratios. A benchmark, not a test: figures, no pass or fail.
//
//   node tests/bench/socketio-fanout.mjs --server build-rel/app-server/chat-server \
//        [--clients 1000] [--senders 10] [--rate 5] [--seconds 10]
import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { io } = require('socket.io-client');
const here = dirname(fileURLToPath(import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const clients = Number(arg('clients', 1000));
const senders = Number(arg('senders', 10));
const rate = Number(arg('rate', 5));
const seconds = Number(arg('seconds', 10));
const serverBin = arg('server', process.env.CHAT_SERVER_BIN);
const cpu = arg('cpu', '0');

function start(cmd, args) {
  const child = spawn('taskset', ['-c', cpu, cmd, ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on port (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`${cmd} exited ${code}`)));
  });
}
const ticks = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime, in clock ticks (100/s)
};
const rss = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
const percentile = (xs, p) => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))];

async function run(name, { port, pid }, { connectAs, say }) {
  const before = rss(pid);
  const sockets = [];
  const latencies = [];
  let delivered = 0;
  for (let i = 0; i < clients; i += 1) {
    const s = io(`http://127.0.0.1:${port}`, { transports: ['websocket'], forceNew: true, reconnection: false, ...connectAs(i) });
    sockets.push(s);
    await new Promise((resolve, reject) => { s.once('connect', resolve); s.once('connect_error', reject); });
    await say.ready(s, i);
  }
  await new Promise((r) => setTimeout(r, 1000));
  const idle = (rss(pid) - before) / clients;
  for (const s of sockets) {
    say.listen(s, (sentAt) => { delivered += 1; latencies.push(Date.now() - sentAt); });
  }
  const t0 = ticks(pid);
  const started = Date.now();
  let sent = 0;
  await new Promise((resolve) => {
    const timer = setInterval(() => {
      for (let k = 0; k < senders; k += 1) {
        say.send(sockets[k], `${Date.now()} ${'x'.repeat(40)}`);
        sent += 1;
      }
      if (Date.now() - started >= seconds * 1000) { clearInterval(timer); resolve(); }
    }, 1000 / rate);
  });
  const expected = sent * clients;
  const end = Date.now() + 10000;
  while (delivered < expected && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  const cpuSeconds = (ticks(pid) - t0) / 100;
  latencies.sort((a, b) => a - b);
  for (const s of sockets) s.close();
  const result = {
    name, sent, delivered, expected,
    perCpuSecond: Math.round(delivered / Math.max(cpuSeconds, 0.01)),
    p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99),
    idleKiB: Math.round(idle * 100) / 100,
  };
  console.log(`${name}: ${sent} messages, ${delivered}/${expected} deliveries, ${result.perCpuSecond} deliveries per CPU second, `
    + `p50 ${result.p50} ms, p99 ${result.p99} ms, ${result.idleKiB} KiB per idle joined connection`);
  await new Promise((r) => setTimeout(r, 500));
  return result;
}

const dir = mkdtempSync(join(tmpdir(), 'sio-bench-'));
// A benchmark: 1,000 connections from one address, over the per-address limit.
const ours = await start(serverBin, ['--host', '127.0.0.1', '--port', '0', '--db', join(dir, 'chat.sqlite'),
  '--max-per-ip', '0', '--max-connections', '0', '--log', 'warning']);
const peer = await start(process.execPath, [join(here, 'socketio-peer.mjs')]);
try {
  // chat-server: socket.io-client programs that give a name (the v1 events, one
  // per delivery, as the peer's one kampung_chat); senders within the rate limit.
  const a = await run('chat-server', { port: ours.port, pid: ours.child.pid }, {
    connectAs: (i) => ({ auth: { username: `u${i}` } }),
    say: {
      ready: (s) => new Promise((resolve) => s.emit('join', { room: 'general' }, resolve)),
      listen: (s, got) => s.on('message', (m) => got(Number(m.text.split(' ')[0]))),
      send: (s, text) => s.emit('chat', { room: 'general', text }),
    },
  });
  const b = await run('socket.io (npm, the documents\' kampung handlers)', { port: peer.port, pid: peer.child.pid }, {
    connectAs: () => ({}),
    say: {
      ready: (s, i) => { s.emit('join_kampung', `u${i}`); return Promise.resolve(); },
      listen: (s, got) => s.on('kampung_chat', (m) => got(Number(m.msg.split(' ')[0]))),
      send: (s, text) => s.emit('kampung_chat', text),
    },
  });
  console.log(`ratio chat-server / socket.io: ${(a.perCpuSecond / b.perCpuSecond).toFixed(2)}x deliveries per CPU second, `
    + `p99 ${a.p99} vs ${b.p99} ms, memory ${(a.idleKiB / b.idleKiB).toFixed(2)}x per connection`);
} finally {
  ours.child.kill('SIGTERM');
  peer.child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}

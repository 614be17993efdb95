// The cluster smoke benchmark (issue 15): one, two and three chat-servers on one
// PostgreSQL and one Redis, N `ws` clients in one room spread evenly over the
// servers, S senders (spread too) posting R messages a second each for D
// seconds. Prints, for each size: deliveries per second (every client's copy of
// every message), CPU per delivery on each server (its own clients' copies), the
// cluster's CPU per delivery, and latency (post to each copy) p50/p99. A
// benchmark, not a test: figures, no pass or fail. Like chat-bench, the servers
// run with --rate-limit 0 (the senders post faster than one person may) and the
// default durability.
//
//   node tests/bench/cluster.mjs --server build-rel/app-server/chat-server \
//        [--clients 300] [--senders 6] [--rate 20] [--seconds 10] [--nodes 0,1,2,3]
// (0: one server with no cluster options, SQLite and no bus, for comparison)
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPostgres } from '../lib/postgres.mjs';
import { startRedis } from '../lib/redis.mjs';
import { startServer } from '../lib/server.mjs';
import { connectClient } from '../lib/wsclient.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const clients = Number(arg('clients', 300));
const senders = Number(arg('senders', 6));
const rate = Number(arg('rate', 20));
const seconds = Number(arg('seconds', 10));
const sizes = arg('nodes', '0,1,2,3').split(',').map(Number);
process.env.CHAT_SERVER_BIN = arg('server', process.env.CHAT_SERVER_BIN ?? join(here, '../../build/app-server/chat-server'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ticks = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime, in clock ticks (100/s)
};
const percentile = (xs, p) => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))];

async function run(pg, redis, nodes) {
  let size = nodes;
  pg.sql("DO $$ BEGIN IF to_regclass('messages') IS NOT NULL THEN TRUNCATE messages, rooms; END IF; END $$");
  await redis.command('FLUSHALL');
  const servers = [];
  // A benchmark, not a delivery test: the senders post faster than a person may.
  const limits = ['--rate-limit', '0', '--max-per-ip', '0', '--max-connections', '0', '--log', 'warning'];
  // Size 0: one server with no cluster options (SQLite, the in-process bus), for comparison.
  if (size === 0) servers.push(await startServer(limits));
  for (let i = 0; i < size; i += 1) {
    servers.push(await startServer(['--store', pg.url, '--bus', redis.url, '--node-id', `n${i}`, ...limits]));
  }
  size = servers.length;
  await sleep(2500); // every server has heard the others' presence
  const conns = [];
  const perServer = servers.map(() => 0);
  const latencies = [];
  for (let i = 0; i < clients; i += 1) {
    const s = i % size;
    const c = await connectClient(servers[s].port);
    await c.hello(`u${i}`);
    await c.joinRoom('general');
    c.on('message', (raw) => {
      const m = JSON.parse(raw);
      if (m.type !== 'message') return;
      perServer[s] += 1;
      latencies.push(Date.now() - Number(m.text.split(' ')[0]));
    });
    conns.push(c);
  }
  await sleep(1000);
  latencies.length = 0;
  perServer.fill(0);
  const before = servers.map((s) => ticks(s.child.pid));
  const started = Date.now();
  let sent = 0;
  await new Promise((resolve) => {
    const timer = setInterval(() => {
      for (let k = 0; k < senders; k += 1) {
        conns[k].json({ type: 'chat', room: 'general', text: `${Date.now()} ${'x'.repeat(40)}` });
        sent += 1;
      }
      if (Date.now() - started >= seconds * 1000) { clearInterval(timer); resolve(); }
    }, 1000 / rate);
  });
  const expected = sent * clients;
  const end = Date.now() + 15000;
  const delivered = () => perServer.reduce((a, b) => a + b, 0);
  while (delivered() < expected && Date.now() < end) await sleep(50);
  const wall = (Date.now() - started) / 1000;
  const cpu = servers.map((s, i) => (ticks(s.child.pid) - before[i]) * 10); // ms
  latencies.sort((a, b) => a - b);
  for (const c of conns) c.terminate();
  for (const s of servers) await s.stop();
  const total = delivered();
  return {
    size: nodes === 0 ? '1, SQLite, no bus' : nodes, sent, expected, total, wall,
    perSecond: total / wall,
    cpuPerDelivery: cpu.map((ms, i) => (perServer[i] ? (ms * 1000) / perServer[i] : NaN)),
    clusterCpuPerDelivery: (cpu.reduce((a, b) => a + b, 0) * 1000) / total,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
  };
}

const pg = await startPostgres();
const redis = await startRedis();
try {
  console.log(`cluster smoke benchmark: ${clients} clients in one room, ${senders} senders at ${rate}/s for ${seconds} s, `
    + 'spread evenly over the servers; PostgreSQL store, Redis bus');
  console.log('| servers | delivered / expected | deliveries/s | µs CPU per delivery, each server | µs CPU per delivery, cluster | p50 ms | p99 ms |');
  console.log('|---|---|---|---|---|---|---|');
  for (const size of sizes) {
    const r = await run(pg, redis, size);
    console.log(`| ${r.size} | ${r.total} / ${r.expected} | ${Math.round(r.perSecond)} | ${r.cpuPerDelivery.map((x) => x.toFixed(1)).join(', ')} | ${r.clusterCpuPerDelivery.toFixed(1)} | ${r.p50} | ${r.p99} |`);
  }
} finally {
  await redis.destroy();
  await pg.destroy();
}

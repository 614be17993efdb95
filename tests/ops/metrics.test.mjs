// /metrics against the real chat-server with its default limits: the
// Prometheus text format as promtool reads it, and figures that follow what the
// clients did (messages stored, deliveries, refusals, closes by code, the
// commit histogram); --metrics-listen moves it off the chat port.
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { createRequire } from 'node:module';
import { startServer } from '../lib/server.mjs';
import { connectClient } from '../lib/wsclient.mjs';
import { createChecks } from '../lib/check.mjs';

const require = createRequire(import.meta.url);
const io = require('socket.io-client').io;
const check = createChecks('metrics');

// Parses the text format into { 'name{labels}': value } and the families' types.
function parse(text) {
  const samples = new Map();
  const types = new Map();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1], type[2]);
    if (!line || line.startsWith('#')) continue;
    const m = /^(\S+?)(\{.*\})? (\S+)$/.exec(line);
    if (m) samples.set(m[1] + (m[2] ?? ''), Number(m[3]));
  }
  return { samples, types, get: (key) => samples.get(key) };
}

async function scrape(port, path = '/metrics') {
  const r = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
}

function promtool(text) {
  try {
    execFileSync('promtool', ['check', 'metrics'], { input: text, stdio: ['pipe', 'pipe', 'pipe'] });
    return '';
  } catch (e) {
    return `${e.stdout}${e.stderr}` || String(e);
  }
}

const server = await startServer();
try {
  check.section('the format');
  const first = await scrape(server.port);
  check.equal(first.status, 200, '/metrics answers 200');
  check.equal(first.type, 'text/plain; version=0.0.4; charset=utf-8', 'in the text format 0.0.4');
  check.equal(promtool(first.text), '', 'promtool check metrics: no problem found');
  const idle = parse(first.text);
  check.equal(idle.types.get('chat_store_commit_seconds'), 'histogram', 'the commit latency is a histogram');
  check.ok(idle.get('process_resident_memory_bytes') > 1e6, 'process memory is reported');
  check.ok(idle.get('process_cpu_seconds_total') > 0, 'process CPU time is reported');
  check.ok(Math.abs(idle.get('process_start_time_seconds') - Date.now() / 1000) < 120, 'the process start time is now-ish');

  check.section('figures follow the chat');
  const ada = await connectClient(server.port);
  await ada.hello('ada');
  await ada.joinRoom('ops');
  const bob = await connectClient(server.port);
  await bob.hello('bob');
  await bob.joinRoom('ops');
  const sio = io(`http://127.0.0.1:${server.port}`, { forceNew: true, reconnection: false, transports: ['websocket'], auth: { username: 'sio' } });
  await new Promise((resolve, reject) => { sio.once('connect', resolve); sio.once('connect_error', reject); });
  await new Promise((resolve) => sio.emit('join', { room: 'ops' }, resolve));
  const before = parse((await scrape(server.port)).text);
  for (let i = 0; i < 5; i += 1) ada.json({ type: 'chat', room: 'ops', text: `m${i}` });
  await bob.next('message', (m) => m.text === 'm4');
  await ada.next('message', (m) => m.text === 'm4');
  const during = parse((await scrape(server.port)).text);
  check.equal(during.get('chat_connections{protocol="v1"}'), 2, 'two v1 connections');
  check.equal(during.get('chat_connections{protocol="socketio"}'), 1, 'one Socket.IO connection');
  check.equal(during.get('chat_engineio_sessions{transport="websocket"}'), 1, 'its Engine.IO session is on WebSocket');
  check.equal(during.get('chat_rooms'), 1, 'one room');
  check.equal(during.get('chat_messages_stored_total') - before.get('chat_messages_stored_total'), 5, 'five messages stored');
  check.equal(during.get('chat_deliveries_total{event="message"}') - before.get('chat_deliveries_total{event="message"}'), 15, 'each delivered to the three members: 15 deliveries');
  const commits = during.get('chat_store_transactions_total');
  check.ok(commits >= 1 && commits <= 5, `the five were stored in ${commits} transaction(s)`);
  check.equal(during.get('chat_store_commit_seconds_count'), commits, 'the histogram counts every transaction');
  check.equal(during.get('chat_store_commit_seconds_bucket{le="+Inf"}'), commits, '... and its +Inf bucket holds them all');
  check.ok(during.get('chat_store_commit_seconds_sum') > 0, 'the commit time is measured');
  check.equal(promtool((await scrape(server.port)).text), '', 'promtool: still clean with labels and samples');

  check.section('refusals and closes');
  // A burst over the default limit (10/s, bursts of 20): the server refuses the rest.
  for (let i = 0; i < 30; i += 1) bob.json({ type: 'chat', room: 'ops', text: `flood ${i}` });
  await bob.next('error', (m) => m.code === 'rate-limited');
  const refused = parse((await scrape(server.port)).text);
  check.ok(refused.get('chat_rate_limited_total') >= 1, `rate-limit refusals are counted (${refused.get('chat_rate_limited_total')})`);
  ada.close(1000);
  sio.disconnect();
  await bob.next('user-left', (m) => m.username === 'ada');
  const deadline = Date.now() + 8000;
  let closed;
  do {
    closed = parse((await scrape(server.port)).text);
    if (closed.get('chat_connections{protocol="v1"}') === 1 && closed.get('chat_connections{protocol="socketio"}') === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  } while (Date.now() < deadline);
  check.equal(closed.get('chat_connections{protocol="v1"}'), 1, 'one v1 connection left');
  check.ok(closed.get('chat_closes_total{code="1000",by="client"}') >= 1, 'a client close with 1000 is counted by code and side');
  bob.close();

  check.section('a refused connection');
  // (fetch sets Host itself: node:http lets a test send another.)
  const misdirected = await new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: server.port, path: '/', headers: { host: 'evil.example' } }, (r) => {
      r.resume();
      resolve(r.statusCode);
    }).on('error', reject);
  });
  check.equal(misdirected, 421, 'a foreign Host is refused');
  const refusedConns = parse((await scrape(server.port)).text);
  check.equal(refusedConns.get('chat_refused_connections_total{status="421"}'), 1, '... and counted by status');
  check.equal(promtool((await scrape(server.port)).text), '', 'promtool: clean after closes and refusals');
} catch (e) {
  check.ok(false, `unexpected: ${e.stack}`);
} finally {
  await server.stopCleanly(check);
}

check.section('--metrics-listen: on an address of its own');
const own = await startServer(['--metrics-listen', '127.0.0.1:0']);
try {
  let m;
  for (const end = Date.now() + 8000; !m && Date.now() < end; await new Promise((r) => setTimeout(r, 20)))
    m = /metrics on 127\.0\.0\.1 port (\d+)/.exec(own.stdout());
  check.ok(m, 'the server says where the metrics are');
  const metricsPort = Number(m?.[1]);
  const there = await scrape(metricsPort);
  check.equal(there.status, 200, '/metrics answers there');
  check.equal(promtool(there.text), '', 'promtool: clean');
  check.equal((await scrape(own.port)).status, 404, 'and no longer on the chat port');
  check.equal((await scrape(metricsPort, '/')).status, 404, 'the metrics address serves no browser client');
  check.equal((await scrape(metricsPort, '/socket.io/socket.io.js')).status, 404, '... nor socket.io-client');
  check.equal((await scrape(metricsPort, '/healthz')).status, 200, 'it answers /healthz for the monitoring too');
  const post = await fetch(`http://127.0.0.1:${metricsPort}/metrics`, { method: 'POST', body: 'x' });
  check.equal(post.status, 405, 'POST /metrics: 405');
} catch (e) {
  check.ok(false, `unexpected: ${e.stack}`);
} finally {
  await own.stopCleanly(check);
}
check.finish();
process.exit(process.exitCode ?? 0);

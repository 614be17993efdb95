// Two chat-servers on one PostgreSQL database with the Redis bus
// (--bus redis://), their default limits: each one's messages reach the other's
// clients through Redis, and when Redis is killed, paused or restarted delivery
// goes on from the store, complete and in order, and the bus comes back by
// itself. /healthz says degraded while Redis is away.
import { withPostgres } from '../lib/postgres.mjs';
import { startRedis } from '../lib/redis.mjs';
import { startServer } from '../lib/server.mjs';
import { connectClient } from '../lib/wsclient.mjs';
import { createChecks } from '../lib/check.mjs';
import { deliveryFigures } from '../lib/figures.mjs';

const check = createChecks('redis-bus');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const PACE_MS = 125; // 8 a second: under the default rate limit of 10
const ids = (c) => c.seen.filter((m) => m.type === 'message' && m.room === 'general').map((m) => m.id);
const inOrderOnce = (list) => list.every((id, i) => i === 0 || id > list[i - 1]);
const health = async (s) => (await fetch(`http://127.0.0.1:${s.port}/healthz`)).json();
const metric = async (s, name) => {
  const text = await (await fetch(`http://127.0.0.1:${s.port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : NaN;
};

async function member(server, name) {
  const c = await connectClient(server.port);
  c.seen = [];
  c.on('message', (raw) => c.seen.push(JSON.parse(raw)));
  await c.hello(name);
  await c.joinRoom('general');
  return c;
}

async function waitFor(what, condition, ms = 10000) {
  const end = Date.now() + ms;
  while (!(await condition()) && Date.now() < end) await sleep(50);
  return check.ok(await condition(), what);
}

const acked = []; // every post of the run, for the figures
let sent = 0;
async function burst(c, who, from, n) {
  for (let i = from; i < from + n; i += 1) {
    const clientId = `${who}-${i}`;
    const t0 = performance.now();
    c.json({ type: 'chat', room: 'general', text: `${who} ${i}`, clientId });
    sent += 1;
    const m = await c.next('message', (x) => x.clientId === clientId);
    acked.push({ clientId, id: m.id, ms: performance.now() - t0 });
    await sleep(PACE_MS);
  }
}

const redis = await startRedis();
await withPostgres(check, async (pg, servers) => {
  // A server not heard from for 15 s is gone: well over the 5 s pause below.
  const args = ['--store', pg.url, '--bus', redis.url, '--resume-grace', '15000'];
  const one = await startServer([...args, '--node-id', 'one']);
  const two = await startServer([...args, '--node-id', 'two']);
  servers.push(one, two);

  check.section('both servers on the bus');
  await waitFor('both say the bus is up', async () => (await health(one)).bus?.state === 'ok' && (await health(two)).bus?.state === 'ok');
  check.equal((await health(two)).bus, { kind: 'redis', state: 'ok' }, '/healthz names the bus');
  check.equal([(await health(one)).node, (await health(two)).node], ['one', 'two'], '... and the node');
  const a = await member(one, 'Aminah');
  const b = await member(two, 'Bob');
  await Promise.all([burst(a, 'a', 1, 15), burst(b, 'b', 1, 15)]);
  const count = () => Number(pg.sql("SELECT count(*) FROM messages WHERE room = 'general'"));
  await waitFor('each client has all 30', () => ids(a).length === 30 && ids(b).length === 30);
  check.ok(inOrderOnce(ids(a)) && inOrderOnce(ids(b)), 'once each, in id order, on both servers');
  const received = await metric(two, 'chat_bus_received_total');
  check.ok(received >= 30, `server two heard all 30 on the bus (${received}, its own included)`);

  check.section('presence counts both servers');
  const joinedSeen = (c, name) => c.seen.filter((m) => m.type === 'user-joined' && m.username === name);
  await waitFor('Aminah (server one) is told Bob joined on server two, 2 in the room', () => joinedSeen(a, 'Bob').some((m) => m.usersInRoom === 2));
  const cara = await member(one, 'Cara');
  const caraJoined = cara.seen.find((m) => m.type === 'joined');
  check.equal(caraJoined.users, ['Aminah', 'Bob', 'Cara'], 'a client joining server one is told of everyone, Bob on server two included');
  await waitFor('Bob (server two) is told Cara joined, 3 in the room', () => joinedSeen(b, 'Cara').some((m) => m.usersInRoom === 3));
  cara.json({ type: 'leave', room: 'general' });
  await waitFor('Bob is told Cara left, 2 in the room', () => b.seen.some((m) => m.type === 'user-left' && m.username === 'Cara' && m.usersInRoom === 2));
  cara.close();

  check.section('typing crosses servers on the bus');
  a.json({ type: 'typing', room: 'general', active: true });
  const typing = await b.next('user-typing', (m) => m.username === 'Aminah');
  check.equal([typing.room, typing.active], ['general', true], 'Bob (server two) sees Aminah (server one) typing');
  a.json({ type: 'typing', room: 'general', active: false });
  const stopped = await b.next('user-typing', (m) => m.username === 'Aminah');
  check.equal(stopped.active, false, '... and stop');
  await sleep(300);
  check.equal(a.seen.filter((m) => m.type === 'user-typing').length, 0, 'Aminah is not told of her own typing, by either server');

  check.section('what is not a chat message on the channel is ignored');
  const hostile = [
    '{not json',
    '[1,2,3]',
    JSON.stringify({ room: 'general', id: 2 ** 60, username: 'x', text: 'too big an id', timestamp: '2026-12-01T00:00:00.000Z' }),
    JSON.stringify({ room: 'general', id: -1, username: 'x', text: 'negative', timestamp: '2026-12-01T00:00:00.000Z' }),
    JSON.stringify({ room: '', id: 99, username: 'x', text: 'no room', timestamp: '2026-12-01T00:00:00.000Z' }),
  ];
  const badTyping = [JSON.stringify({ node: 'x', room: 'general', username: '', active: true }), '{"node":1}'];
  for (const payload of badTyping) await redis.command('PUBLISH', 'lanchat:typing', payload);
  // Well-formed but never committed: held for a gap the store cannot fill, then dropped.
  await redis.command('PUBLISH', 'lanchat:messages', JSON.stringify({ room: 'general', id: 5000, username: 'x', text: 'forged', timestamp: '2026-12-01T00:00:00.000Z' }));
  for (const payload of hostile) await redis.command('PUBLISH', 'lanchat:messages', payload);
  await waitFor('each server counts 7 refused payloads', async () => (await metric(one, 'chat_bus_refused_total')) === 7
    && (await metric(two, 'chat_bus_refused_total')) === 7);
  await burst(a, 'a', 50, 2);
  await waitFor('and the chat goes on', () => ids(b).length === count());
  check.ok(!b.seen.some((m) => /too big|negative|no room|forged/.test(m.text ?? '')), 'nobody was shown any of them');
  await waitFor('the forged one is dropped, not waited for', () => /dropping 1 message\(s\) in general/.test(one.stderr()) && /dropping 1 message/.test(two.stderr()));

  check.section('Redis killed mid-burst');
  const posting = Promise.all([burst(a, 'a', 100, 16), burst(b, 'b', 100, 16)]);
  await sleep(700);
  await redis.kill();
  await waitFor('/healthz says degraded, bus unreachable', async () => {
    const h = await health(one);
    return h.status === 'degraded' && h.bus.state === 'unreachable';
  });
  await posting;
  await waitFor('delivery went on from the store: every message on both servers',
    () => ids(a).length === count() && ids(b).length === count());
  check.ok(inOrderOnce(ids(a)) && inOrderOnce(ids(b)), '... once each, in id order');

  check.section('Redis back: the bus comes back by itself');
  await redis.start();
  await waitFor('both say ok again', async () => (await health(one)).status === 'ok' && (await health(two)).status === 'ok');
  const before = await metric(two, 'chat_bus_received_total');
  await burst(a, 'a', 200, 5);
  await waitFor('server two hears server one on the bus again', async () => (await metric(two, 'chat_bus_received_total')) >= before + 5);
  await waitFor('Bob has them', () => ids(b).length === count());

  check.section('Redis paused (SIGSTOP) for 5 s while both sides post');
  redis.pause();
  const paused = Date.now();
  await Promise.all([burst(a, 'a', 300, 8), burst(b, 'b', 300, 8)]);
  await waitFor('delivery goes on from the store while it is paused', () => ids(a).length === count() && ids(b).length === count());
  while (Date.now() - paused < 5000) await sleep(100); // a pause of at least 5 s: no fixed sleep decides a check
  redis.resume();
  await sleep(500); // what Redis held back arrives now: nothing twice
  check.ok(inOrderOnce(ids(a)) && inOrderOnce(ids(b)), 'once each, in id order, after it resumed');
  const total = count();
  const maxId = Number(pg.sql("SELECT max(id) FROM messages WHERE room = 'general'"));
  check.equal(maxId, total, `ids 1..${total} without a gap`);
  const stored = pg.sql("SELECT string_agg(client_id || ':' || id, ',' ORDER BY id) FROM messages WHERE room = 'general'").split(',');
  const f = deliveryFigures('Redis killed, restarted, paused', { sent, acked, stored, maxId, roomRows: total, clients: { Aminah: ids(a), Bob: ids(b) } });
  check.equal([f.lost, f.duplicates, f.gaps], [0, 0, 0], 'figures: nothing acknowledged lost, nothing doubled, no gap');
  const leftSeen = (c, name) => c.seen.filter((m) => m.type === 'user-left' && m.username === name).length;
  if (!check.equal([leftSeen(a, 'Bob'), leftSeen(b, 'Aminah')], [0, 0], 'Redis killed and paused made nobody leave')) {
    // Seen once in CI (2026-12-02, with ack p99 4.9 s): what the servers said about
    // names, presence and connections, for the next time.
    const why = /disconnect|identify|resume|evict|name|not heard|joined the cluster|leave|4002|redis/i;
    for (const [label, s] of [['one', one], ['two', two]])
      console.log(`server ${label}:\n${s.stderr().split('\n').filter((l) => why.test(l)).slice(-60).join('\n')}`);
    console.log('Aminah saw:', JSON.stringify(a.seen.filter((m) => m.type !== 'message').slice(-20)));
    console.log('Bob saw:', JSON.stringify(b.seen.filter((m) => m.type !== 'message').slice(-20)));
  }

  check.section('a server killed: its users leave the others after the grace period, once');
  await one.stop('SIGKILL');
  await waitFor('Bob is told Aminah left, 1 in the room', () => b.seen.some((m) => m.type === 'user-left' && m.username === 'Aminah' && m.usersInRoom === 1), 30000);
  await sleep(2500); // another heartbeat and sweep: nothing more
  check.equal(leftSeen(b, 'Aminah'), 1, '... once');
  await two.stopCleanly(check);
});
await redis.destroy();

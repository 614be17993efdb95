// chat-server on a real PostgreSQL (--store postgresql://...), with its default
// limits: clients chat, history and ids survive a SIGKILL of the server, and
// while PostgreSQL is down every post is refused with store-failed (nothing is
// acknowledged that was not committed), /healthz says degraded, and the
// clients' retries with the same clientIds are stored once when it is back.
import { withPostgres } from '../lib/postgres.mjs';
import { startServer } from '../lib/server.mjs';
import { connectClient } from '../lib/wsclient.mjs';
import { createChecks } from '../lib/check.mjs';

const check = createChecks('postgres');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const health = async (server) => (await fetch(`http://127.0.0.1:${server.port}/healthz`)).json();
// The default rate is 10 a second with a burst of 20: 8 a second stays under it.
const PACE_MS = 125;

async function member(server, name, room = 'general') {
  const c = await connectClient(server.port);
  await c.hello(name);
  const joined = await c.joinRoom(room);
  return { c, joined };
}

// The post's answer: the stored message, or { refused: error } (ref = clientId).
async function post(c, room, text, clientId, timeoutMs = 8000) {
  c.json({ type: 'chat', room, text, clientId });
  const answer = await c.next('*', (m) => (m.type === 'message' && m.clientId === clientId)
    || (m.type === 'error' && m.ref === clientId), timeoutMs);
  return answer.type === 'error' ? { refused: answer } : answer;
}

await withPostgres(check, async (pg, servers) => {
  check.section('two clients chat through PostgreSQL');
  let server = await startServer(['--store', pg.url]);
  servers.push(server);
  check.ok(/opened postgresql:\/\//.test(server.stderr()), 'the server says which store it opened');
  check.ok(!/password/i.test(server.stderr()), 'and no password appears in its log');
  const h = await health(server);
  check.equal(h.store, { engine: 'postgresql', state: 'ok' }, '/healthz names the store and its state');
  const a = await member(server, 'Aminah');
  const b = await member(server, 'Bob');
  const sent = [];
  for (let i = 1; i <= 30; i += 1) {
    const m = await post(i % 2 ? a.c : b.c, 'general', `message ${i}`, `c${i}`);
    sent.push(m);
    await sleep(PACE_MS);
  }
  check.ok(sent.every((m) => !m.refused), 'all 30 posts acknowledged');
  check.equal(sent.map((m) => m.id), Array.from({ length: 30 }, (_, i) => i + 1), 'ids 1..30 in the order posted');
  await sleep(50);
  check.equal(a.c.count('message') + sent.filter((m, i) => i % 2 === 0).length, 30, 'Aminah saw every message once');
  check.equal(pg.sql("SELECT count(*), max(id) FROM messages WHERE room = 'general'"), '30|30', 'PostgreSQL holds the 30');
  check.equal(pg.sql("SELECT last_id FROM rooms WHERE name = 'general'"), '30', "the room's row gives the ids");

  check.section('a retry with the same clientId is stored once');
  const retry = await post(a.c, 'general', 'message 1', 'c1');
  check.equal(retry.id, 1, 'the retry gets the original message back');
  check.equal(pg.sql("SELECT count(*) FROM messages WHERE client_id = 'c1'"), '1', 'one row for c1');

  check.section('SIGKILL of the server: history and ids survive');
  await server.stop('SIGKILL');
  server = await startServer(['--store', pg.url]);
  servers.push(server);
  const late = await member(server, 'Late');
  check.equal(late.joined.history.map((m) => m.id).slice(-3), [28, 29, 30], 'a joining client gets the newest history');
  const next = await post(late.c, 'general', 'after the restart', 'late-1');
  check.equal(next.id, 31, 'ids go on from 31');

  check.section('PostgreSQL stops: posts are refused, nothing acknowledged is lost');
  const poster = late.c;
  await pg.stop('immediate'); // what a crash of the database server looks like
  const refused = await post(poster, 'general', 'while the database is down', 'down-1');
  check.equal(refused.refused?.code, 'store-failed', `the post is refused (${refused.refused?.code})`);
  let degraded;
  for (let i = 0; i < 100 && !degraded; i += 1) {
    const now = await health(server);
    if (now.status === 'degraded') degraded = now;
    else await sleep(100);
  }
  check.equal(degraded?.store, { engine: 'postgresql', state: 'unreachable' }, '/healthz says the store is unreachable');
  check.equal(degraded?.status, 'degraded', '... and the server degraded, for a load balancer to drain it');
  const other = await post(poster, 'general', 'another while down', 'down-2');
  check.equal(other.refused?.code, 'store-failed', 'every post is refused while it is down');

  check.section('PostgreSQL is back: the retries are stored once, in order');
  await pg.start();
  let back;
  for (let i = 0; i < 100 && !back; i += 1) {
    const now = await health(server);
    if (now.status === 'ok') back = now;
    else await sleep(100);
  }
  check.equal(back?.store?.state, 'ok', '/healthz says ok again without a restart');
  const r1 = await post(poster, 'general', 'while the database is down', 'down-1');
  await sleep(PACE_MS);
  const r2 = await post(poster, 'general', 'another while down', 'down-2');
  await sleep(PACE_MS);
  const r3 = await post(poster, 'general', 'another while down', 'down-2');
  check.equal([r1.id, r2.id, r3.id], [32, 33, 33], 'the retries get ids 32 and 33, the repeated one its original');
  check.equal(pg.sql("SELECT string_agg(id::text, ',' ORDER BY id) FROM messages WHERE room = 'general' AND id > 28"),
    '29,30,31,32,33', 'the store has 29..33 without a gap or a double');
  await server.stopCleanly(check);
});

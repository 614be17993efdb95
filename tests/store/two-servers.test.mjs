// Two chat-servers on one PostgreSQL database, with their default limits and no
// bus between them: what one commits reaches the other's clients from the store
// (StoreFollower), every message once, in id order, without a gap. Then one
// server is killed with SIGKILL mid-burst: its client goes on with the other,
// catches up with `since` and sends again what was not acknowledged; nothing
// acknowledged is lost, nothing is stored twice.
import { withPostgres } from '../lib/postgres.mjs';
import { startServer } from '../lib/server.mjs';
import { connectClient } from '../lib/wsclient.mjs';
import { createChecks } from '../lib/check.mjs';
import { deliveryFigures } from '../lib/figures.mjs';

const check = createChecks('two-servers');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const PACE_MS = 125; // 8 a second: under the default rate limit of 10
// Every message a client was sent (its inbox loses what next() takes).
const ids = (c) => c.seen.filter((m) => m.type === 'message' && m.room === 'general').map((m) => m.id);
const inOrderOnce = (list) => list.every((id, i) => i === 0 || id > list[i - 1]);

async function member(server, name, since) {
  const c = await connectClient(server.port);
  c.seen = [];
  c.on('message', (raw) => c.seen.push(JSON.parse(raw)));
  await c.hello(name);
  const joined = await c.joinRoom('general', since);
  return { c, joined };
}

async function waitFor(what, condition, ms = 8000) {
  const end = Date.now() + ms;
  while (!condition() && Date.now() < end) await sleep(20);
  return check.ok(condition(), what);
}

await withPostgres(check, async (pg, servers) => {
  const one = await startServer(['--store', pg.url]);
  const two = await startServer(['--store', pg.url]);
  servers.push(one, two);

  check.section('a client on each server, one room');
  const a = await member(one, 'Aminah');
  const b = await member(two, 'Bob');
  const burst = async ({ c }, who, n) => {
    for (let i = 1; i <= n; i += 1) {
      const clientId = `${who}-${i}`;
      c.json({ type: 'chat', room: 'general', text: `${who} ${i}`, clientId });
      await c.next('message', (m) => m.clientId === clientId);
      await sleep(PACE_MS);
    }
  };
  await Promise.all([burst(a, 'a', 20), burst(b, 'b', 20)]);
  const all = Array.from({ length: 40 }, (_, i) => i + 1);
  await waitFor('Aminah (server one) has all 40', () => ids(a.c).length >= 40);
  await waitFor('Bob (server two) has all 40', () => ids(b.c).length >= 40);
  await sleep(600); // two more follower passes: nothing comes twice
  for (const [name, x] of [['Aminah', a], ['Bob', b]]) {
    check.equal([...ids(x.c)].sort((p, q) => p - q), all, `${name} got ids 1..40, each once`);
    check.ok(inOrderOnce(ids(x.c)), `${name} got them in id order`);
  }
  check.equal(pg.sql("SELECT count(*), max(id) FROM messages WHERE room = 'general'"), '40|40', 'the store has 40, ids 1..40');

  check.section('a client joining the other server gets the same history');
  const late = await member(one, 'Late');
  check.equal(late.joined.history.map((m) => m.id), all, 'history 1..40 on server one');
  const c2 = await member(two, 'Cara');
  check.equal(c2.joined.history.map((m) => m.text), late.joined.history.map((m) => m.text), 'the same texts on server two');

  check.section('server one is killed mid-burst');
  const acked = [];
  let sent = 0;
  let stop = false;
  const poster = (async () => {
    for (let i = 1; !stop; i += 1) {
      const clientId = `k-${i}`;
      a.c.json({ type: 'chat', room: 'general', text: `kill ${i}`, clientId });
      sent += 1;
      const t0 = performance.now();
      try {
        const m = await a.c.next('message', (x) => x.clientId === clientId, 2000);
        acked.push({ clientId, id: m.id, ms: performance.now() - t0 });
      } catch { return i; } // no answer: the server is gone; this one is unacknowledged
      await sleep(PACE_MS);
    }
    return 0;
  })();
  await sleep(1200);
  await one.stop('SIGKILL');
  const firstUnacked = await poster;
  stop = true;
  check.ok(acked.length > 0, `${acked.length} posts were acknowledged before the kill`);
  // The client goes on with server two: since its last id, then the post again.
  const lastSeen = Math.max(...ids(a.c));
  const again = await member(two, 'Aminah', lastSeen);
  const resent = firstUnacked ? `k-${firstUnacked}` : null;
  if (resent) {
    const t0 = performance.now();
    again.c.json({ type: 'chat', room: 'general', text: `kill ${firstUnacked}`, clientId: resent });
    const m = await again.c.next('message', (x) => x.clientId === resent);
    acked.push({ clientId: resent, id: m.id, ms: performance.now() - t0 });
  }
  const stored = pg.sql("SELECT string_agg(client_id || ':' || id, ',' ORDER BY id) FROM messages WHERE client_id LIKE 'k-%'").split(',');
  check.ok(acked.every(({ clientId, id }) => stored.includes(`${clientId}:${id}`)), `every acknowledged post is stored (${acked.length})`);
  check.equal(new Set(stored.map((s) => s.split(':')[0])).size, stored.length, 'none is stored twice');
  const maxId = Number(pg.sql("SELECT max(id) FROM messages WHERE room = 'general'"));
  const roomRows = Number(pg.sql("SELECT count(*) FROM messages WHERE room = 'general'"));
  check.equal(roomRows, maxId, `ids 1..${maxId} without a gap`);
  await waitFor('Bob, on server two all along, has every message', () => ids(b.c).length === maxId);
  check.ok(inOrderOnce(ids(b.c)), '... once each, in id order');
  await waitFor('Aminah, before and after the move, has every message', () => new Set([...ids(a.c), ...again.joined.history.map((m) => m.id), ...ids(again.c)]).size === maxId);
  check.ok(again.joined.reset !== true, 'and the move needed no reload (no reset)');
  const seenByAminah = [...ids(a.c), ...again.joined.history.map((m) => m.id), ...ids(again.c)];
  const f = deliveryFigures('server one killed', { sent, acked, stored, maxId, roomRows, clients: { Aminah: seenByAminah, Bob: ids(b.c) } });
  check.equal([f.lost, f.duplicates, f.gaps], [0, 0, 0], 'figures: nothing acknowledged lost, nothing doubled, no gap');
  await two.stopCleanly(check);
});

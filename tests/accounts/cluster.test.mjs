// Accounts on a cluster: two chat-servers on one PostgreSQL database with the
// Redis bus (--auth accounts --store postgresql:// --bus redis://), each
// person on one of them. A direct message and a private room between people on
// different servers, and nothing of either for a third person on any server;
// a topic, a deletion, a kick, a mute and a ban reaching the person on the
// other server; a role set from the shell reaching the server that holds the
// connection. Real PostgreSQL, real Redis, default limits.
import { withPostgres } from '../lib/postgres.mjs';
import { startRedis } from '../lib/redis.mjs';
import { startServer } from '../lib/server.mjs';
import { createChecks } from '../lib/check.mjs';
import { admin as adminIn, login } from '../lib/accounts.mjs';

const check = createChecks('accounts-cluster');
const people = {
  Aminah: ['admin', 'admin password 1'],
  Bob: ['member', 'bob password 12'],
  Cara: ['member', 'cara password 12'],
};
let addr = 40;
const signIn = async (server, name) => {
  addr += 1;
  const s = await login(server.port, name, people[name][1], { from: `127.0.2.${addr}`, device: 'test' });
  if (s.reply.type !== 'signed-in') throw new Error(`${name} cannot sign in: ${JSON.stringify(s.reply)}`);
  return s.c;
};
// The reply to the request just sent: `type`, `done` or an error.
const ask = async (c, request, type = 'done') => {
  c.json(request);
  return c.answer(type, 'done');
};

const redis = await startRedis();
await withPostgres(check, async (pg, servers) => {
  const admin = (args, input) => adminIn(pg.url, args, input);
  for (const [name, [role, password]] of Object.entries(people))
    check.equal((await admin(['user', 'add', name, role], `${password}\n`)).code, 0, `user add ${name} ${role} (on PostgreSQL)`);
  const args = ['--auth', 'accounts', '--store', pg.url, '--bus', redis.url];
  const one = await startServer([...args, '--node-id', 'one']);
  const two = await startServer([...args, '--node-id', 'two']);
  servers.push(one, two);
  const aminah = await signIn(one, 'Aminah');
  const bob = await signIn(two, 'Bob');
  const cara = await signIn(two, 'Cara');
  for (const c of [aminah, bob, cara]) {
    c.json({ type: 'join', room: 'general' });
    await c.next('joined');
  }

  check.section('a direct message across servers');
  const opened = await ask(aminah, { type: 'open-dm', usernames: ['Bob'] });
  check.equal(opened.request, 'open-dm', 'Aminah (server one) opens a direct message with Bob');
  const dm = opened.room;
  await aminah.next('joined', (m) => m.room === dm);
  const invited = await bob.next('invited');
  check.ok(invited.room === dm && Array.isArray(invited.dm) && invited.by === 'Aminah', 'Bob (server two) is told at once');
  check.equal((await ask(bob, { type: 'join', room: dm }, 'joined')).room, dm, 'and joins it on server two');
  aminah.json({ type: 'chat', room: dm, text: 'from one to two', clientId: 'dm-1' });
  check.equal((await bob.next('message', (m) => m.clientId === 'dm-1')).text, 'from one to two', 'Bob gets Aminah\'s message');
  bob.json({ type: 'chat', room: dm, text: 'and back', clientId: 'dm-2' });
  check.equal((await aminah.next('message', (m) => m.clientId === 'dm-2')).text, 'and back', 'Aminah gets Bob\'s');
  check.equal((await ask(cara, { type: 'join', room: dm }, 'joined')).code, 'forbidden', 'Cara, on Bob\'s server, cannot join it: forbidden');
  check.equal((await ask(cara, { type: 'history', room: dm, limit: 10 }, 'history')).code, 'not-in-room', 'nor read its history');
  check.ok(!(await ask(cara, { type: 'rooms' }, 'rooms')).rooms.some((r) => r.name === dm), 'nor see it in her rooms list');
  const caraOnOne = await login(one.port, 'Cara', people.Cara[1], { from: '127.0.2.98' });
  check.equal(caraOnOne.reply.code, 'signed-in-elsewhere',
    'a second device of Cara on the other server is refused (one account\'s devices share a server)');
  caraOnOne.c.close();

  check.section('a private room across servers');
  const created = await ask(aminah, { type: 'create-room', room: 'plans', private: true }, 'joined');
  check.equal(created.room, 'plans', `Aminah creates the private room "plans" on server one (${JSON.stringify(created).slice(0, 200)})`);
  check.equal((await ask(aminah, { type: 'invite', room: 'plans', username: 'Bob' })).request, 'invite', 'and invites Bob');
  check.equal((await bob.next('invited', (m) => m.room === 'plans')).by, 'Aminah', 'Bob, on server two, is told');
  check.equal((await ask(bob, { type: 'join', room: 'plans' }, 'joined')).room, 'plans', 'and may join it there');
  check.equal((await ask(cara, { type: 'join', room: 'plans' }, 'joined')).code, 'forbidden', 'Cara may not');
  check.equal((await ask(aminah, { type: 'topic', room: 'plans', topic: 'the launch' })).request, 'topic', 'Aminah sets its topic');
  check.equal((await bob.next('topic', (m) => m.room === 'plans')).topic, 'the launch', 'Bob sees the topic change');
  aminah.json({ type: 'chat', room: 'plans', text: 'a typo', clientId: 'p-1' });
  const typo = await bob.next('message', (m) => m.clientId === 'p-1');
  check.equal((await ask(aminah, { type: 'delete', room: 'plans', id: typo.id })).request, 'delete', 'Aminah deletes her message');
  check.equal((await bob.next('message-deleted', (m) => m.room === 'plans')).id, typo.id, 'and it goes on Bob\'s server too');
  check.equal((await ask(bob, { type: 'kick', room: 'plans', username: 'Aminah' })).code, 'forbidden', 'Bob (a member) cannot kick Aminah (an admin on the other server)');
  check.equal((await ask(aminah, { type: 'kick', room: 'plans', username: 'Bob' })).request, 'kick', 'Aminah kicks Bob from "plans"');
  check.equal((await bob.next('kicked', (m) => m.room === 'plans')).by, 'Aminah', 'Bob is told on server two');
  check.equal((await ask(bob, { type: 'join', room: 'plans' }, 'joined')).code, 'forbidden', 'and is no longer a member there');

  check.section('moderation across servers');
  check.equal((await ask(aminah, { type: 'mute', room: 'general', username: 'Cara', minutes: 5 })).request, 'mute', 'Aminah mutes Cara in general');
  check.ok(/T/.test((await cara.next('muted')).until), 'Cara, on server two, is told until when');
  cara.json({ type: 'chat', room: 'general', text: 'muted?', clientId: 'c-1' });
  check.equal((await cara.next('error', (m) => m.ref === 'c-1')).code, 'muted', 'and her server refuses her message: muted');
  check.equal((await admin(['user', 'role', 'Bob', 'moderator'])).code, 0, '`user role Bob moderator` from the shell, on PostgreSQL');
  let unmuted;
  for (let tries = 0; tries < 100; tries += 1) { // server two reads the change within 2 s
    unmuted = await ask(bob, { type: 'unmute', room: 'general', username: 'Cara' });
    if (unmuted.type === 'done') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  check.equal(unmuted.type, 'done', 'Bob, on server two and without signing in again, may unmute Cara now');
  check.equal((await ask(bob, { type: 'kick', room: 'general', username: 'Aminah' })).code, 'forbidden',
    'but a moderator cannot kick an admin who is on the other server (her rank comes from her account)');
  check.equal((await ask(bob, { type: 'mute', room: 'general', username: 'Aminah', minutes: 1 })).code, 'forbidden', 'nor mute her');

  check.section('a mute while Redis is away');
  // The bus cannot bring it: server two reads it from the store (the numbered
  // changes, every 2 s).
  redis.pause();
  check.equal((await ask(aminah, { type: 'mute', room: 'general', username: 'Bob', minutes: 5 })).request, 'mute', 'with Redis paused, Aminah mutes Bob in general');
  let refusal;
  for (let i = 0; i < 40 && !refusal; i += 1) { // within 2 s; at most 12 s
    const clientId = `b-${i}`;
    bob.json({ type: 'chat', room: 'general', text: `still talking ${i}`, clientId });
    const reply = await bob.next('*', (m) => m.clientId === clientId || (m.type === 'error' && m.ref === clientId));
    if (reply.type === 'error') refusal = reply.code;
    else await new Promise((r) => setTimeout(r, 300));
  }
  check.equal(refusal, 'muted', 'server two refuses Bob\'s posts all the same: muted');
  redis.resume();
  check.equal((await ask(aminah, { type: 'unmute', room: 'general', username: 'Bob' })).request, 'unmute', 'Redis back, Aminah unmutes him');
  check.equal((await bob.next('unmuted')).by, 'Aminah', 'and Bob is told');

  check.equal((await ask(aminah, { type: 'ban', username: 'Cara', minutes: 60 })).request, 'ban', 'Aminah bans Cara for an hour');
  check.equal(await cara.closed, 4007, 'Cara\'s connection on server two closes with 4007');
  const again = await login(two.port, 'Cara', people.Cara[1], { from: '127.0.2.99' });
  check.equal(again.reply.code, 'banned', 'and she cannot sign in there: banned');
  again.c.close();
  const log = (await ask(aminah, { type: 'audit' }, 'audit')).entries.map((e) => `${e.actor} ${e.action} ${e.target}`);
  check.ok(log.includes('Aminah kick Bob') && log.includes('Bob unmute Cara') && log.includes('Aminah ban Cara'),
    'the audit log on server one has the acts of both servers');
  for (const c of [aminah, bob]) c.close();
});
await redis.destroy();

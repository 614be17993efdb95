// Private rooms, direct messages and moderation on an accounts server, hostile
// cases first: a non-member trying every request type on a private room and on
// a direct message, a member trying every moderator and admin action, a banned
// user reconnecting; then what moderators and admins may do, the audit log, and
// all of it surviving a restart. Real server, real SQLite, default limits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../lib/server.mjs';
import { createChecks } from '../lib/check.mjs';
import { admin as adminIn, connect, login, withToken } from '../lib/accounts.mjs';

const check = createChecks('rooms');
const dir = mkdtempSync(join(tmpdir(), 'chat-rooms-'));
const db = join(dir, 'chat.sqlite');
const admin = (args, input) => adminIn(db, args, input);
const people = {
  Aminah: ['admin', 'admin password 1'],
  Mod: ['moderator', 'moderator password'],
  Bob: ['member', 'bob password 12'],
  Cara: ['member', 'cara password 12'],
  Eve: ['member', 'eve password 123'],
};
let addr = 20;
// Each sign-in from an address of its own: the throttle is not what this tests.
const signIn = async (port, name) => {
  addr += 1;
  const s = await login(port, name, people[name][1], { from: `127.0.1.${addr}`, device: 'test' });
  if (s.reply.type !== 'signed-in') throw new Error(`${name} cannot sign in: ${JSON.stringify(s.reply)}`);
  s.c.token = s.reply.token;
  return s.c;
};
// The reply to the request just sent: `type`, `done` or an error.
const ask = async (c, request, type = 'done') => {
  c.json(request);
  return c.answer(type, 'done');
};
const servers = [];
try {
  for (const [name, [role, password]] of Object.entries(people))
    check.equal((await admin(['user', 'add', name, role], `${password}\n`)).code, 0, `user add ${name} ${role}`);
  // --log debug: every refusal is in the log printed if something fails (once
  // in CI, 2026-12-02, Eve's post after her unmute never reached Bob).
  let server = await startServer(['--auth', 'accounts', '--log', 'debug'], { dir });
  servers.push(server);
  let { port } = server;

  const bob = await signIn(port, 'Bob');
  const cara = await signIn(port, 'Cara');
  const eve = await signIn(port, 'Eve');
  const aminah = await signIn(port, 'Aminah');
  const mod = await signIn(port, 'Mod');
  for (const c of [bob, cara, eve, aminah, mod]) {
    c.json({ type: 'join', room: 'general' });
    await c.next('joined', (m) => m.room === 'general');
  }

  check.section('a private room, and a non-member trying every request type');
  let secretId;
  {
    const created = await ask(bob, { type: 'create-room', room: 'project', private: true, topic: 'Q3 plans' }, 'joined');
    check.ok(created.type === 'joined' && created.room === 'project' && created.users.join() === 'Bob', 'Bob creates the private room "project" and is in it alone');
    check.equal((await ask(bob, { type: 'invite', room: 'project', username: 'cara' })).username, 'Cara', 'Bob invites Cara (her name as registered)');
    const invited = await cara.next('invited');
    check.ok(invited.room === 'project' && invited.by === 'Bob' && invited.topic === 'Q3 plans', 'Cara is told: invited to project by Bob, with its topic');
    check.equal((await ask(cara, { type: 'join', room: 'project' }, 'joined')).room, 'project', 'Cara joins it');
    bob.json({ type: 'chat', room: 'project', text: 'the secret plan', clientId: 's1' });
    secretId = (await cara.next('message', (m) => m.clientId === 's1')).id;
    bob.json({ type: 'typing', room: 'project', active: true });
    await cara.next('user-typing', (m) => m.room === 'project');

    const tries = [
      [{ type: 'join', room: 'project' }, 'joined', 'forbidden'],
      [{ type: 'history', room: 'project' }, 'history', 'not-in-room'],
      [{ type: 'chat', room: 'project', text: 'let me in', clientId: 'e1' }, 'message', 'not-in-room'],
      [{ type: 'typing', room: 'project', active: true }, 'user-typing', 'not-in-room'],
      [{ type: 'leave', room: 'project' }, 'user-left', 'not-in-room'],
      [{ type: 'invite', room: 'project', username: 'Eve' }, 'done', 'forbidden'],
      [{ type: 'topic', room: 'project', topic: 'mine now' }, 'done', 'forbidden'],
      [{ type: 'delete', room: 'project', id: secretId }, 'done', 'no-such-message'],
      [{ type: 'kick', room: 'project', username: 'Cara' }, 'done', 'forbidden'],
      [{ type: 'mute', room: 'project', username: 'Cara', minutes: 5 }, 'done', 'forbidden'],
      [{ type: 'create-room', room: 'project', private: true }, 'joined', 'name-taken'],
    ];
    for (const [request, type, code] of tries)
      check.equal((await ask(eve, request, type)).code, code, `Eve (not a member): ${request.type} on project: ${code}`);
    eve.json({ type: 'rooms' });
    const list = (await eve.next('rooms')).rooms;
    check.ok(!list.some((r) => r.name === 'project') && list.some((r) => r.name === 'general'), 'Eve\'s room list has general and not project');
    cara.json({ type: 'rooms' });
    const caras = (await cara.next('rooms')).rooms.find((r) => r.name === 'project');
    check.ok(caras?.private === true && caras?.topic === 'Q3 plans' && caras?.usersInRoom === 2, `Cara's room list shows project: private, its topic, 2 people (${JSON.stringify(caras)})`);
    const leaked = eve.inbox.filter((m) => m.room === 'project' || JSON.stringify(m).includes('secret plan'));
    check.equal(leaked, [], 'nothing of project ever reached Eve: no message, member, typing or topic');
    check.equal((await ask(eve, { type: 'create-room', room: 'dm-deadbeef' }, 'joined')).code, 'bad-room', 'create-room "dm-..." (the direct messages\' names): bad-room');
    check.equal((await ask(eve, { type: 'join', room: 'dm-0123456789abcdef01234567' }, 'joined')).code, 'bad-room', 'join a made-up direct message: bad-room');
    check.equal((await ask(eve, { type: 'create-room', room: 'general', private: true }, 'joined')).code, 'name-taken', 'making the existing room general private: name-taken');
  }

  check.section('direct messages, and a third user trying to read one');
  let dm;
  {
    check.equal((await ask(aminah, { type: 'open-dm', usernames: ['Nobody'] })).code, 'no-such-user', 'open-dm with an unknown name: no-such-user');
    check.equal((await ask(aminah, { type: 'open-dm', usernames: ['Aminah'] })).code, 'bad-field', 'open-dm with yourself: bad-field');
    const opened = await ask(aminah, { type: 'open-dm', usernames: ['bob'] });
    dm = opened.room;
    check.ok(/^dm-[0-9a-f]{24}$/.test(dm) && opened.dm.sort().join() === 'Aminah,Bob', 'Aminah opens a direct message with Bob');
    await aminah.next('joined', (m) => m.room === dm);
    const told = await bob.next('invited', (m) => m.room === dm);
    check.equal(told.dm.sort(), ['Aminah', 'Bob'], 'Bob is told at once, with who is in it (as for a mention)');
    bob.json({ type: 'join', room: dm });
    await bob.next('joined', (m) => m.room === dm);
    aminah.json({ type: 'chat', room: dm, text: 'just between us', clientId: 'd1' });
    const got = await bob.next('message', (m) => m.clientId === 'd1');
    check.equal(got.text, 'just between us', 'Bob gets Aminah\'s direct message');
    const again = await ask(bob, { type: 'open-dm', usernames: ['Aminah'] });
    check.equal(again.room, dm, 'Bob opening it from his side finds the same conversation');
    await bob.next('joined', (m) => m.room === dm);
    for (const [request, type, code] of [
      [{ type: 'join', room: dm }, 'joined', 'forbidden'],
      [{ type: 'history', room: dm }, 'history', 'not-in-room'],
      [{ type: 'chat', room: dm, text: 'hi', clientId: 'c9' }, 'message', 'not-in-room'],
      [{ type: 'typing', room: dm }, 'user-typing', 'not-in-room'],
      [{ type: 'invite', room: dm, username: 'Cara' }, 'done', 'forbidden'],
      [{ type: 'topic', room: dm, topic: 'x' }, 'done', 'forbidden'],
      [{ type: 'delete', room: dm, id: got.id }, 'done', 'no-such-message'],
    ])
      check.equal((await ask(cara, request, type)).code, code, `Cara (third user): ${request.type} on the DM: ${code}`);
    check.equal((await ask(aminah, { type: 'invite', room: dm, username: 'Cara' })).code, 'forbidden', 'even Aminah cannot invite a third person into a DM');
    const mine = await ask(cara, { type: 'open-dm', usernames: ['Bob'] });
    check.ok(mine.room !== dm, 'Cara opening a DM with Bob gets a conversation of her own, not theirs');
    await cara.next('joined', (m) => m.room === mine.room);
    cara.json({ type: 'rooms' });
    check.ok(!(await cara.next('rooms')).rooms.some((r) => r.name === dm), 'Cara\'s room list does not have Aminah and Bob\'s DM');
    bob.json({ type: 'rooms' });
    const bobs = (await bob.next('rooms')).rooms.filter((r) => r.dm);
    check.equal(bobs.map((r) => r.dm.sort().join()).sort(), ['Aminah,Bob', 'Bob,Cara'], 'Bob\'s list has both of his DMs, with who is in each');
    const leaked = cara.inbox.filter((m) => m.room === dm || JSON.stringify(m).includes('just between us'));
    check.equal(leaked, [], 'nothing of Aminah and Bob\'s DM ever reached Cara');
  }

  check.section('a member trying every moderator and admin action');
  let evesMessage;
  {
    bob.json({ type: 'chat', room: 'general', text: 'Bob in general', clientId: 'g1' });
    const bobsMessage = await eve.next('message', (m) => m.clientId === 'g1');
    for (const [request, code] of [
      [{ type: 'kick', room: 'general', username: 'Bob' }, 'forbidden'],
      [{ type: 'mute', room: 'general', username: 'Bob', minutes: 10 }, 'forbidden'],
      [{ type: 'unmute', room: 'general', username: 'Bob' }, 'forbidden'],
      [{ type: 'ban', username: 'Bob', minutes: 60 }, 'forbidden'],
      [{ type: 'unban', username: 'Bob' }, 'forbidden'],
      [{ type: 'delete', room: 'general', id: bobsMessage.id }, 'no-such-message'],
      [{ type: 'topic', room: 'general', topic: 'Eve rules' }, 'forbidden'],
      [{ type: 'set-role', username: 'Eve', role: 'admin' }, 'forbidden'],
      [{ type: 'audit' }, 'forbidden'],
    ])
      check.equal((await ask(eve, request, request.type === 'audit' ? 'audit' : 'done')).code, code, `Eve (member): ${request.type}: ${code}`);
    check.equal((await ask(mod, { type: 'set-role', username: 'Mod', role: 'admin' })).code, 'forbidden', 'a moderator cannot make themselves admin');
    check.equal((await ask(mod, { type: 'audit' }, 'audit')).code, 'forbidden', 'a moderator cannot read the audit log');
    check.equal((await ask(mod, { type: 'ban', username: 'Aminah', minutes: 5 })).code, 'forbidden', 'a moderator cannot ban an admin');
    check.equal((await ask(mod, { type: 'kick', room: 'general', username: 'Aminah' })).code, 'forbidden', 'a moderator cannot kick an admin');
    eve.json({ type: 'chat', room: 'general', text: 'Eve was here', clientId: 'e2' });
    evesMessage = await bob.next('message', (m) => m.clientId === 'e2');
    check.equal((await ask(bob, { type: 'delete', room: 'general', id: evesMessage.id })).code, 'no-such-message', 'Bob cannot delete Eve\'s message');
    bob.json({ type: 'chat', room: 'general', text: 'oops, a typo', clientId: 'g2' });
    const typo = await bob.next('message', (m) => m.clientId === 'g2');
    check.equal((await ask(bob, { type: 'delete', room: 'general', id: typo.id })).request, 'delete', 'Bob deletes his own message');
    check.equal((await cara.next('message-deleted', (m) => m.id === typo.id)).room, 'general', 'everyone in the room is told it is gone');
  }

  check.section('moderators and admins');
  {
    check.equal((await ask(mod, { type: 'mute', room: 'general', username: 'Eve', minutes: 10, reason: 'spam' })).request, 'mute', 'Mod mutes Eve in general for 10 minutes');
    check.ok(/T/.test((await eve.next('muted')).until), 'Eve is told until when');
    eve.json({ type: 'chat', room: 'general', text: 'can I still talk?', clientId: 'e3' });
    const refused = await eve.next('error', (m) => m.ref === 'e3');
    check.ok(refused.code === 'muted' && refused.ref === 'e3', 'Eve\'s post: muted (with its clientId)');
    bob.json({ type: 'chat', room: 'general', text: 'Bob still talks', clientId: 'g3' });
    check.equal((await cara.next('message', (m) => m.clientId === 'g3')).text, 'Bob still talks', 'everyone else keeps chatting');
    check.equal((await ask(mod, { type: 'unmute', room: 'general', username: 'Eve' })).request, 'unmute', 'Mod unmutes her');
    eve.json({ type: 'chat', room: 'general', text: 'thanks', clientId: 'e4' });
    check.equal((await bob.next('message', (m) => m.clientId === 'e4')).username, 'Eve', 'Eve posts again');
    check.equal((await ask(mod, { type: 'delete', room: 'general', id: evesMessage.id })).request, 'delete', 'Mod deletes Eve\'s message');
    await bob.next('message-deleted', (m) => m.id === evesMessage.id);
    bob.json({ type: 'history', room: 'general' });
    check.ok(!(await bob.next('history')).messages.some((m) => m.id === evesMessage.id), 'it is gone from the history');
    check.equal((await ask(aminah, { type: 'topic', room: 'general', topic: 'Be kind' })).request, 'topic', 'Aminah (admin) sets general\'s topic');
    check.equal((await bob.next('topic')).topic, 'Be kind', 'the room is told');
    check.equal((await ask(mod, { type: 'kick', room: 'general', username: 'Eve', reason: 'cool off' })).request, 'kick', 'Mod kicks Eve from general');
    check.equal((await eve.next('kicked')).reason, 'cool off', 'Eve is told, with the reason');
    check.equal((await bob.next('user-left', (m) => m.username === 'Eve')).room, 'general', 'the room sees Eve leave');
    eve.json({ type: 'chat', room: 'general', text: 'still here?', clientId: 'e5' });
    check.equal((await eve.next('error', (m) => m.ref === 'e5')).code, 'not-in-room', 'Eve is out of the room');
    const evesToken = eve.token;
    check.equal((await ask(mod, { type: 'ban', username: 'Eve', minutes: 60, reason: 'enough' })).request, 'ban', 'Mod bans Eve for an hour');
    check.ok((await eve.next('banned')).reason === 'enough' && (await eve.closed) === 4007, 'Eve is told and closed with 4007');
    const back = await login(port, 'Eve', people.Eve[1], { from: '127.0.2.1' });
    check.equal(back.reply.code, 'banned', 'Eve signing in again with her password: banned');
    back.c.close();
    const byToken = await withToken(port, evesToken, '127.0.2.2');
    check.equal(byToken.reply.code, 'bad-account-token', 'Eve\'s old token: signed out by the ban');
    byToken.c.close();
    check.equal((await ask(aminah, { type: 'set-role', username: 'bob', role: 'moderator' })).role, 'moderator', 'Aminah makes Bob a moderator');
    check.equal((await ask(bob, { type: 'mute', room: 'general', username: 'Cara', minutes: 1 })).request, 'mute', 'Bob, now a moderator, may mute');
    await ask(bob, { type: 'unmute', room: 'general', username: 'Cara' });
    const log = (await ask(aminah, { type: 'audit' }, 'audit')).entries;
    const acts = log.map((e) => `${e.actor} ${e.action} ${e.target}`);
    for (const act of ['Mod mute Eve', 'Mod unmute Eve', 'Mod delete Eve', 'Mod kick Eve', 'Mod ban Eve', 'Aminah role Bob', 'Bob mute Cara'])
      check.ok(acts.includes(act), `the audit log has "${act}", with its time`);
    check.ok(log.every((e) => /^\d{4}-\d\d-\d\dT/.test(e.at)), 'every entry has a time');
    check.ok(!acts.some((a) => a.startsWith('Bob delete')), 'an author deleting their own message is not a moderation act');
  }

  check.section('after a restart');
  {
    for (const c of [bob, cara, aminah, mod]) c.close();
    await server.stopCleanly(check);
    server = await startServer(['--auth', 'accounts'], { dir });
    servers.push(server);
    port = server.port;
    const eve2 = await login(port, 'Eve', people.Eve[1], { from: '127.0.3.1' });
    check.equal(eve2.reply.code, 'banned', 'Eve is still banned');
    eve2.c.close();
    const cara2 = await signIn(port, 'Cara');
    check.equal((await ask(cara2, { type: 'join', room: dm }, 'joined')).code, 'forbidden', 'the DM is still closed to Cara');
    const joined = await ask(cara2, { type: 'join', room: 'project' }, 'joined');
    check.ok(joined.type === 'joined' && joined.history.some((m) => m.id === secretId), 'Cara is still a member of project, with its history');
    const bob2 = await signIn(port, 'Bob');
    bob2.json({ type: 'rooms' });
    const rooms = (await bob2.next('rooms')).rooms;
    check.ok(rooms.find((r) => r.name === 'general')?.topic === 'Be kind' && rooms.some((r) => r.name === dm), 'general keeps its topic; Bob still has the DM');
    check.equal((await ask(bob2, { type: 'mute', room: 'general', username: 'Cara', minutes: 1 })).request, 'mute', 'Bob is still a moderator');
    check.equal((await ask(bob2, { type: 'unban', username: 'Eve' })).request, 'unban', 'Bob lifts Eve\'s ban');
    const eve3 = await login(port, 'Eve', people.Eve[1], { from: '127.0.3.2' });
    check.equal(eve3.reply.type, 'signed-in', 'Eve signs in again');
    eve3.c.close();
    cara2.close();
    bob2.close();
    await server.stopCleanly(check);
  }
} catch (e) {
  check.ok(false, `unexpected: ${e.stack}`);
  for (const s of servers) console.log(s.stderr().slice(-12000));
} finally {
  for (const s of servers) await s.stop().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
  check.finish();
}

// The page's connection module (resources/web/connection.js) in Node, with the
// `ws` package as its WebSocket, against a real chat-server with its default
// limits: whose outbox is sent after a name change, what leaving a room does to
// the outbox, and server frames with numbers out of range.
import { createRequire } from 'node:module';
import { startServer } from '../lib/server.mjs';
import { createChecks } from '../lib/check.mjs';
import { connectClient } from '../lib/wsclient.mjs';

globalThis.WebSocket = createRequire(import.meta.url)('ws');
const { ChatConnection } = await import('../../resources/web/connection.js');
const check = createChecks('connection');

class MemoryStorage {
  constructor() { this.map = new Map(); }
  getItem(key) { return this.map.has(key) ? this.map.get(key) : null; }
  setItem(key, value) { this.map.set(key, String(value)); }
}

function until(what, condition, timeoutMs = 8000) {
  return new Promise((resolve) => {
    const started = Date.now();
    const poll = () => {
      if (condition()) resolve(true);
      else if (Date.now() - started > timeoutMs) { console.log(`    timed out waiting for ${what}`); resolve(false); } else setTimeout(poll, 10);
    };
    poll();
  });
}

const server = await startServer();
const url = `ws://127.0.0.1:${server.port}/`;
try {
  check.section('a new name sends only its own outbox');
  const squatter = await connectClient(server.port);
  await squatter.hello('Ali');
  await squatter.joinRoom('general');
  const storage = new MemoryStorage();
  const c = new ChatConnection({ url, storage });
  c.join('general');
  let failed = 0;
  c.addEventListener('identify-failed', () => { failed += 1; });
  c.start('Ali');
  check.ok(await until('the name to be refused', () => failed === 1), 'the name Ali is taken');
  c.send('general', 'typed as Ali');
  check.equal(c.outbox.length, 1, 'Ali\'s message waits');
  c.identifyAs('Ali2');
  check.equal(c.outbox.length, 0, 'Ali2 starts with Ali2\'s (empty) outbox');
  check.ok(await until('Ali2 online and joined', () => c.state === 'online' && c.joined.has('general')), 'identified as Ali2');
  c.send('general', 'typed as Ali2');
  const mine = await squatter.next('message', (m) => m.username === 'Ali2');
  check.equal(mine.text, 'typed as Ali2', 'Ali2\'s message is delivered');
  await (async () => { squatter.json({ type: 'rooms' }); await squatter.next('rooms'); })();
  check.equal(squatter.count('message', (m) => m.text === 'typed as Ali'), 0, 'Ali\'s message was not sent as Ali2');
  const kept = JSON.parse(storage.getItem('lanchat.outbox.ali') || '[]');
  check.equal(kept.map((i) => i.text), ['typed as Ali'], 'it stays in Ali\'s saved outbox');

  check.section('joins and leaves come as presence frames');
  const presence = [];
  let oneByOne = 0;
  c.addEventListener('presence', (e) => presence.push(e.detail));
  c.addEventListener('user-joined', () => { oneByOne += 1; });
  const dee = await connectClient(server.port);
  dee.json({ type: 'join', room: 'general', username: 'Dee' });
  check.ok(await until('Dee in a presence frame', () => presence.some((p) => p.joined.includes('Dee'))), 'the page hears of Dee in a presence frame');
  const count = squatter.next('user-left', (m) => m.username === 'Dee');
  dee.close();
  check.equal((await count).usersInRoom, 2, 'the documents\' client hears of it one by one');
  check.ok(await until('Dee gone', () => presence.some((p) => p.left.includes('Dee') && p.usersInRoom === 2)), 'and the page in a presence frame with the count');
  check.equal(oneByOne, 0, 'the page never gets a user-joined');

  check.section('leaving a room drops what waited for it');
  c.join('side');
  check.ok(await until('joined #side', () => c.joined.has('side')), 'joined #side');
  c.stop();
  c.send('side', 'never mind');
  c.send('general', 'still wanted');
  c.leave('side');
  check.equal(c.outbox.map((i) => i.text), ['still wanted'], 'only the other room\'s message waits');
  check.equal(JSON.parse(storage.getItem('lanchat.outbox.ali2')).map((i) => i.text), ['still wanted'], 'and so in storage');

  check.section('server numbers out of range are dropped');
  const seen = [];
  for (const type of ['message', 'user-joined', 'user-left', 'presence', 'joined', 'history', 'rooms']) c.addEventListener(type, (e) => seen.push(e.detail));
  c.rooms.push('general');
  const when = '2026-11-21T23:39:24.762Z';
  const lastBefore = c.lastIds.get('general');
  c.onMessage(JSON.stringify({ type: 'message', room: 'general', id: 2.2e71, username: 'x', text: 't', timestamp: when }));
  c.onMessage(JSON.stringify({ type: 'message', room: 'general', id: 1.5, username: 'x', text: 't', timestamp: when }));
  c.onMessage(JSON.stringify({ type: 'user-joined', room: 'general', username: 'x', usersInRoom: -1 }));
  c.onMessage(JSON.stringify({ type: 'user-left', room: 'general', username: 'x', usersInRoom: 1e40 }));
  c.onMessage(JSON.stringify({ type: 'joined', room: 'general', users: [], history: [{ id: 9007199254740993, username: 'x', text: 't', timestamp: when }] }));
  c.onMessage(JSON.stringify({ type: 'rooms', rooms: [{ name: 'general', usersInRoom: 'many' }] }));
  c.onMessage(JSON.stringify({ type: 'presence', room: 'general', joined: ['x'], left: [], usersInRoom: -1 }));
  c.onMessage(JSON.stringify({ type: 'presence', room: 'general', joined: 'x', left: [], usersInRoom: 1 }));
  c.onMessage(JSON.stringify({ type: 'presence', room: 'general', joined: [], left: [3], usersInRoom: 1 }));
  check.equal(seen.length, 0, 'none of them reaches the page');
  check.equal(c.lastIds.get('general'), lastBefore, 'no id was taken from them');
  c.onMessage(JSON.stringify({ type: 'message', room: 'general', id: 7, username: 'x', text: 't', timestamp: when }));
  check.equal(seen.length, 1, 'a good one does');
  c.stop();
  squatter.close();
} catch (error) {
  check.ok(false, `unexpected: ${error.stack}`);
} finally {
  await server.stop();
  check.finish();
}

// The documents' Node `ws` chat client flow, unchanged, against chat-server:
// two clients join, chat, type and leave; every field the example relies on is checked.
// With CHAT_TEST_CLUSTER=1 the same flow runs with the two clients on two
// servers sharing a PostgreSQL and a Redis of the test's own (issue 15).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { startServer } from '../lib/server.mjs';
import { startPostgres } from '../lib/postgres.mjs';
import { startRedis } from '../lib/redis.mjs';

const require = createRequire(import.meta.url);
const WebSocket = require('ws');

// A client as the documents write it: collects messages by type.
function connect(port) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}`);
    const inbox = [];
    const waiters = [];
    ws.on('message', (raw) => {
      const message = JSON.parse(raw);
      inbox.push(message);
      for (const w of [...waiters]) w();
    });
    ws.next = (type, predicate = () => true, timeoutMs = 5000) => new Promise((res, rej) => {
      const check = () => {
        const i = inbox.findIndex((m) => m.type === type && predicate(m));
        if (i < 0) return false;
        const [m] = inbox.splice(i, 1);
        waiters.splice(waiters.indexOf(check), 1);
        clearTimeout(timer);
        res(m);
        return true;
      };
      const timer = setTimeout(() => { waiters.splice(waiters.indexOf(check), 1); rej(new Error(`no ${type} within ${timeoutMs} ms; inbox: ${JSON.stringify(inbox)}`)); }, timeoutMs);
      waiters.push(check);
      check();
    });
    ws.none = (type) => inbox.filter((m) => m.type === type);
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
  });
}

const isoMs = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
let checks = 0;
const check = (fn) => { fn(); checks += 1; };

const cluster = process.env.CHAT_TEST_CLUSTER === '1';
const pg = cluster ? await startPostgres() : null;
const redis = cluster ? await startRedis() : null;
const shared = cluster ? ['--store', pg.url, '--bus', redis.url] : [];
const server = await startServer(cluster ? [...shared, '--node-id', 'a'] : []);
const other = cluster ? await startServer([...shared, '--node-id', 'b']) : server;
try {
  const aminah = await connect(server.port);
  const ben = await connect(other.port);

  aminah.send(JSON.stringify({ type: 'join', room: 'general', username: 'Aminah' }));
  let m = await aminah.next('user-joined');
  check(() => assert.equal(m.username, 'Aminah'));
  check(() => assert.equal(m.usersInRoom, 1));
  if (cluster) {
    // Ben's server counts Aminah once it has her server's presence (published at
    // once on a join): wait for that, as a client could not tell the difference.
    const end = Date.now() + 10000;
    const probe = await connect(other.port);
    for (;;) {
      probe.send(JSON.stringify({ type: 'rooms' }));
      const list = await probe.next('rooms');
      if (list.rooms.some((r) => r.name === 'general' && r.usersInRoom === 1) || Date.now() > end) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    probe.close();
  }

  ben.send(JSON.stringify({ type: 'join', room: 'general', username: 'Ben' }));
  m = await ben.next('user-joined');
  check(() => assert.equal(m.username, 'Ben'));
  check(() => assert.equal(m.usersInRoom, 2));
  m = await aminah.next('user-joined', (x) => x.username === 'Ben');
  check(() => assert.equal(m.usersInRoom, 2));

  aminah.send(JSON.stringify({ type: 'chat', text: 'Hello from Node!' }));
  for (const c of [aminah, ben]) {
    m = await c.next('message');
    check(() => assert.equal(m.username, 'Aminah'));
    check(() => assert.equal(m.text, 'Hello from Node!'));
    check(() => assert.match(m.timestamp, isoMs));
    check(() => assert.ok(Math.abs(Date.parse(m.timestamp) - Date.now()) < 60000));
  }

  ben.send(JSON.stringify({ type: 'typing' }));
  m = await aminah.next('user-typing');
  check(() => assert.equal(m.username, 'Ben'));
  await new Promise((r) => setTimeout(r, 200));
  check(() => assert.equal(ben.none('user-typing').length, 0));

  // Invalid JSON gets an error and the connection keeps working.
  ben.send('this is not json');
  m = await ben.next('error');
  check(() => assert.equal(m.code, 'invalid-json'));
  ben.send(JSON.stringify({ type: 'chat', text: 'still here' }));
  m = await aminah.next('message', (x) => x.text === 'still here');
  check(() => assert.equal(m.username, 'Ben'));

  ben.close();
  m = await aminah.next('user-left');
  check(() => assert.equal(m.username, 'Ben'));
  check(() => assert.equal(m.usersInRoom, 1));
  aminah.close();
  console.log(`interop: documents' ws client flow against chat-server${cluster ? ', the two clients on two servers' : ''}: ${checks} checks held`);
  console.log(`${checks} passed, 0 failed`);
} catch (error) {
  console.error(error);
  console.error(server.stderr());
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
} finally {
  for (const s of cluster ? [server, other] : [server]) {
    const { code } = await s.stop();
    if (code !== 0) {
      console.error(`chat-server exited with ${code} on SIGTERM`);
      process.exitCode = 1;
    }
  }
  await redis?.destroy();
  await pg?.destroy();
}

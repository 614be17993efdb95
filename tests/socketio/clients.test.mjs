// socket.io-client programs against chat-server with its default limits:
// 4.x (the current release) and 4.0.0 (what the documents load), on every
// transport (polling then upgrade, WebSocket only, polling only); acks with the
// stored message or the error; the v1 WebSocket clients in the same rooms;
// namespaces, the password, binary, and a server kill with nothing lost.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../lib/server.mjs';
import { connectClient } from '../lib/wsclient.mjs';
import { createChecks } from '../lib/check.mjs';

const require = createRequire(import.meta.url);
const clients = {
  '4.8.1': require('socket.io-client').io,
  '4.0.0': require('socket.io-client-4.0.0').io,
};
const check = createChecks('socketio-clients');

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms); }),
  ]);
}

// Events of one name (their first argument: a message event's last one is the
// recovery offset), kept in order, and a wait for the next that matches.
function recorder(socket, name) {
  const seen = [];
  const waiters = new Set();
  socket.on(name, (first) => {
    seen.push(first);
    for (const w of [...waiters]) w();
  });
  return {
    seen,
    next(predicate = () => true, ms = 8000) {
      return withTimeout(new Promise((resolve) => {
        const tryNow = () => {
          const i = seen.findIndex(predicate);
          if (i < 0) return;
          waiters.delete(tryNow);
          resolve(seen.splice(i, 1)[0]);
        };
        waiters.add(tryNow);
        tryNow();
      }), ms, `event ${name}`);
    },
  };
}

const ask = (socket, event, data, ms = 8000) =>
  withTimeout(new Promise((resolve) => socket.emit(event, data, resolve)), ms, `ack of ${event}`);

function connect(io, port, options) {
  const socket = io(`http://127.0.0.1:${port}`, { reconnection: false, forceNew: true, ...options });
  const connected = withTimeout(new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (e) => reject(e));
  }), 8000, 'connect');
  return { socket, connected };
}

const server = await startServer();
const { port } = server;
try {
  const watcher = await connectClient(port);
  await watcher.hello('watcher');
  await watcher.joinRoom('lobby');

  const transports = {
    'polling then WebSocket': {},
    'WebSocket only': { transports: ['websocket'] },
    'polling only': { transports: ['polling'] },
  };
  let n = 0;
  for (const [version, io] of Object.entries(clients)) {
    for (const [name, options] of Object.entries(transports)) {
      n += 1;
      check.section(`socket.io-client ${version}, ${name}`);
      const username = `sio${n}`;
      const { socket, connected } = connect(io, port, { ...options, auth: { username } });
      const identified = recorder(socket, 'identified');
      const messages = recorder(socket, 'message');
      await connected;
      check.ok(typeof socket.id === 'string' && socket.id.length > 0, `connected with a socket.id (${socket.id})`);
      check.equal((await identified.next()).username, username, 'the name in auth identifies the connection');
      const joined = await ask(socket, 'join', { room: 'lobby' });
      check.equal([joined.type, joined.room], ['joined', 'lobby'], 'join is answered through the ack with joined');
      check.ok(joined.users.includes('watcher') && joined.users.includes(username), 'joined lists both members');
      const clientId = `c-${n}`;
      const stored = await ask(socket, 'chat', { room: 'lobby', text: `hello from ${version} ${name}`, clientId });
      check.equal([stored.type, stored.username, stored.clientId], ['message', username, clientId],
        'chat is acknowledged with the stored message');
      check.ok(Number.isInteger(stored.id) && stored.id > 0, `the ack carries the message id (${stored.id})`);
      const seen = await watcher.next('message', (m) => m.clientId === clientId);
      check.equal([seen.id, seen.text], [stored.id, stored.text], 'a v1 WebSocket client in the room gets it');
      watcher.json({ type: 'chat', room: 'lobby', text: `hi ${username}` });
      const back = await messages.next((m) => m.text === `hi ${username}`);
      check.equal(back.username, 'watcher', 'what the v1 client says reaches the Socket.IO client as message');
      const again = await ask(socket, 'chat', { room: 'lobby', text: 'retry', clientId });
      check.equal(again.id, stored.id, 'a retry with the same clientId is stored once and acked with the original');
      const tooLong = await ask(socket, 'chat', { room: 'lobby', text: 'x'.repeat(4001) });
      check.equal([tooLong.type, tooLong.code], ['error', 'too-long'], 'a refused chat is acked with the error and its code');
      const nowhere = await ask(socket, 'chat', { room: 'nowhere', text: 'lost?' });
      check.equal(nowhere.code, 'not-in-room', 'a chat to a room not joined: not-in-room');
      const history = await ask(socket, 'history', { room: 'lobby', limit: 2 });
      check.equal([history.type, history.messages.length], ['history', 2], 'history is answered through the ack');
      const rooms = await ask(socket, 'rooms', {});
      check.ok(rooms.type === 'rooms' && rooms.rooms.some((r) => r.name === 'lobby'), 'rooms lists the room');
      const typing = await ask(socket, 'typing', { room: 'lobby' });
      check.equal(typing.type, 'ok', 'a request with no reply of its own is acked ok');
      const typed = await watcher.next('user-typing', (m) => m.username === username);
      check.equal(typed.active, true, 'typing reaches the v1 client');
      if (name === 'polling then WebSocket') {
        await withTimeout(new Promise((resolve) => {
          if (socket.io.engine.transport.name === 'websocket') resolve();
          else socket.io.engine.once('upgrade', resolve);
        }), 8000, 'upgrade');
        check.equal(socket.io.engine.transport.name, 'websocket', 'the session upgraded to WebSocket');
        const after = await ask(socket, 'chat', { room: 'lobby', text: 'after the upgrade', clientId: `${clientId}-up` });
        check.equal(after.type, 'message', 'chat after the upgrade is acknowledged');
      }
      const leftSeen = watcher.next('user-left', (m) => m.username === username);
      socket.disconnect();
      check.equal((await leftSeen).username, username, 'disconnect: the others see the user leave');
    }
  }

  check.section('namespaces, the documents\' pages, binary');
  {
    const io = clients['4.8.1'];
    const bad = io(`http://127.0.0.1:${port}/elsewhere`, { reconnection: false, forceNew: true });
    const error = await withTimeout(new Promise((resolve) => bad.once('connect_error', resolve)), 8000, 'connect_error');
    check.equal(error.message, 'Invalid namespace', 'an unknown namespace: connect_error Invalid namespace');
    bad.close();

    // A page that gives no name: a guest in #general, and the documents' events.
    const { socket: page, connected } = connect(io, port, {});
    const news = recorder(page, 'kampung_news');
    const chats = recorder(page, 'chat message');
    const identified = recorder(page, 'identified');
    await connected;
    const guest = (await identified.next()).username;
    check.ok(/^guest-\d+$/.test(guest), `a page without a name is a guest (${guest})`);
    const general = await connectClient(port);
    await general.hello('generalist');
    await general.joinRoom('general');
    check.equal((await news.next((m) => m.includes('generalist'))), 'generalist joined the kampung!', 'kampung_news for a join');
    page.emit('chat message', 'from the page');
    const stored = await general.next('message', (m) => m.text === 'from the page');
    check.equal([stored.room, stored.username], ['general', guest], '"chat message" is a real message in #general');
    general.json({ type: 'chat', room: 'general', text: 'to the page' });
    check.equal(await chats.next((m) => m.includes('to the page')), 'generalist: to the page', '"chat message" to the page carries the sender');
    page.emit('join_kampung', 'Aminah');
    check.equal((await identified.next()).username, 'Aminah', 'join_kampung names the guest');
    const renamed = await general.next('user-joined', (m) => m.username === 'Aminah');
    check.equal(renamed.room, 'general', 'the others see Aminah join #general');
    const errors = recorder(page, 'error');
    page.emit('kampung_chat', Buffer.from([1, 2, 3]));
    check.equal((await errors.next()).code, 'binary-unsupported', 'binary data in the chat: error binary-unsupported');
    page.disconnect();
    general.close();
  }

  check.section('binary events and acks (the conformance handlers)');
  {
    const echo = await startServer(['--socketio-conformance']);
    for (const [version, io] of Object.entries(clients)) {
      const socket = io(`http://127.0.0.1:${echo.port}`, { reconnection: false, forceNew: true });
      await withTimeout(new Promise((resolve) => socket.once('connect', resolve)), 8000, 'connect');
      const back = withTimeout(new Promise((resolve) => socket.once('message-back', (...a) => resolve(a))), 8000, 'message-back');
      socket.emit('message', Buffer.from([1, 2, 3]), { nested: Buffer.from([4, 5]) });
      const [bytes, nested] = await back;
      check.equal([[...bytes], [...nested.nested]], [[1, 2, 3], [4, 5]], `${version}: a binary event comes back with its attachments`);
      const acked = await withTimeout(new Promise((resolve) => socket.emit('message-with-ack', Buffer.from([9]), 'text', (...a) => resolve(a))), 8000, 'ack');
      check.equal([[...acked[0]], acked[1]], [[9], 'text'], `${version}: a binary ack`);
      socket.close();
    }
    await echo.stop();
  }

  check.section('password');
  {
    const locked = await startServer(['--token', 's3cret']);
    const io = clients['4.8.1'];
    const refused = io(`http://127.0.0.1:${locked.port}`, { reconnection: false, forceNew: true, auth: { username: 'x' } });
    const error = await withTimeout(new Promise((resolve) => refused.once('connect_error', resolve)), 8000, 'connect_error');
    check.equal(error.data?.code, 'unauthorized', 'no password: connect_error unauthorized');
    refused.close();
    const { socket, connected } = connect(io, locked.port, { auth: { username: 'keyholder', token: 's3cret' } });
    const identified = recorder(socket, 'identified');
    await connected;
    check.equal((await identified.next()).username, 'keyholder', 'the right password in auth: identified');
    socket.disconnect();
    await locked.stop();
  }

  check.section('a server kill: the client reconnects, resumes its room and loses nothing');
  {
    const dir = mkdtempSync(join(tmpdir(), 'chat-sio-kill-'));
    const killed = await startServer([], { dir });
    const io = clients['4.8.1'];
    const socket = io(`http://127.0.0.1:${killed.port}`, {
      forceNew: true, reconnectionDelay: 100, reconnectionDelayMax: 500, auth: { username: 'phoenix' },
    });
    const messages = recorder(socket, 'message');
    let lastId = 0;
    socket.on('message', (m) => { if (m.room === 'lobby') lastId = Math.max(lastId, m.id); });
    let connects = 0;
    const rejoined = [];
    socket.on('connect', async () => {
      connects += 1;
      const reply = await ask(socket, 'join', { room: 'lobby', ...(lastId ? { since: lastId } : {}) });
      rejoined.push(reply);
      for (const m of reply.history ?? []) lastId = Math.max(lastId, m.id);
    });
    await withTimeout(new Promise((resolve) => { const t = setInterval(() => { if (rejoined.length) { clearInterval(t); resolve(); } }, 20); }), 8000, 'first join');
    const first = await ask(socket, 'chat', { room: 'lobby', text: 'before the kill', clientId: 'k-1' });
    check.equal(first.type, 'message', 'a message before the kill');
    await messages.next((m) => m.clientId === 'k-1');
    // The emit below must come after the client has seen the connection go:
    // one emitted while socket.io-client still thinks it is connected is
    // written into the dead socket and lost (its delivery is at most once).
    const dropped = new Promise((resolve) => socket.once('disconnect', resolve));
    await killed.stop('SIGKILL');
    await withTimeout(dropped, 8000, 'disconnect after the kill');
    // While the server is down: the client buffers what it emits.
    const during = ask(socket, 'chat', { room: 'lobby', text: 'while down', clientId: 'k-2' }, 20000);
    const reborn = await startServer(['--port', String(killed.port)], { dir });
    const other = await connectClient(reborn.port);
    await other.hello('witness');
    await other.joinRoom('lobby');
    other.json({ type: 'chat', room: 'lobby', text: 'missed 1' });
    other.json({ type: 'chat', room: 'lobby', text: 'missed 2' });
    await other.next('message', (m) => m.text === 'missed 2');
    // socket.io-client sends what it buffered before its 'connect' handlers run,
    // so before the join: the ack says not-in-room, and the client (as the v1
    // clients' outbox does) sends it again, same clientId, once it has joined.
    let buffered = await during;
    await withTimeout(new Promise((resolve) => { const t = setInterval(() => { if (rejoined.length >= 2) { clearInterval(t); resolve(); } }, 20); }), 20000, 'rejoin');
    if (buffered.type === 'error') {
      check.equal(buffered.code, 'not-in-room', 'the buffered chat, sent before the rejoin, is refused (not lost): not-in-room');
      buffered = await ask(socket, 'chat', { room: 'lobby', text: 'while down', clientId: 'k-2' });
    }
    check.equal(buffered.type, 'message', 'what was emitted while the server was down is stored once it is back');
    check.ok(connects >= 2, `the client reconnected by itself (${connects} connects)`);
    const texts = new Set([...(rejoined[1].history ?? []).map((m) => m.text), ...messages.seen.map((m) => m.text)]);
    check.ok(texts.has('missed 1') && texts.has('missed 2'), `join with since fetches what it missed: nothing lost (${[...texts]})`);
    const all = await ask(socket, 'history', { room: 'lobby', limit: 200 });
    const k2 = all.messages.filter((m) => m.clientId === 'k-2').length;
    check.equal(k2, 1, 'the buffered message is stored exactly once');
    socket.close();
    other.close();
    await reborn.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  check.section('connection state recovery (pid and offset) across a server kill');
  {
    const dir = mkdtempSync(join(tmpdir(), 'chat-sio-csr-'));
    const first = await startServer([], { dir });
    const socket = clients['4.8.1'](`http://127.0.0.1:${first.port}`, {
      forceNew: true, reconnectionDelay: 100, reconnectionDelayMax: 500, auth: { username: 'lazarus' },
    });
    const messages = recorder(socket, 'message');
    await new Promise((resolve) => socket.once('connect', resolve));
    const id = socket.id;
    check.equal(socket.recovered, false, 'a first connection is not a recovered one');
    await ask(socket, 'join', { room: 'crypt' });
    const other = await connectClient(first.port);
    await other.hello('mourner');
    await other.joinRoom('crypt');
    other.json({ type: 'chat', room: 'crypt', text: 'before' });
    await messages.next((m) => m.text === 'before');
    other.close();
    // The client stays away until 'missed 1' and 'missed 2' are stored, so that
    // it can only get them through recovery (reconnecting by itself after a
    // kill is the previous section's check).
    socket.io.reconnection(false);
    const dropped = new Promise((resolve) => socket.once('disconnect', resolve));
    await first.stop('SIGKILL');
    await withTimeout(dropped, 8000, 'disconnect after the kill');
    const second = await startServer(['--port', String(first.port)], { dir });
    const mourner = await connectClient(second.port);
    await mourner.hello('mourner');
    await mourner.joinRoom('crypt');
    mourner.json({ type: 'chat', room: 'crypt', text: 'missed 1' });
    mourner.json({ type: 'chat', room: 'crypt', text: 'missed 2' });
    await mourner.next('message', (m) => m.text === 'missed 2');
    const back = new Promise((resolve) => socket.once('connect', resolve));
    socket.io.reconnection(true);
    socket.connect();
    await withTimeout(back, 8000, 'reconnect');
    check.equal(socket.recovered, true, 'the client comes back recovered (its pid, kept in the store, survived the kill)');
    check.equal(socket.id, id, 'with the same socket.id');
    const m1 = await messages.next((m) => m.text === 'missed 1');
    const m2 = await messages.next((m) => m.text === 'missed 2');
    check.ok(m1.id < m2.id, 'what it missed arrives as message events, in order');
    check.equal(messages.seen.filter((m) => m.text.startsWith('missed')).length, 0, '... each once');
    const after = await ask(socket, 'chat', { room: 'crypt', text: 'back', clientId: 'csr-1' });
    check.equal(after.type, 'message', 'it is in its room again without joining: its chat is stored');
    socket.disconnect();
    mourner.close();
    await second.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  watcher.close();
} catch (e) {
  check.ok(false, `unexpected: ${e.stack}`);
} finally {
  await server.stopCleanly(check);
}
check.finish();
process.exit(process.exitCode ?? 0);

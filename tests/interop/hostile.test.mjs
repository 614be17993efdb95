// Hostile input against a real chat-server: broken frames, fragment floods,
// slowloris, foreign origins, passwords, too many connections, floods, readers
// that stop reading, and TLS. Each scenario prints what it tried and what held;
// after each one the server still answers a fresh client.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import net from 'node:net';
import nodeTls from 'node:tls';
import https from 'node:https';
import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { startServer } from '../lib/server.mjs';
import { createChecks } from '../lib/check.mjs';
import { rawConnect, frame, closePayload } from '../lib/rawws.mjs';
import { connectClient } from '../lib/wsclient.mjs';

const require = createRequire(import.meta.url);
const WebSocket = require('ws');
const check = createChecks('hostile');
const here = dirname(fileURLToPath(import.meta.url));
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

function rssKiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
}

async function freshClientWorks(server, label, options = {}) {
  const c = await connectClient(server.port, options);
  const welcome = await c.next('welcome');
  await c.hello(`fresh${Math.floor(Math.random() * 1e9)}`);
  await c.joinRoom('health');
  c.json({ type: 'chat', room: 'health', text: 'still alive' });
  const m = await c.next('message');
  c.close();
  return check.ok(welcome.protocol === 1 && m.text === 'still alive', `${label}: a fresh client still connects and chats`);
}

function rawHttp(port, bytes, timeoutMs = 8000) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    const done = () => { socket.destroy(); resolve(data); };
    socket.setTimeout(timeoutMs, done);
    socket.on('data', (d) => { data += d.toString('latin1'); });
    socket.on('end', done);
    socket.on('error', done);
    socket.on('connect', () => socket.write(bytes));
  });
}

function upgradeRequest(port, extra = '') {
  return `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`
    + `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`;
}

// --- frames -------------------------------------------------------------------------

// The same cases over ws:// and wss://: one parser serves both (the TLS
// connection's decrypted stream goes through it like a descriptor's bytes).
async function frames(scheme = 'ws') {
  check.section(`RFC 6455 frames over ${scheme}://`);
  const tlsArgs = scheme === 'wss' ? ['--tls-self-signed'] : [];
  const server = await startServer(['--log', 'warning', ...tlsArgs]);
  const ca = scheme === 'wss' ? readFileSync(join(server.dir, 'tls-cert.pem')) : undefined;
  const raw = () => rawConnect(server.port, { ca });
  const rssBefore = rssKiB(server.child.pid);
  const cases = [
    ['reserved bits set', frame({ rsv: 4, payload: '{"type":"rooms"}' }), 1002],
    ['unknown data opcode 3', frame({ opcode: 3, payload: 'x' }), 1002],
    ['unknown control opcode 11', frame({ opcode: 11, payload: 'x' }), 1002],
    ['fragmented ping', frame({ opcode: 9, fin: false, payload: 'x' }), 1002],
    ['oversized ping (126 bytes)', frame({ opcode: 9, payload: Buffer.alloc(126) }), 1002],
    ['continuation without a start', frame({ opcode: 0, payload: 'x' }), 1002],
    ['new text frame inside a fragmented one', Buffer.concat([frame({ opcode: 1, fin: false, payload: '{"type":' }), frame({ opcode: 1, payload: '"rooms"}' })]), 1002],
    ['invalid UTF-8 in a text frame', frame({ opcode: 1, payload: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) }), 1007],
    ['invalid UTF-8 in a close reason', frame({ opcode: 8, payload: closePayload(1000, Buffer.from([0xff, 0xfe])) }), 1007],
    ['frame over 64 KiB', frame({ payload: Buffer.alloc(70000, 0x20) }), 1009],
    ['message over 64 KiB in two frames', Buffer.concat([frame({ opcode: 1, fin: false, payload: Buffer.alloc(40000, 0x20) }), frame({ opcode: 0, payload: Buffer.alloc(40000, 0x20) })]), 1009],
    ['close with code 999', frame({ opcode: 8, payload: closePayload(999) }), 1002],
    ['close with code 1005 (reserved)', frame({ opcode: 8, payload: closePayload(1005) }), 1002],
    ['close with code 1006 (reserved)', frame({ opcode: 8, payload: closePayload(1006) }), 1002],
    ['close with code 1016 (unassigned)', frame({ opcode: 8, payload: closePayload(1016) }), 1002],
    ['close with code 5000', frame({ opcode: 8, payload: closePayload(5000) }), 1002],
    ['close with a 1-byte payload', frame({ opcode: 8, payload: Buffer.from([3]) }), 1002],
    ['unmasked text frame', frame({ mask: false, payload: '{"type":"rooms"}' }), 1002],
    ['unmasked ping', frame({ opcode: 9, mask: false, payload: 'x' }), 1002],
    ['unmasked close', frame({ opcode: 8, mask: false, payload: closePayload(1000) }), 1002],
    ['unmasked 16-bit-length frame', frame({ mask: false, payload: Buffer.alloc(300, 0x20) }), 1002],
    ['unmasked continuation of a masked start', Buffer.concat([frame({ opcode: 1, fin: false, payload: '{"type":' }), frame({ opcode: 0, mask: false, payload: '"rooms"}' })]), 1002],
    ['a proper close 1000', frame({ opcode: 8, payload: closePayload(1000) }), 1000],
    ['a proper close 4000', frame({ opcode: 8, payload: closePayload(4000) }), 4000],
  ];
  const witness = await connectClient(server.port, { ca });
  await witness.hello('Witness');
  await witness.joinRoom('general');
  for (const [what, bytes, expected] of cases) {
    const c = await raw();
    await c.waitFor(() => c.frames.length > 0);
    c.write(bytes);
    const code = await c.closeCode(5000);
    check.equal(code, expected, `${scheme}: ${what}: closed with ${expected}`);
    c.destroy();
  }
  // Masked requests before an unmasked frame are answered; the unmasked one is not.
  const mixed = await raw();
  await mixed.waitFor(() => mixed.frames.length > 0);
  mixed.write(Buffer.concat([
    frame({ payload: JSON.stringify({ type: 'hello', username: 'Mixed' }) }),
    frame({ payload: JSON.stringify({ type: 'join', room: 'general' }) }),
    frame({ payload: JSON.stringify({ type: 'chat', room: 'general', text: 'masked, fine' }) }),
    frame({ mask: false, payload: JSON.stringify({ type: 'chat', room: 'general', text: 'unmasked, refused' }) }),
  ]));
  const mixedCode = await mixed.closeCode(5000);
  check.equal(mixedCode, 1002, 'masked frames then an unmasked one: closed with 1002');
  const seen = [];
  for (;;) {
    const m = await witness.next('message', () => true, 1000).catch(() => null);
    if (!m) break;
    seen.push(m.text);
  }
  check.equal(seen, ['masked, fine'], 'the masked chat was delivered, the unmasked one never reached the room');
  mixed.destroy();
  // Masked frames trickled a few bytes at a time are followed across reads.
  const trickle = await raw();
  await trickle.waitFor(() => trickle.frames.length > 0);
  const trickled = Buffer.concat([
    frame({ payload: JSON.stringify({ type: 'rooms' }) }),
    frame({ opcode: 9, payload: 'p' }),
    frame({ payload: JSON.stringify({ type: 'rooms', pad: 'z'.repeat(300) }) }),
  ]);
  for (let i = 0; i < trickled.length; i += 3) {
    trickle.write(trickled.subarray(i, i + 3));
    await new Promise((r) => setTimeout(r, 2));
  }
  check.ok(await trickle.waitFor(() => trickle.texts().filter((m) => m.type === 'rooms').length === 2, 5000) && !trickle.closed,
    'masked frames trickled 3 bytes at a time: both answered, connection open');
  trickle.destroy();
  witness.json({ type: 'chat', room: 'general', text: 'unharmed' });
  check.equal((await witness.next('message')).text, 'unharmed', 'a client connected throughout kept chatting');

  // 100,000 one-byte fragments: over the message limit, refused without a stall.
  const flood = await raw();
  await flood.waitFor(() => flood.frames.length > 0);
  const parts = [frame({ opcode: 1, fin: false, payload: 'x' })];
  for (let i = 0; i < 100000; i += 1) parts.push(frame({ opcode: 0, fin: false, payload: 'x' }));
  const started = Date.now();
  flood.write(Buffer.concat(parts));
  const floodCode = await flood.closeCode(20000);
  console.log(`    100,000 one-byte fragments: closed with ${floodCode} after ${Date.now() - started} ms`);
  check.equal(floodCode, 1009, '100,000 one-byte fragments: closed with 1009');
  flood.destroy();
  // 30,000 fragments of a valid message: reassembled and answered.
  const many = await raw();
  await many.waitFor(() => many.frames.length > 0);
  const text = `{"type":"rooms","pad":"${'y'.repeat(29970)}"}`;
  const pieces = [frame({ opcode: 1, fin: false, payload: text[0] })];
  for (let i = 1; i < text.length - 1; i += 1) pieces.push(frame({ opcode: 0, fin: false, payload: text[i] }));
  pieces.push(frame({ opcode: 0, fin: true, payload: text[text.length - 1] }));
  many.write(Buffer.concat(pieces));
  check.ok(await many.waitFor(() => many.texts().some((m) => m.type === 'rooms'), 20000), `${text.length} one-byte fragments of a valid message are reassembled and answered`);
  many.destroy();
  await freshClientWorks(server, `frames over ${scheme}://`, { ca });
  const rssAfter = rssKiB(server.child.pid);
  console.log(`    server RSS: ${rssBefore} KiB before, ${rssAfter} KiB after`);
  check.ok(rssAfter < rssBefore + 64 * 1024, 'frames: memory back near where it started');
  witness.close();
  await server.stop();
}

// --- slowloris ------------------------------------------------------------------------

async function slowloris() {
  check.section('200 slowloris handshakes');
  const server = await startServer(['--log', 'warning', '--handshake-timeout', '3000']);
  const sockets = [];
  let closedByServer = 0;
  for (let i = 0; i < 200; i += 1) {
    const s = net.connect(server.port, '127.0.0.1');
    s.on('error', () => {});
    s.on('close', () => { closedByServer += 1; });
    s.on('connect', () => s.write('GET / HTTP/1.1\r\nHost: x\r\n'));
    sockets.push(s);
  }
  await pause(300);
  const trickle = setInterval(() => { for (const s of sockets) if (!s.destroyed) s.write('X'); }, 200);
  const started = Date.now();
  const normal = await connectClient(server.port);
  const welcomed = await normal.next('welcome').then(() => true, () => false);
  const connectMs = Date.now() - started;
  const stillOpen = sockets.filter((s) => !s.destroyed).length;
  console.log(`    a normal client connected in ${connectMs} ms while ${stillOpen} heads trickled in`);
  check.ok(welcomed && stillOpen === 200, 'a normal client connects while 200 slow handshakes are open');
  normal.close();
  for (let waited = 0; waited < 8000 && closedByServer < 200; waited += 100) await pause(100);
  clearInterval(trickle);
  console.log(`    ${closedByServer} of 200 slow connections closed by the server`);
  check.equal(closedByServer, 200, 'every slow handshake was cut off at the deadline');
  for (const s of sockets) s.destroy();
  await freshClientWorks(server, 'slowloris');
  await server.stop();
}

// --- origin, password, connection limits --------------------------------------------

async function origins() {
  check.section('origin check');
  const server = await startServer(['--log', 'warning', '--allow-origin', 'https://intranet.example']);
  const foreign = await rawHttp(server.port, upgradeRequest(server.port, 'Origin: http://evil.example\r\n'));
  check.ok(foreign.startsWith('HTTP/1.1 403'), 'a foreign Origin is refused with 403 before 101');
  const own = await rawHttp(server.port, upgradeRequest(server.port, `Origin: http://127.0.0.1:${server.port}\r\n`), 1000);
  check.ok(own.startsWith('HTTP/1.1 101'), 'the server\'s own origin is accepted');
  const listed = await rawHttp(server.port, upgradeRequest(server.port, 'Origin: https://intranet.example\r\n'), 1000);
  check.ok(listed.startsWith('HTTP/1.1 101'), 'an --allow-origin origin is accepted');
  const none = await rawHttp(server.port, upgradeRequest(server.port), 1000);
  check.ok(none.startsWith('HTTP/1.1 101'), 'no Origin (not a browser) is accepted');
  await freshClientWorks(server, 'origin');
  await server.stop();
}

async function password() {
  check.section('password');
  const server = await startServer(['--log', 'debug', '--token', 's3cret-Pa55', '--identify-timeout', '800']);
  const cases = [
    ['no password', { type: 'hello', username: 'NoPass' }],
    ['a wrong password', { type: 'hello', username: 'Wrong', token: 'guess' }],
    ['the documents\' join without hello', { type: 'join', room: 'general', username: 'Doc' }],
  ];
  for (const [what, message] of cases) {
    const c = await connectClient(server.port);
    const welcome = await c.next('welcome');
    check.equal(welcome.auth, 'token', `${what}: welcome says a password is needed`);
    const closed = new Promise((r) => c.on('close', (code) => r(code)));
    c.json(message);
    const error = await c.next('error');
    check.equal(error.code, 'unauthorized', `${what}: error unauthorized`);
    check.equal(await closed, 4003, `${what}: closed with 4003`);
  }
  const silent = await connectClient(server.port);
  const silentClosed = new Promise((r) => silent.on('close', (code) => r(code)));
  check.equal(await silentClosed, 4004, 'a connection that never identifies is closed with 4004');
  const good = await connectClient(server.port);
  good.json({ type: 'hello', username: 'Right', token: 's3cret-Pa55' });
  check.equal((await good.next('identified')).username, 'Right', 'the right password identifies');
  good.close();
  await pause(200);
  const { code } = await server.stop();
  check.equal(code, 0, 'server exits cleanly');
  check.ok(!server.stderr().includes('s3cret-Pa55'), 'the password never appears in the log (debug level)');
}

async function connectionLimits() {
  check.section('connections per address');
  const server = await startServer(['--log', 'warning', '--max-per-ip', '5']);
  const open = [];
  for (let i = 0; i < 5; i += 1) {
    const c = await connectClient(server.port);
    await c.next('welcome');
    open.push(c);
  }
  const sixth = await rawHttp(server.port, upgradeRequest(server.port));
  check.ok(sixth.startsWith('HTTP/1.1 429'), 'connection 6 of 5 from one address: 429');
  open.pop().close();
  await pause(500);
  const again = await connectClient(server.port);
  check.equal((await again.next('welcome')).type, 'welcome', 'after one closes, a new one is let in');
  again.close();
  for (const c of open) c.close();
  await pause(300);
  await freshClientWorks(server, 'limits');
  await server.stop();
}

// --- floods and slow readers ---------------------------------------------------------------

async function flood() {
  check.section('message flood');
  const server = await startServer(['--log', 'warning']);
  const witness = await connectClient(server.port);
  await witness.hello('Witness');
  await witness.joinRoom('general');
  const flooder = await connectClient(server.port);
  await flooder.hello('Flooder');
  await flooder.joinRoom('general');
  const flooderClosed = new Promise((r) => flooder.on('close', (code) => r(code)));
  const started = Date.now();
  for (let i = 0; i < 200; i += 1) flooder.json({ type: 'chat', room: 'general', text: `spam ${i}`, clientId: `c${i}` });
  await pause(300);
  witness.json({ type: 'chat', room: 'general', text: 'normal traffic' });
  const normal = await witness.next('message', (m) => m.text === 'normal traffic');
  const code = await flooderClosed;
  const delivered = witness.count('message', (m) => m.username === 'Flooder');
  const refused = flooder.count('error', (m) => m.code === 'rate-limited');
  console.log(`    flooder sent 200 in ~0 s: ${delivered} delivered, ${refused} rate-limited errors, closed with ${code} after ${Date.now() - started} ms`);
  check.ok(delivered >= 20 && delivered <= 25, 'the flood is capped at the bucket (burst 20)');
  check.ok(refused > 0, 'the flooder is told rate-limited');
  check.equal(code, 1008, 'a client that keeps flooding is closed with 1008');
  check.equal(normal.username, 'Witness', 'other clients\' messages still flow');
  witness.close();
  await freshClientWorks(server, 'flood');
  await server.stop();
}

async function slowReader() {
  check.section('a reader that stops reading');
  // No flood control: the writer posts 3,000 messages as fast as it can, to fill
  // the stalled reader's queue; what is tested is the queue limit, not the rate.
  // No compression either (the Node clients here offer it): under ASan the
  // compressed frames' allocations alone grow RSS by some 20 MiB of allocator
  // space (ASan build: 50 MiB growth with it, 30 without), which this check
  // would count; the release build grows the same with and without (3.7 and
  // 4.3 MiB). Compression under load and hostile compressed input are
  // tests/web/compression.test.mjs.
  const server = await startServer(['--log', 'warning', '--rate-limit', '0', '--max-queued-bytes', '1048576', '--compression', 'off']);
  const pid = server.child.pid;
  // A reader with a tiny receive buffer that joins and then never reads again.
  const reader = spawn('python3', [join(here, '..', 'tools', 'stalled_reader.py'), String(server.port), 'busy', 'Sleepy']);
  await new Promise((resolve) => reader.stdout.once('data', resolve));
  const witness = await connectClient(server.port);
  await witness.hello('Witness');
  await witness.joinRoom('busy');
  const writer = await connectClient(server.port);
  await writer.hello('Writer');
  await writer.joinRoom('busy');
  const rssBefore = rssKiB(pid);
  const big = 'z'.repeat(3900);
  const latencies = [];
  for (let round = 0; round < 30; round += 1) {
    for (let i = 0; i < 100; i += 1) writer.json({ type: 'chat', room: 'busy', text: big });
    const sent = Date.now();
    witness.json({ type: 'chat', room: 'busy', text: `ping ${round}` });
    await witness.next('message', (m) => m.text === `ping ${round}`, 60000);
    latencies.push(Date.now() - sent);
    // Drop the bulk messages, keep notices such as user-left.
    for (let i = witness.inbox.length - 1; i >= 0; i -= 1) if (witness.inbox[i].type === 'message') witness.inbox.splice(i, 1);
  }
  const rssAfter = rssKiB(pid);
  const left = await witness.next('user-left', (m) => m.username === 'Sleepy', 10000).catch(() => null);
  latencies.sort((a, b) => a - b);
  console.log(`    3,000 messages of 4 KB (12 MB) into a room with a stopped reader; server RSS ${rssBefore} -> ${rssAfter} KiB;`
    + ` witness round trip p50 ${latencies[15]} ms, max ${latencies[29]} ms`);
  check.ok(left !== null, 'the stopped reader is dropped (others see it leave)');
  check.ok(rssAfter - rssBefore < 48 * 1024, 'server memory stays bounded (< 48 MiB growth for 12 MB sent)');
  check.equal(latencies.length, 30, 'the others kept chatting throughout');
  reader.kill();
  witness.close();
  writer.close();
  await freshClientWorks(server, 'slow reader');
  await server.stop();
}

// --- TLS --------------------------------------------------------------------------------------

async function tls() {
  check.section('TLS with the generated certificate');
  const server = await startServer(['--log', 'warning', '--tls-self-signed']);
  const certPath = join(server.dir, 'tls-cert.pem');
  const ca = readFileSync(certPath);
  let ws;
  const welcome = await new Promise((resolve, reject) => {
    ws = new WebSocket(`wss://127.0.0.1:${server.port}/`, { ca });
    ws.once('message', (d) => resolve(JSON.parse(d)));
    ws.on('error', reject);
  });
  check.equal(welcome.type, 'welcome', 'Node ws connects over wss:// trusting the generated certificate');
  ws.close();
  // The masking rule holds over TLS too (the guard reads the decrypted stream).
  const rawTls = await rawConnect(server.port, { ca });
  await rawTls.waitFor(() => rawTls.frames.length > 0);
  rawTls.write(frame({ payload: JSON.stringify({ type: 'rooms' }) }));
  const answered = await rawTls.waitFor(() => rawTls.texts().some((m) => m.type === 'rooms'), 5000);
  rawTls.write(frame({ mask: false, payload: JSON.stringify({ type: 'rooms' }) }));
  const tlsCode = await rawTls.closeCode(5000);
  check.ok(answered && tlsCode === 1002, `over wss:// a masked frame is answered, then an unmasked one closed with 1002 (got ${tlsCode})`);
  rawTls.destroy();
  const page = await new Promise((resolve, reject) => {
    https.get({ host: '127.0.0.1', port: server.port, path: '/', ca }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body, csp: res.headers['content-security-policy'] }));
    }).on('error', reject);
  });
  check.equal(page.status, 200, 'https:// serves the browser client');
  check.ok(page.csp.includes(`wss://127.0.0.1:${server.port}`), 'its CSP allows its own wss://');
  const untrusted = await new Promise((resolve) => {
    const c = new WebSocket(`wss://127.0.0.1:${server.port}/`);
    c.on('open', () => { c.close(); resolve('opened'); });
    c.on('error', (e) => resolve(e.code || e.message));
  });
  check.ok(untrusted !== 'opened', `a client that does not trust the certificate is refused (${untrusted})`);
  const plain = await rawHttp(server.port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', 2000);
  check.ok(!plain.startsWith('HTTP/1.1 200'), 'plain HTTP on the TLS port gets no page');
  await server.stop();

  check.section('TLS: handshakes that never finish');
  const strict = await startServer(['--log', 'warning', '--tls-self-signed', '--handshake-timeout', '500']);
  const strictCa = readFileSync(join(strict.dir, 'tls-cert.pem'));
  const chatter = await rawConnect(strict.port, { ca: strictCa });
  await chatter.waitFor(() => chatter.frames.length > 0);
  // Silent TCP connections, half a ClientHello, and handshakes dropped midway.
  const silent = [];
  for (let i = 0; i < 20; i += 1) silent.push(net.connect(strict.port, '127.0.0.1'));
  const half = net.connect(strict.port, '127.0.0.1', () => half.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01])));
  silent.push(half);
  for (let i = 0; i < 20; i += 1) {
    const dropped = nodeTls.connect({ port: strict.port, host: '127.0.0.1', ca: strictCa, checkServerIdentity: () => undefined });
    dropped.on('error', () => {});
    dropped.once('secureConnect', () => dropped.destroy());
    setTimeout(() => dropped.destroy(), i); // some before the handshake ends
  }
  const ended = silent.map((c) => new Promise((resolve) => { c.on('error', () => {}); c.on('close', () => resolve(true)); }));
  const allClosed = await Promise.race([Promise.all(ended).then(() => true), pause(5000).then(() => false)]);
  check.ok(allClosed, 'the server closes connections that do not finish the TLS handshake in --handshake-timeout (500 ms)');
  chatter.write(frame({ payload: JSON.stringify({ type: 'rooms' }) }));
  check.ok(await chatter.waitFor(() => chatter.texts().some((m) => m.type === 'rooms'), 5000),
    'a connected wss:// client is answered all the while');
  for (const c of silent) c.destroy();
  chatter.destroy();
  await strict.stop();
}

const only = process.argv[2];
try {
  const framesTls = () => frames('wss');
  if (only) { await ({ frames, framesTls, slowloris, origins, password, connectionLimits, flood, slowReader, tls })[only](); check.finish(); process.exit(process.exitCode ?? 0); }
  await frames();
  await frames('wss');
  await slowloris();
  await origins();
  await password();
  await connectionLimits();
  await flood();
  await slowReader();
  await tls();
} catch (error) {
  check.ok(false, `unexpected: ${error.stack}`);
}
check.finish();
process.exit(process.exitCode ?? 0);

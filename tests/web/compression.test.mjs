// permessage-deflate (RFC 7692) against the real server with its default limits:
// what the 101 answers to each kind of offer, compressed frames in both
// directions on the wire (raw frames, inflated here with node:zlib), a plain
// client beside a compressing one in the same room, hostile compressed input
// (a bomb, garbage, RSV1 where it may not be), the `ws` library over wss://,
// Chromium's own offer through the browser client, and --compression off.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { startServer } from '../lib/server.mjs';
import { createChecks } from '../lib/check.mjs';
import { rawConnect, frame, deflateMessage, inflateMessage } from '../lib/rawws.mjs';
import { launchBrowser } from '../lib/browser.mjs';

const require = createRequire(import.meta.url);
const WebSocket = require('ws');
const { io } = require('socket.io-client');

const check = createChecks('compression');
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const offer = (value) => ({ 'Sec-WebSocket-Extensions': value });
const extensionOf = (head) => {
  const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith('sec-websocket-extensions:'));
  return line ? line.slice(line.indexOf(':') + 1).trim() : null;
};
const send = (c, object, compressed = false) => c.write(compressed
  ? frame({ rsv: 4, payload: deflateMessage(JSON.stringify(object)) })
  : frame({ payload: JSON.stringify(object) }));
const hasText = (c, type, text) => c.texts().some((m) => m.type === type && m.text === text);
const agreed = 'permessage-deflate; server_no_context_takeover; client_no_context_takeover';

const server = await startServer();
try {
  check.section('the answer to each offer');
  const answers = [
    ['permessage-deflate; client_max_window_bits', agreed], // Chromium's and ws's offer
    ['permessage-deflate', agreed],
    ['permessage-deflate; server_max_window_bits=10', `${agreed}; server_max_window_bits=10`],
    ['permessage-deflate; server_max_window_bits=8, permessage-deflate', agreed], // 8: the fallback
    ['permessage-deflate; server_max_window_bits="12"; client_no_context_takeover', `${agreed}; server_max_window_bits=12`],
    ['x-webkit-deflate-frame', null],
    ['permessage-deflate; no_such_parameter', null],
    ['permessage-deflate; server_no_context_takeover; server_no_context_takeover', null],
    ['permessage-deflate; server_max_window_bits=16', null],
    ['permessage-deflate; client_max_window_bits=07', null],
    ['permessage-deflate; server_max_window_bits', null],
    ['permessage-deflate; "quoted"', null],
  ];
  for (const [value, expected] of answers) {
    const c = await rawConnect(server.port, { headers: offer(value) });
    check.equal(extensionOf(c.head), expected, `offer "${value}"`);
    c.destroy();
  }
  const split = await rawConnect(server.port, {
    headers: { 'Sec-WebSocket-Extensions': 'foo', 'sec-websocket-extensions': 'permessage-deflate' },
  });
  check.equal(extensionOf(split.head), agreed, 'an offer on a second header line is read too');
  split.destroy();

  check.section('compressed frames both ways, beside a plain client');
  const zip = await rawConnect(server.port, { headers: offer('permessage-deflate; client_max_window_bits') });
  const plain = await rawConnect(server.port);
  check.equal(extensionOf(plain.head), null, 'no offer, no extension');
  send(zip, { type: 'join', room: 'lobby', username: 'Zip' });
  send(plain, { type: 'join', room: 'lobby', username: 'Plain' });
  check.ok(await zip.waitFor(() => zip.texts().some((m) => m.type === 'user-joined' && m.username === 'Plain')),
    'both are in the room');
  check.ok(zip.frames.filter((f) => f.opcode === 1).every((f) => f.rsv === 0), 'small frames (welcome, joined, user-joined) go uncompressed');

  const long = 'The quick brown fox jumps over the lazy dog. '.repeat(60); // 2,700 characters
  send(zip, { type: 'chat', room: 'lobby', text: long, clientId: 'c1' }, true);
  check.ok(await zip.waitFor(() => hasText(zip, 'message', long)) && await plain.waitFor(() => hasText(plain, 'message', long)),
    'a compressed chat from the client is inflated and delivered to both');
  const zipped = zip.frames.filter((f) => f.opcode === 1 && f.rsv === 4);
  check.equal(zipped.length, 1, 'the long message reaches the compressing client compressed (RSV1)');
  const inflated = inflateMessage(zipped[0].payload);
  check.ok(zipped[0].payload.length * 5 < inflated.length, `... ${inflated.length} bytes in ${zipped[0].payload.length} on the wire`);
  check.ok(plain.frames.filter((f) => f.opcode === 1).every((f) => f.rsv === 0), 'the plain client gets it uncompressed');
  send(zip, { type: 'chat', room: 'lobby', text: 'short and plain', clientId: 'c2' });
  check.ok(await plain.waitFor(() => hasText(plain, 'message', 'short and plain')), 'an uncompressed chat on a compressing connection is fine too');
  await zip.waitFor(() => hasText(zip, 'message', 'short and plain'));
  check.equal(zip.frames.filter((f) => f.opcode === 1 && f.rsv === 4).length, 1, 'a short message goes uncompressed');

  check.section('a history page');
  for (let i = 0; i < 18; i += 1) {
    send(plain, { type: 'chat', room: 'lobby', text: `history line ${i}: ${'some words that repeat '.repeat(8)}`, clientId: `h${i}` });
  }
  check.ok(await plain.waitFor(() => plain.texts().filter((m) => m.type === 'message').length >= 20, 10000), '18 more messages stored');
  const late = await rawConnect(server.port, { headers: offer('permessage-deflate') });
  send(late, { type: 'join', room: 'lobby', username: 'Late' });
  check.ok(await late.waitFor(() => late.texts().some((m) => m.type === 'joined')), 'a late joiner gets the room');
  const joinedFrame = late.frames.find((f) => f.opcode === 1 && f.rsv === 4);
  const joined = late.texts().find((m) => m.type === 'joined');
  check.ok(joinedFrame && joined.history.length === 20, 'its joined (20 messages of history) came compressed');
  if (joinedFrame) {
    const size = inflateMessage(joinedFrame.payload).length;
    console.log(`  joined with 20 messages: ${size} bytes, ${joinedFrame.payload.length} on the wire`);
    check.ok(joinedFrame.payload.length * 3 < size, 'and is less than a third of its size');
  }
  for (const c of [zip, plain, late]) c.destroy();
  const metrics = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
  const metric = (name) => Number((new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics) || [])[1]);
  check.equal(metric('chat_deflate_frames_total'), 2, '/metrics counts the two frames compressed');
  check.ok(metric('chat_deflate_out_bytes_total') * 10 < metric('chat_deflate_in_bytes_total'),
    `... ${metric('chat_deflate_in_bytes_total')} bytes in, ${metric('chat_deflate_out_bytes_total')} out`);

  check.section('hostile compressed input; everyone else keeps chatting');
  const witness = await rawConnect(server.port, { headers: offer('permessage-deflate') });
  send(witness, { type: 'join', room: 'hostile', username: 'Witness' });
  await witness.waitFor(() => witness.texts().some((m) => m.type === 'joined'));
  const bomb = deflateMessage(Buffer.alloc(16 * 1024 * 1024, 0x20)); // 16 MiB of spaces in ~16 KiB
  const hostile = [
    ['a bomb (16 MiB inflated)', frame({ rsv: 4, payload: bomb }), 1009],
    ['not DEFLATE', frame({ rsv: 4, payload: Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff]) }), 1007],
    ['inflates to invalid UTF-8', frame({ rsv: 4, payload: deflateMessage(Buffer.from([0x22, 0xff, 0x22])) }), 1007],
    ['RSV1 on a continuation', Buffer.concat([frame({ fin: false, rsv: 4, payload: deflateMessage('{"ty') }),
      frame({ opcode: 0, rsv: 4, payload: Buffer.from('pe"}') })]), 1002],
    ['RSV1 on a ping', frame({ opcode: 9, rsv: 4 }), 1002],
    ['RSV2', frame({ rsv: 2, payload: '{}' }), 1002],
  ];
  for (const [what, bytes, code] of hostile) {
    const c = await rawConnect(server.port, { headers: offer('permessage-deflate') });
    c.write(bytes);
    check.equal(await c.closeCode(), code, `${what}: closed with ${code}`);
    c.destroy();
  }
  const noOffer = await rawConnect(server.port);
  noOffer.write(frame({ rsv: 4, payload: deflateMessage('{"type":"rooms"}') }));
  check.equal(await noOffer.closeCode(), 1002, 'RSV1 without the extension: 1002');
  noOffer.destroy();
  send(witness, { type: 'chat', room: 'hostile', text: 'still here', clientId: 'w1' });
  check.ok(await witness.waitFor(() => hasText(witness, 'message', 'still here')), 'the witness still chats');
  const fragmented = deflateMessage(JSON.stringify({ type: 'chat', room: 'hostile', text: 'in two frames', clientId: 'w2' }));
  witness.write(Buffer.concat([frame({ fin: false, rsv: 4, payload: fragmented.subarray(0, 7) }),
    frame({ opcode: 0, payload: fragmented.subarray(7) })]));
  check.ok(await witness.waitFor(() => hasText(witness, 'message', 'in two frames')), 'a compressed message in two fragments is inflated whole');
  witness.destroy();
} finally {
  await server.stopCleanly(check);
}

check.section('the ws library over wss://, and Chromium through the browser client');
const secure = await startServer(['--tls-self-signed']);
const ca = readFileSync(join(secure.dir, 'tls-cert.pem'));
let browser;
try {
  const ws = new WebSocket(`wss://127.0.0.1:${secure.port}/`, { ca, perMessageDeflate: true, checkServerIdentity: () => undefined });
  const inbox = [];
  ws.on('message', (m) => inbox.push(JSON.parse(m.toString())));
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  check.equal(ws.extensions, 'permessage-deflate', 'ws over TLS agrees to permessage-deflate');
  let wireBytes = 0;
  ws._socket.on('data', (d) => { wireBytes += d.length; });
  ws.send(JSON.stringify({ type: 'join', room: 'general', username: 'Node' }));
  const essay = 'Compression over TLS works the same way. '.repeat(80);
  const waitFor = async (predicate, ms = 5000) => {
    const end = Date.now() + ms;
    while (!predicate() && Date.now() < end) await pause(20);
    return predicate();
  };
  await waitFor(() => inbox.some((m) => m.type === 'joined'));
  const before = wireBytes;
  ws.send(JSON.stringify({ type: 'chat', room: 'general', text: essay, clientId: 'e1' }));
  check.ok(await waitFor(() => inbox.some((m) => m.type === 'message' && m.text === essay)), 'a long message goes both ways');
  check.ok(wireBytes - before < essay.length / 4, `... in ${wireBytes - before} bytes of TLS records for ${essay.length} characters`);

  // A Socket.IO client on its WebSocket transport (ws underneath, which offers it).
  const sio = io(`https://127.0.0.1:${secure.port}`, { transports: ['websocket'], ca, auth: { username: 'Sio' } });
  await new Promise((resolve, reject) => { sio.once('connect', resolve); sio.once('connect_error', reject); });
  check.equal(sio.io.engine.transport.ws.extensions, 'permessage-deflate', 'a Socket.IO client over wss:// agrees too');
  await new Promise((resolve) => sio.emit('join', { room: 'general' }, resolve));
  const sioText = 'Socket.IO rides on the same links. '.repeat(60);
  const sioSeen = new Promise((resolve) => sio.on('message', (m) => { if (m.text === sioText) resolve(true); }));
  const ack = await new Promise((resolve) => sio.emit('chat', { room: 'general', text: sioText }, resolve));
  check.ok(ack.type === 'message' && await sioSeen && await waitFor(() => inbox.some((m) => m.type === 'message' && m.text === sioText)),
    'its long message reaches it and the ws client');
  sio.close();

  browser = await launchBrowser({ args: ['--ignore-certificate-errors'] });
  const page = await browser.context.newPage();
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Network.enable');
  const handshakes = [];
  cdp.on('Network.webSocketHandshakeResponseReceived', (e) => handshakes.push(e.response.headers));
  await page.goto(`https://127.0.0.1:${secure.port}/`);
  await page.getByLabel('Name').fill('Chromium');
  await page.getByLabel('Name').press('Enter');
  await page.locator('#app').waitFor({ state: 'visible' });
  const header = handshakes.map((h) => h['Sec-WebSocket-Extensions'] || h['sec-websocket-extensions']).find(Boolean);
  check.equal(header, agreed, "Chromium's offer is agreed to");
  const fromPage = 'Typed in Chromium, long enough to be compressed. '.repeat(40).trim();
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(fromPage);
  await box.press('Enter');
  check.ok(await waitFor(() => inbox.some((m) => m.type === 'message' && m.text === fromPage)), 'the page sends a long message the Node client receives');
  ws.send(JSON.stringify({ type: 'chat', room: 'general', text: essay.replace('TLS', 'the page'), clientId: 'e2' }));
  const shown = await page.locator('#messages .msg', { hasText: 'Compression over the page works' }).first()
    .waitFor().then(() => true, () => false);
  check.ok(shown, 'and shows a long message that reached it compressed');
  ws.close();
} catch (error) {
  check.ok(false, `wss:// and Chromium: ${error.message}`);
} finally {
  if (browser) await browser.close();
  await secure.stopCleanly(check);
}

check.section('--compression off');
const off = await startServer(['--compression', 'off']);
try {
  const c = await rawConnect(off.port, { headers: offer('permessage-deflate; client_max_window_bits') });
  check.equal(extensionOf(c.head), null, 'no extension is agreed to');
  send(c, { type: 'join', room: 'lobby', username: 'Off' });
  const text = 'x'.repeat(3000);
  send(c, { type: 'chat', room: 'lobby', text, clientId: 'o1' });
  check.ok(await c.waitFor(() => hasText(c, 'message', text)) && c.frames.every((f) => f.rsv === 0), 'long messages go uncompressed');
  c.destroy();
} finally {
  await off.stopCleanly(check);
}
check.finish();

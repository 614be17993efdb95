// SIGHUP against the real chat-server over wss://: a certificate renewed on
// disk is taken for new connections while every open one (v1 and Socket.IO)
// keeps chatting; changed limits apply at once; settings that need a restart
// are named; a broken certificate or config changes nothing.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, fstatSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { startServer } from '../lib/server.mjs';
import { connectClient } from '../lib/wsclient.mjs';
import { createChecks } from '../lib/check.mjs';

const require = createRequire(import.meta.url);
const io = require('socket.io-client').io;
const check = createChecks('reload');
const dir = mkdtempSync(join(tmpdir(), 'chat-reload-'));
const certPath = join(dir, 'cert.pem');
const keyPath = join(dir, 'key.pem');
const iniPath = join(dir, 'chat-server.conf');

// A new key and certificate for 127.0.0.1, put in place the way certbot or an
// admin does: written beside, then renamed over the old files.
function newCertificate(name) {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
    '-nodes', '-days', '2', '-subj', `/CN=${name}`, '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', `${keyPath}.new`, '-out', `${certPath}.new`], { stdio: 'ignore' });
  renameSync(`${keyPath}.new`, keyPath);
  renameSync(`${certPath}.new`, certPath);
  return readFileSync(certPath);
}

function writeConfig(lines) {
  writeFileSync(iniPath, ['[General]', `tls-cert=${certPath}`, `tls-key=${keyPath}`, ...lines, ''].join('\n'));
}

// The certificate a new TLS connection is shown, trusting only `ca`.
function presented(port, ca) {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca }, () => {
      const fingerprint = socket.getPeerCertificate().fingerprint256;
      socket.end();
      resolve(fingerprint);
    });
    socket.on('error', (e) => resolve(`refused: ${e.code ?? e.message}`));
  });
}

const fingerprintOf = (pem) => new (require('node:crypto').X509Certificate)(pem).fingerprint256;

async function sighup(server, marker) {
  const seen = server.stderr().split(marker).length - 1;
  server.child.kill('SIGHUP');
  const end = Date.now() + 8000;
  while (server.stderr().split(marker).length - 1 === seen && Date.now() < end)
    await new Promise((r) => setTimeout(r, 20));
  return server.stderr().split(marker).length - 1 > seen;
}

const first = newCertificate('first');
writeConfig(['max-text-length=200']);
const server = await startServer(['--config', iniPath], { dir });
try {
  check.section('before the reload');
  const ada = await connectClient(server.port, { ca: first });
  await ada.hello('ada');
  await ada.joinRoom('ops');
  const bob = await connectClient(server.port, { ca: first });
  await bob.hello('bob');
  await bob.joinRoom('ops');
  const sio = io(`https://127.0.0.1:${server.port}`, { forceNew: true, reconnection: false, ca: first, auth: { username: 'sio' } });
  await new Promise((resolve, reject) => { sio.once('connect', resolve); sio.once('connect_error', reject); });
  await new Promise((resolve) => sio.emit('join', { room: 'ops' }, resolve));
  const sioMessages = [];
  sio.on('message', (m) => sioMessages.push(m.text));
  check.equal(await presented(server.port, first), fingerprintOf(first), 'new connections are shown the first certificate');
  const adaCert = ada._socket.getPeerCertificate().fingerprint256;

  check.section('the certificate renewed on disk, the config changed, SIGHUP');
  const second = newCertificate('second');
  writeConfig(['max-text-length=20', 'durability=full', 'rate-limit=10']);
  check.ok(await sighup(server, 'configuration reloaded'), 'the server says the configuration is reloaded');
  check.ok(/taken only at the next start: durability/.test(server.stderr()), 'a changed durability is named as needing a restart');
  check.equal(await presented(server.port, second), fingerprintOf(second), 'new connections are shown the renewed certificate');
  check.ok((await presented(server.port, first)).startsWith('refused'), 'a client that trusts only the old one now refuses the server');
  check.equal(ada.readyState, 1, 'the open v1 connection is still open');
  check.equal(ada._socket.getPeerCertificate().fingerprint256, adaCert, '... on the session it began with');
  check.ok(sio.connected, 'the open Socket.IO connection is still connected');
  ada.json({ type: 'chat', room: 'ops', text: 'after the reload' });
  check.equal((await bob.next('message', (m) => m.text === 'after the reload')).username, 'ada', 'ada and bob chat on as before');
  const sioAck = await new Promise((resolve) => sio.emit('chat', { room: 'ops', text: 'sio too', clientId: 's-1' }, resolve));
  check.equal(sioAck.type, 'message', 'the Socket.IO client chats on');
  await bob.next('message', (m) => m.text === 'sio too');
  check.ok(sioMessages.includes('after the reload'), 'and receives');
  ada.json({ type: 'chat', room: 'ops', text: 'x'.repeat(30), clientId: 'long' });
  const refused = await ada.next('error', (m) => m.code === 'too-long');
  check.equal(refused.code, 'too-long', 'the new max-text-length (20) applies to the open connections at once');
  const carol = await connectClient(server.port, { ca: second });
  await carol.hello('carol');
  await carol.joinRoom('ops');
  carol.json({ type: 'chat', room: 'ops', text: 'new here' });
  const fromCarol = await bob.next('message', (m) => m.text === 'new here');
  check.equal(fromCarol.username, 'carol', 'a new client trusting the renewed certificate chats in the same room');

  check.section('a reload that cannot be taken');
  writeFileSync(certPath, 'not a certificate\n');
  check.ok(await sighup(server, 'reload refused'), 'a broken certificate: the reload is refused, and said so');
  check.equal(await presented(server.port, second), fingerprintOf(second), 'the server keeps the last good certificate');
  writeFileSync(iniPath, '[General]\nrate-limt=3\n');
  check.ok(await sighup(server, 'unknown setting rate-limt'), 'a misspelt setting: refused, naming it');
  ada.json({ type: 'chat', room: 'ops', text: 'still here' });
  await bob.next('message', (m) => m.text === 'still here');
  check.ok(ada.readyState === 1 && bob.readyState === 1 && carol.readyState === 1 && sio.connected,
    'nobody was dropped by the refused reloads');
  const health = await new Promise((resolve, reject) => {
    const r = require('node:https').get({ host: '127.0.0.1', port: server.port, path: '/healthz', ca: second }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve(JSON.parse(body)));
    });
    r.on('error', reject);
  });
  check.equal(health.connections, 4, '/healthz: four connections, none lost');
  for (const c of [ada, bob, carol]) c.close();
  sio.disconnect();
} catch (e) {
  check.ok(false, `unexpected: ${e.stack}`);
} finally {
  await server.stopCleanly(check);
  rmSync(dir, { recursive: true, force: true });
}

check.section('run by systemd: log lines for the journal, with their priorities');
{
  // journald hands the service a stream and names it in JOURNAL_STREAM
  // ("device:inode"); a file stands in for that stream here.
  const logDir = mkdtempSync(join(tmpdir(), 'chat-journal-'));
  const logPath = join(logDir, 'journal');
  const conf = join(logDir, 'chat-server.conf');
  writeFileSync(conf, '[General]\nrate-limit=10\n');
  const fd = openSync(logPath, 'w');
  const { dev, ino } = fstatSync(fd);
  const child = spawn(process.env.CHAT_SERVER_BIN, ['--host', '127.0.0.1', '--port', '0', '--db', join(logDir, 'chat.sqlite'), '--config', conf],
    { stdio: ['ignore', 'pipe', fd], env: { ...process.env, JOURNAL_STREAM: `${dev}:${ino}` } });
  closeSync(fd);
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise((resolve) => child.stdout.on('data', (d) => { if (/listening on port/.test(d)) resolve(); }));
  writeFileSync(conf, '[General]\nrate-limt=3\n');
  child.kill('SIGHUP');
  const end = Date.now() + 8000;
  while (!readFileSync(logPath, 'utf8').includes('reload refused') && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  child.kill('SIGTERM');
  check.equal(await exited, 0, 'the server stops cleanly');
  const lines = readFileSync(logPath, 'utf8').split('\n').filter(Boolean);
  check.ok(lines.some((l) => /^<6>chat\.server: listening on 127\.0\.0\.1:\d+$/.test(l)), 'an info line: <6>, the category, no time stamp of its own');
  check.ok(lines.some((l) => /^<4>chat\.server: reload refused/.test(l)), 'a warning: <4>');
  check.ok(lines.every((l) => /^<[0-7]>/.test(l)), `every line has a priority (${lines.length} lines)`);
  rmSync(logDir, { recursive: true, force: true });
}
check.finish();
process.exit(process.exitCode ?? 0);

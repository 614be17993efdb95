// The HTTP side of chat-server: every file of the browser client with its type and
// headers, ETag/304, HEAD, 404, and malformed or huge requests refused cleanly
// while the server keeps serving.
import net from 'node:net';
import { startServer } from '../lib/server.mjs';
import { createChecks } from '../lib/check.mjs';

const check = createChecks('http');

function rawRequest(port, bytes, { timeoutMs = 5000 } = {}) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    const done = () => { socket.destroy(); resolve(data.toString('latin1')); };
    socket.setTimeout(timeoutMs, done);
    socket.on('data', (chunk) => { data = Buffer.concat([data, chunk]); });
    socket.on('end', done);
    socket.on('error', done);
    socket.on('connect', () => socket.write(bytes));
  });
}

const server = await startServer();
const base = `http://127.0.0.1:${server.port}`;
try {
  check.section('files');
  const files = {
    '/': 'text/html; charset=utf-8',
    '/index.html': 'text/html; charset=utf-8',
    '/app.js': 'text/javascript; charset=utf-8',
    '/connection.js': 'text/javascript; charset=utf-8',
    '/backoff.js': 'text/javascript; charset=utf-8',
    '/rules.js': 'text/javascript; charset=utf-8',
    '/state.js': 'text/javascript; charset=utf-8',
    '/views.js': 'text/javascript; charset=utf-8',
    '/keyedlist.js': 'text/javascript; charset=utf-8',
    '/style.css': 'text/css; charset=utf-8',
    '/lanchat.svg': 'image/svg+xml',
  };
  for (const [path, type] of Object.entries(files)) {
    const response = await fetch(base + path);
    const body = await response.arrayBuffer();
    check.equal(response.status, 200, `GET ${path} is 200`);
    check.equal(response.headers.get('content-type'), type, `GET ${path} type`);
    check.ok(body.byteLength > 100, `GET ${path} has a body (${body.byteLength} bytes)`);
    check.equal(Number(response.headers.get('content-length')), body.byteLength, `GET ${path} Content-Length`);
    const csp = response.headers.get('content-security-policy') || '';
    check.ok(csp.includes("default-src 'none'") && csp.includes("script-src 'self'")
      && csp.includes(`connect-src 'self' ws://127.0.0.1:${server.port} wss://127.0.0.1:${server.port}`), `GET ${path} CSP: own origin and own WebSocket only`);
    check.equal(response.headers.get('x-content-type-options'), 'nosniff', `GET ${path} nosniff`);
    check.equal(response.headers.get('referrer-policy'), 'no-referrer', `GET ${path} Referrer-Policy`);
    const etag = response.headers.get('etag');
    check.ok(/^"[0-9a-f]+"$/.test(etag || ''), `GET ${path} has an ETag`);
    const again = await fetch(base + path, { headers: { 'If-None-Match': etag } });
    check.equal(again.status, 304, `GET ${path} with If-None-Match is 304`);
    check.equal((await again.arrayBuffer()).byteLength, 0, `304 for ${path} has no body`);
  }
  const html = await (await fetch(base + '/')).text();
  check.ok(!/https?:\/\/(?!127\.0\.0\.1)/.test(html.replace(/ws:\/\/host:port/g, '')), 'index.html loads nothing from another host');

  check.section('HEAD');
  const head = await rawRequest(server.port, 'HEAD /app.js HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  const [headHead, headBody] = head.split('\r\n\r\n');
  check.ok(headHead.startsWith('HTTP/1.1 200'), 'HEAD /app.js is 200');
  check.ok(/content-length: [1-9]\d*/i.test(headHead), 'HEAD gives the length of the body');
  check.equal(headBody ?? '', '', 'HEAD sends no body');

  check.section('not found');
  for (const path of ['/nope', '/../etc/passwd', '/.env', '/%2e%2e/x', '/app.js/x', '/index.html?x=<script>']) {
    const response = await fetch(base + path);
    const text = await response.text();
    check.ok(response.status === 404 || (path.includes('?') && response.status === 200), `GET ${path} is ${response.status}`);
    if (response.status === 404) check.ok(!text.includes('<script>'), `404 for ${path} echoes nothing`);
  }
  const health = await (await fetch(base + '/healthz')).json();
  check.equal(health.status, 'ok', '/healthz says ok');

  check.section('malformed and huge requests');
  const bad = {
    'garbage request line': 'GARBAGE\r\n\r\n',
    'lowercase method': 'get / HTTP/1.1\r\nHost: x\r\n\r\n',
    'bad version': 'GET / HTTP/9.9\r\nHost: x\r\n\r\n',
    'space in target': 'GET /a b HTTP/1.1\r\nHost: x\r\n\r\n',
    'control byte in target': 'GET /\x01 HTTP/1.1\r\nHost: x\r\n\r\n',
  };
  for (const [what, bytes] of Object.entries(bad)) {
    const answer = await rawRequest(server.port, bytes);
    check.ok(answer.startsWith('HTTP/1.1 400'), `${what}: 400 Bad Request`);
  }
  const hugeHeaders = `GET / HTTP/1.1\r\nHost: x\r\nX-Junk: ${'a'.repeat(20000)}\r\n\r\n`;
  check.ok((await rawRequest(server.port, hugeHeaders)).startsWith('HTTP/1.1 431'), 'huge headers: 431');
  const hugeLine = `GET /${'a'.repeat(20000)} HTTP/1.1\r\nHost: x\r\n\r\n`;
  check.ok((await rawRequest(server.port, hugeLine)).startsWith('HTTP/1.1 431'), 'huge request line: 431');
  const stillThere = await fetch(base + '/index.html');
  check.equal(stillThere.status, 200, 'the server keeps serving after all of that');
} catch (error) {
  check.ok(false, `unexpected: ${error.stack}`);
} finally {
  const { code } = await server.stop();
  check.equal(code, 0, 'chat-server exits 0 on SIGTERM');
  check.finish();
}

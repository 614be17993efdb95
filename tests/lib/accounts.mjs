// Helpers of the accounts tests: the admin commands, a ws client from a
// loopback address of its own, and signing in.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const WebSocket = require('ws');

// `chat-server --db DB ARGS...` (`--store DB` for a postgresql:// URL) with
// `input` on standard input.
export function admin(db, args, input = '') {
  const store = db.startsWith('postgresql://') ? ['--store', db] : ['--db', db];
  return new Promise((resolve) => {
    const child = spawn(process.env.CHAT_SERVER_BIN, [...store, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (code) => resolve({ code, out, err }));
    child.stdin.end(input);
  });
}

// A ws client from a loopback address of its own (the throttle counts per address).
export function connect(port, from = '127.0.0.1', headers = {}) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}`, { localAddress: from, headers });
    const inbox = [];
    const waiters = new Set();
    ws.closed = new Promise((res) => ws.on('close', (code) => res(code)));
    ws.on('message', (raw) => {
      inbox.push(JSON.parse(raw));
      for (const w of [...waiters]) w();
    });
    ws.json = (o) => ws.send(JSON.stringify(o));
    ws.inbox = inbox;
    ws.next = (type, predicate = () => true, timeoutMs = 15000) => new Promise((res, rej) => {
      const look = () => {
        const i = inbox.findIndex((m) => (type === '*' || m.type === type) && predicate(m));
        if (i < 0) return false;
        const [m] = inbox.splice(i, 1);
        waiters.delete(look);
        clearTimeout(timer);
        res(m);
        return true;
      };
      const timer = setTimeout(() => { waiters.delete(look); rej(new Error(`no ${type} within ${timeoutMs} ms`)); }, timeoutMs);
      waiters.add(look);
      look();
    });
    // The first reply that is one of `types` (an error included).
    ws.answer = (...types) => ws.next('*', (m) => types.includes(m.type) || m.type === 'error');
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
  });
}

export async function login(port, username, password, { from, device } = {}) {
  const c = await connect(port, from);
  await c.next('welcome');
  c.json({ type: 'login', username, password, ...(device ? { device } : {}) });
  const reply = await c.answer('signed-in');
  if (reply.type === 'signed-in') reply.identified = await c.next('identified');
  return { c, reply };
}

export async function withToken(port, accountToken, from) {
  const c = await connect(port, from);
  await c.next('welcome');
  c.json({ type: 'hello', accountToken });
  const reply = await c.answer('signed-in');
  if (reply.type === 'signed-in') reply.identified = await c.next('identified');
  return { c, reply };
}


// POST a JSON body as a browser page would (or not: every header can be changed).
export function post(port, path, body, { from = '127.0.0.1', origin = `http://127.0.0.1:${port}`, contentType = 'application/json', cookie, method = 'POST' } = {}) {
  return new Promise((resolve, reject) => {
    const headers = { 'Content-Type': contentType };
    if (origin) headers.Origin = origin;
    if (cookie) headers.Cookie = cookie;
    const req = http.request({ host: '127.0.0.1', port, path, method, headers, localAddress: from }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let json = null;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, headers: res.headers, json });
      });
    });
    req.on('error', reject);
    req.end(typeof body === 'string' ? body : JSON.stringify(body));
  });
}

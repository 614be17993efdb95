// A Node `ws` test client that records what it receives and waits for types.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const WebSocket = require('ws');

// With `ca`, over wss:// trusting that certificate.
export function connectClient(port, { host = '127.0.0.1', ca } = {}) {
  return new Promise((resolve, reject) => {
    const ws = ca ? new WebSocket(`wss://${host}:${port}`, { ca }) : new WebSocket(`ws://${host}:${port}`);
    const inbox = [];
    const waiters = new Set();
    ws.on('message', (raw) => {
      inbox.push(JSON.parse(raw));
      for (const w of [...waiters]) w();
    });
    ws.json = (object) => ws.send(JSON.stringify(object));
    ws.inbox = inbox;
    // type '*': any type the predicate takes.
    ws.next = (type, predicate = () => true, timeoutMs = 8000) => new Promise((res, rej) => {
      const check = () => {
        const i = inbox.findIndex((m) => (type === '*' || m.type === type) && predicate(m));
        if (i < 0) return false;
        const [m] = inbox.splice(i, 1);
        waiters.delete(check);
        clearTimeout(timer);
        res(m);
        return true;
      };
      const timer = setTimeout(() => { waiters.delete(check); rej(new Error(`no ${type} within ${timeoutMs} ms`)); }, timeoutMs);
      waiters.add(check);
      check();
    });
    ws.count = (type, predicate = () => true) => inbox.filter((m) => m.type === type && predicate(m)).length;
    ws.hello = async (username) => { ws.json({ type: 'hello', username }); return ws.next('identified'); };
    ws.joinRoom = async (room, since) => { ws.json({ type: 'join', room, ...(since !== undefined ? { since } : {}) }); return ws.next('joined', (m) => m.room === room); };
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
  });
}

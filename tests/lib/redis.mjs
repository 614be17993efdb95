// A real redis-server for the tests, on a free port on 127.0.0.1, with no
// persistence, in a temporary folder; killed, stopped and started again on the
// same port as a test needs.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function answers(port, ms = 10000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await new Promise((resolve) => {
      const c = createConnection({ host: '127.0.0.1', port }, () => c.write('PING\r\n'));
      c.on('data', (d) => { c.destroy(); resolve(d.toString().startsWith('+PONG')); });
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not answer on port ${port}`);
}

export async function startRedis() {
  const dir = mkdtempSync(join(tmpdir(), 'chat-redis-'));
  const port = await freePort();
  let child = null;
  let log = '';
  const redis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    log: () => log,
    async start() {
      child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '',
        '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (d) => { log += d; });
      child.stderr.on('data', (d) => { log += d; });
      await answers(port);
    },
    async kill() {
      if (!child) return;
      const gone = new Promise((r) => child.on('exit', r));
      child.kill('SIGKILL');
      await gone;
      child = null;
    },
    pause() { child?.kill('SIGSTOP'); },
    // One command (RESP), its first reply line.
    command(...args) {
      return new Promise((resolve, reject) => {
        const c = createConnection({ host: '127.0.0.1', port }, () => {
          c.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
        });
        c.on('data', (d) => { c.destroy(); resolve(d.toString().split('\r\n')[0]); });
        c.on('error', reject);
      });
    },
    resume() { child?.kill('SIGCONT'); },
    async destroy() {
      redis.resume();
      await redis.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await redis.start();
  return redis;
}

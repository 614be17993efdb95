// Starts the real chat-server binary on a free port for Node-side tests.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function startServer(extraArgs = [], { dir } = {}) {
  const bin = process.env.CHAT_SERVER_BIN;
  if (!bin) throw new Error('CHAT_SERVER_BIN is not set');
  const ownDir = !dir;
  dir = dir ?? mkdtempSync(join(tmpdir(), 'chat-test-'));
  // Test servers do not announce themselves on the developer's LAN (the
  // discovery test, on a LAN of its own, does).
  const quiet = extraArgs.includes('--announce') ? [] : ['--announce', 'off'];
  // --store postgresql://... takes the place of the SQLite file.
  const db = extraArgs.includes('--store') ? [] : ['--db', join(dir, 'chat.sqlite')];
  const args = ['--host', '127.0.0.1', '--port', '0', ...db, ...quiet, ...extraArgs];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  let out = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${stderr}`)), 10000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on port (\d+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}:\n${stderr}`)); });
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    port, dir, child, exited,
    stderr: () => stderr,
    stdout: () => out,
    // Stops it and checks it exited 0 (under the sanitizers, a leak or an error
    // report is a non-zero exit); prints the end of its log if not.
    async stopCleanly(check) {
      const { code } = await this.stop();
      if (code !== 0) console.log(stderr.slice(-6000));
      check.equal(code, 0, 'the server stops cleanly');
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const result = await exited;
      if (ownDir) rmSync(dir, { recursive: true, force: true });
      return result;
    },
  };
}

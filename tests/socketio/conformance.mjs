// The official Engine.IO v4 and Socket.IO v5 test suites (upstream/, unchanged)
// against chat-server in --socketio-conformance mode, one server per suite.
// Every test of both must pass.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { startServer } from '../lib/server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const mocha = createRequire(import.meta.url).resolve('mocha/bin/mocha');

function run(suite, port) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [mocha, '--reporter', 'spec', join(here, 'upstream', suite, 'test-suite.js')], {
      stdio: 'inherit',
      env: { ...process.env, CHAT_SIO_PORT: String(port) },
    });
    child.on('exit', (code) => resolve(code));
  });
}

let failed = 0;
for (const suite of ['engine.io-protocol-v4', 'socket.io-protocol-v5']) {
  const server = await startServer(['--socketio-conformance']);
  console.log(`# ${suite} against chat-server on port ${server.port}`);
  const code = await run(suite, server.port);
  const { code: exit } = await server.stop();
  if (code !== 0) {
    console.error(`# ${suite}: mocha exited ${code}\n${server.stderr().slice(-4000)}`);
    failed++;
  }
  if (exit !== 0) {
    console.error(`# chat-server exited ${exit} after ${suite}`);
    failed++;
  }
}
console.log(failed ? `# conformance: ${failed} failure(s)` : '# conformance: both suites pass in full');
process.exit(failed ? 1 : 0);

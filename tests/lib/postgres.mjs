// A real PostgreSQL server for the tests: a cluster made with initdb in a
// temporary folder, on a free port, listening only on a Unix socket in that
// folder (and, if asked, 127.0.0.1), owned by a user that is not root (initdb
// refuses root; as root the cluster runs as `postgres` or `nobody`).
//
//   import { startPostgres } from '../lib/postgres.mjs';
//   const pg = await startPostgres();      // pg.url: postgresql://...
//   await pg.stop(); await pg.start();     // a restart, same data
//   await pg.destroy();
//
// As a program, it runs a command with CHAT_TEST_POSTGRES_URL set to a fresh
// cluster's database: node tests/lib/postgres.mjs COMMAND [ARGS...]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

function binDir() {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) {
    const dir = join(root, v, 'bin');
    if (existsSync(join(dir, 'initdb'))) return dir;
  }
  throw new Error('PostgreSQL is not installed (apt-get install postgresql): no initdb under /usr/lib/postgresql');
}

function runAs() {
  if (process.getuid() !== 0) return null;
  for (const user of ['postgres', 'nobody']) {
    if (spawnSync('id', ['-u', user]).status === 0) return user;
  }
  throw new Error('running as root and no user to run PostgreSQL as');
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

export async function startPostgres({ database = 'chat' } = {}) {
  const bin = binDir();
  const user = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'chat-pg-'));
  if (user) {
    const id = (flag) => Number(execFileSync('id', [flag, user], { encoding: 'utf8' }));
    chownSync(dir, id('-u'), id('-g')); // the cluster's user owns its folder
  }
  const data = join(dir, 'data');
  const port = await freePort();
  const wrap = (cmd, args) => (user ? ['runuser', ['-u', user, '--', cmd, ...args]] : [cmd, args]);
  const run = (cmd, args) => {
    const [c, a] = wrap(join(bin, cmd), args);
    return execFileSync(c, a, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  };
  const dbUser = user ?? process.env.USER ?? 'postgres';
  run('initdb', ['-D', data, '-U', dbUser, '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const log = join(dir, 'server.log');
  const options = `-p ${port} -k ${dir} -c listen_addresses='' -c fsync=on`;
  const pg = {
    dir, port, user: dbUser, database,
    // For --store and CHAT_TEST_POSTGRES_URL: the socket folder as libpq's host.
    url: `postgresql://${dbUser}@localhost:${port}/${database}?host=${encodeURIComponent(dir)}`,
    log: () => spawnSync('cat', [log], { encoding: 'utf8' }).stdout,
    async start() {
      run('pg_ctl', ['-D', data, '-l', log, '-o', options, '-w', '-t', '60', 'start']);
    },
    // A clean stop (-m fast), or -m immediate: what a crash or kill looks like.
    async stop(mode = 'fast') {
      run('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
    },
    // psql with one SQL command; returns what it printed (tuples only).
    sql(command) {
      const [c, a] = wrap(join(bin, 'psql'), ['-h', dir, '-p', String(port), '-U', dbUser, '-d', database,
        '-At', '-v', 'ON_ERROR_STOP=1', '-c', command]);
      return execFileSync(c, a, { encoding: 'utf8' }).trim();
    },
    async destroy() {
      try { await pg.stop('immediate'); } catch { /* already stopped */ }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await pg.start();
  const [c, a] = wrap(join(bin, 'createdb'), ['-h', dir, '-p', String(port), '-U', dbUser, database]);
  execFileSync(c, a, { stdio: 'ignore' });
  return pg;
}

// A test on a fresh cluster: body(pg, servers) pushes the servers it starts;
// whatever happens they are killed, the cluster is removed, and the checks end.
export async function withPostgres(check, body) {
  const pg = await startPostgres();
  const servers = [];
  try {
    await body(pg, servers);
  } catch (error) {
    check.ok(false, `unexpected: ${error.stack}`);
    for (const s of servers) console.log(s.stderr().slice(-3000));
  } finally {
    for (const s of servers) await s.stop('SIGKILL');
    await pg.destroy();
  }
  check.finish();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [cmd, ...args] = process.argv.slice(2);
  if (!cmd) {
    console.error('usage: node postgres.mjs COMMAND [ARGS...]');
    process.exit(2);
  }
  const pg = await startPostgres();
  const child = spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, CHAT_TEST_POSTGRES_URL: pg.url } });
  const code = await new Promise((resolve) => child.on('exit', (c, s) => resolve(s ? 1 : c)));
  await pg.destroy();
  process.exit(code);
}

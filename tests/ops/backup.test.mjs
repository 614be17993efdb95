// `chat-server backup FILE` while clients post at their rate limit, then
// `chat-server check`, then a server started on the restored copy: it has
// exactly the messages the live store had up to the backup, and goes on from
// there. A damaged store fails the check.
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, openSync, rmSync, statSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startServer } from '../lib/server.mjs';
import { connectClient } from '../lib/wsclient.mjs';
import { createChecks } from '../lib/check.mjs';

const run = promisify(execFile);
const bin = process.env.CHAT_SERVER_BIN;
const check = createChecks('backup');
const dir = mkdtempSync(join(tmpdir(), 'chat-backup-'));
const live = join(dir, 'chat.sqlite');
const rooms = ['alpha', 'beta'];
// What a server started without --durability uses (docs/protocol.md, "Durability").
const DEFAULT_SYNCHRONOUS = 'NORMAL';

const query = (db, sql) => execFileSync('sqlite3', ['-readonly', db, sql]).toString().trim();
const rows = (db, room, upTo) => query(db,
  `SELECT id || '|' || username || '|' || text || '|' || ts FROM messages WHERE room = '${room}'${upTo !== undefined ? ` AND id <= ${upTo}` : ''} ORDER BY id`);

const server = await startServer([], { dir });
const posters = [];
try {
  check.section('backups while four clients post at their rate limit');
  let stop = false;
  let acked = 0;
  for (let i = 0; i < 4; i += 1) {
    const c = await connectClient(server.port);
    await c.hello(`poster${i}`);
    for (const room of rooms) await c.joinRoom(room);
    posters.push(c);
  }
  const loops = posters.map(async (c, i) => {
    let n = 0;
    while (!stop) {
      n += 1;
      const clientId = `p${i}-${n}`;
      c.json({ type: 'chat', room: rooms[n % 2], text: `poster ${i} message ${n}`, clientId });
      await c.next('message', (m) => m.clientId === clientId, 8000);
      acked += 1;
      // 8 a second each: under the default 10, so nothing is refused.
      await new Promise((r) => setTimeout(r, 125));
    }
  });
  // Some messages first, then the backups while the posting goes on.
  while (acked < 40) await new Promise((r) => setTimeout(r, 20));
  const copies = [join(dir, 'backup-1.sqlite'), join(dir, 'backup-2.sqlite')];
  const outputs = [];
  for (const copy of copies) {
    const before = acked;
    const { stdout } = await run(bin, ['backup', copy, '--db', live]);
    outputs.push(stdout.trim());
    while (acked < before + 20) await new Promise((r) => setTimeout(r, 20));
  }
  stop = true;
  await Promise.all(loops);
  check.ok(outputs.every((o) => /^chat-server backup: .* -> .* \(\d+ messages in 2 rooms\)$/.test(o)), `the backups say what they copied (${outputs[1]})`);
  check.ok(acked >= 80, `${acked} messages were acknowledged meanwhile`);

  check.section('each copy is the live store as it was at one moment');
  for (const copy of copies) {
    const { stdout } = await run(bin, ['check', '--db', copy]);
    check.ok(/: ok \(\d+ messages in 2 rooms, schema 1\)/.test(stdout), `check: ${stdout.trim()}`);
    for (const room of rooms) {
      const last = Number(query(copy, `SELECT last_id FROM rooms WHERE name = '${room}'`));
      const backedUp = rows(copy, room);
      check.ok(last > 0 && backedUp.split('\n').length === last, `${room}: ${last} messages, ids 1..${last} without a gap`);
      check.equal(backedUp, rows(live, room, last), `${room}: the same messages as the live store up to id ${last}`);
    }
  }
  const liveCount = Number(query(live, 'SELECT COUNT(*) FROM messages'));
  const copyCount = Number(query(copies[1], 'SELECT COUNT(*) FROM messages'));
  check.ok(copyCount < liveCount, `the live store went on (${liveCount} messages; the later copy has ${copyCount})`);
  const refused = await run(bin, ['backup', copies[0], '--db', live]).then(() => 'written', (e) => e.stderr.trim());
  check.ok(/exists/.test(refused), `an existing backup is never overwritten (${refused})`);
} catch (e) {
  check.ok(false, `unexpected: ${e.stack}`);
} finally {
  for (const c of posters) c.close();
  await server.stopCleanly(check);
}

check.section('restore: a server on the copy');
const restoredDir = mkdtempSync(join(tmpdir(), 'chat-restored-'));
try {
  const copy = join(dir, 'backup-2.sqlite');
  copyFileSync(copy, join(restoredDir, 'chat.sqlite'));
  const restored = await startServer([], { dir: restoredDir });
  try {
    const reader = await connectClient(restored.port);
    await reader.hello('reader');
    for (const room of rooms) {
      const last = Number(query(copy, `SELECT last_id FROM rooms WHERE name = '${room}'`));
      await reader.joinRoom(room);
      reader.json({ type: 'history', room, limit: 200 });
      const page = await reader.next('history', (m) => m.room === room);
      const got = page.messages.map((m) => `${m.id}|${m.username}|${m.text}|${Date.parse(m.timestamp)}`).join('\n');
      check.equal(got, rows(copy, room).split('\n').slice(-200).join('\n'), `${room}: the restored server serves the backed-up messages`);
      reader.json({ type: 'chat', room, text: 'after the restore', clientId: `r-${room}` });
      const next = await reader.next('message', (m) => m.clientId === `r-${room}`);
      check.equal(next.id, last + 1, `${room}: ids go on from the backup (${next.id})`);
    }
    reader.close();
  } finally {
    await restored.stopCleanly(check);
  }

  check.section('a damaged store fails the check');
  const damaged = join(restoredDir, 'damaged.sqlite');
  copyFileSync(copy, damaged);
  const size = statSync(damaged).size;
  const fd = openSync(damaged, 'r+');
  // Overwrite the second half of the file (table and index pages) with junk.
  writeSync(fd, Buffer.alloc(Math.floor(size / 2), 0x5a), 0, Math.floor(size / 2), Math.floor(size / 2));
  closeSync(fd);
  const result = await run(bin, ['check', '--db', damaged]).then(({ stdout }) => ({ code: 0, text: stdout }), (e) => ({ code: e.code, text: e.stderr }));
  check.equal(result.code, 1, `check exits 1 (${result.text.trim().slice(0, 160)})`);
  const missing = await run(bin, ['check', '--db', join(restoredDir, 'nothing.sqlite')]).then(() => 0, (e) => e.code);
  check.equal(missing, 1, 'check of a missing store exits 1 (and creates nothing)');
} catch (e) {
  check.ok(false, `unexpected: ${e.stack}`);
} finally {
  rmSync(restoredDir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
}

check.section('--durability reaches the store');
for (const [args, mode] of [[[], DEFAULT_SYNCHRONOUS], [['--durability', 'full'], 'FULL'], [['--durability', 'normal'], 'NORMAL']]) {
  const s = await startServer(args);
  try {
    const end = Date.now() + 8000;
    while (!/synchronous=/.test(s.stderr()) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    const seen = /opened .* \(WAL, synchronous=(\w+)\)/.exec(s.stderr())?.[1];
    check.equal(seen, mode, `${args.join(' ') || 'by default'}: SQLite runs with synchronous=${mode}`);
  } finally {
    await s.stopCleanly(check);
  }
}
check.finish();
process.exit(process.exitCode ?? 0);

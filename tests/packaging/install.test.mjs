// The Debian packages as an admin meets them: scripts/package.sh builds them,
// dpkg -i installs both on this machine, the installed server (with the
// installed config file) and client run and chat, the unit is hardened and
// enabled, the desktop entry and metainfo validate, and dpkg --purge leaves
// nothing behind but the data. Then the server package in a container booted
// under systemd (tests/packaging/boot.sh): the service runs, sandboxed, and
// reloads. Needs root (or sudo without a password).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectClient } from '../lib/wsclient.mjs';
import { createChecks } from '../lib/check.mjs';

const check = createChecks('packaging');
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const out = process.env.CHAT_PACKAGE_OUT ?? mkdtempSync(join(tmpdir(), 'chat-packages-'));
const sudo = process.getuid() === 0 ? [] : ['sudo', '-n'];
const asRoot = (cmd, args, options = {}) =>
  execFileSync(sudo.length ? sudo[0] : cmd, sudo.length ? [...sudo.slice(1), cmd, ...args] : args, { encoding: 'utf8', ...options });
const run = (cmd, args, options = {}) => execFileSync(cmd, args, { encoding: 'utf8', ...options });
const tryRun = (fn) => { try { return { ok: true, out: fn() }; } catch (e) { return { ok: false, out: `${e.stdout ?? ''}${e.stderr ?? ''}${e.message}` }; } };
const installed = (pkg) => tryRun(() => run('dpkg-query', ['-W', '-f=${Status}', pkg], { stdio: ['ignore', 'pipe', 'pipe'] })).out.includes('install ok installed');
const dataDir = '/var/lib/lanchat';
const dataWasThere = existsSync(dataDir);
let serverChild;
let clientChild;
let clientHome;

function waitForLine(child, pattern, ms = 10000) {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${ms} ms: ${text}`)), ms);
    child.stdout.on('data', (d) => {
      text += d;
      const m = pattern.exec(text);
      if (m) { clearTimeout(timer); resolve(m); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`exited ${code}: ${text}`)); });
  });
}

try {
  check.section('build: scripts/package.sh');
  if (sudo.length && !tryRun(() => run('sudo', ['-n', 'true'])).ok)
    throw new Error('this test installs packages: run it as root or with sudo that asks no password');
  const built = tryRun(() => run('bash', [join(root, 'scripts/package.sh'), out], {
    env: { ...process.env, CHAT_PACKAGE_BUILD_DIR: process.env.CHAT_PACKAGE_BUILD_DIR ?? join(out, 'build') },
    stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20,
  }));
  check.ok(built.ok, 'the packages build, and lintian finds no error or warning');
  if (!built.ok) console.log(built.out.slice(-4000));
  const debs = ['lanchat-server', 'lanchat-client'].map((name) => {
    const file = run('bash', ['-c', `ls ${out}/${name}_*.deb`]).trim();
    check.ok(existsSync(file), `${name}: ${file.split('/').pop()}`);
    return file;
  });
  const lintian = tryRun(() => run('lintian', ['--fail-on', 'error,warning', ...debs], { stdio: ['ignore', 'pipe', 'pipe'] }));
  check.ok(lintian.ok && !/^[EW]: /m.test(lintian.out), `lintian: clean (overrides explained in resources/packaging/lintian/)${lintian.out.trim() ? `\n${lintian.out.trim()}` : ''}`);

  check.section('dpkg -i');
  for (const pkg of ['lanchat-client', 'lanchat-server']) if (installed(pkg)) asRoot('dpkg', ['--purge', pkg]);
  const install = tryRun(() => asRoot('dpkg', ['-i', ...debs], { stdio: ['ignore', 'pipe', 'pipe'] }));
  check.ok(install.ok, 'both packages install');
  if (!install.ok) console.log(install.out);
  check.ok(installed('lanchat-server') && installed('lanchat-client'), 'dpkg knows them as installed');
  const files = [...run('dpkg', ['-L', 'lanchat-server']).split('\n'), ...run('dpkg', ['-L', 'lanchat-client']).split('\n')]
    .filter((f) => f && f !== '/.');
  for (const f of ['/usr/bin/chat-server', '/usr/bin/chat-client', '/lib/systemd/system/chat-server.service',
    '/etc/lanchat/chat-server.conf', '/usr/share/man/man1/chat-server.1.gz', '/usr/share/man/man1/chat-client.1.gz',
    '/usr/share/applications/org.lanchat.Client.desktop', '/usr/share/metainfo/org.lanchat.Client.metainfo.xml',
    '/usr/share/icons/hicolor/scalable/apps/org.lanchat.Client.svg', '/usr/share/icons/hicolor/48x48/apps/org.lanchat.Client.png',
    '/usr/share/doc/lanchat-server/copyright', '/usr/share/doc/lanchat-server/admin.md'])
    check.ok(files.includes(f) && existsSync(f), `installed: ${f}`);
  check.ok(run('dpkg-query', ['-W', '-f=${Conffiles}', 'lanchat-server']).includes('/etc/lanchat/chat-server.conf'),
    '/etc/lanchat/chat-server.conf is a conffile (an admin\'s edits survive upgrades)');
  check.ok(existsSync('/etc/systemd/system/multi-user.target.wants/chat-server.service'), 'the service is enabled (multi-user.target wants it)');

  check.section('the unit, the desktop entry, the metainfo');
  const security = tryRun(() => run('systemd-analyze', ['security', '--offline=true', '--no-pager', '/lib/systemd/system/chat-server.service'], { stdio: ['ignore', 'pipe', 'pipe'] }));
  const exposure = /Overall exposure level for chat-server\.service: ([\d.]+) (\S+)/.exec(security.out);
  console.log(`    systemd-analyze security: ${exposure ? `${exposure[1]} ${exposure[2]}` : security.out.slice(-400)}`);
  check.ok(exposure && Number(exposure[1]) <= 3.0, `the unit's exposure is 3.0 or lower (${exposure?.[1]})`);
  const verify = tryRun(() => run('systemd-analyze', ['verify', '--man=no', '/lib/systemd/system/chat-server.service'], { stdio: ['ignore', 'pipe', 'pipe'] }));
  check.ok(!/chat-server\.service:\d+:/.test(verify.out), `systemd-analyze verify: no complaint about the unit${verify.out.trim() ? ` (${verify.out.trim().split('\n')[0]})` : ''}`);
  check.ok(tryRun(() => run('desktop-file-validate', ['/usr/share/applications/org.lanchat.Client.desktop'])).ok, 'desktop-file-validate: clean');
  const appstream = tryRun(() => run('appstreamcli', ['validate', '--no-net', '/usr/share/metainfo/org.lanchat.Client.metainfo.xml']));
  check.ok(appstream.ok, `appstreamcli validate: ${appstream.out.trim().split('\n').pop()}`);
  for (const page of ['chat-server', 'chat-client']) {
    // groff's warnings on stderr; bold and underline as overstrikes on stdout.
    const man = tryRun(() => run('man', ['--warnings', '-l', `/usr/share/man/man1/${page}.1.gz`], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MANWIDTH: '80' } }));
    const text = man.out.replace(/.\x08/g, '');
    check.ok(man.ok && /SYNOPSIS/.test(text) && (page === 'chat-client' || (/backup FILE/.test(text) && /SIGHUP/.test(text))), `man ${page} renders${page === 'chat-server' ? ', with the commands and signals' : ''}`);
  }

  check.section('the installed server, with the installed config file');
  check.equal(run('/usr/bin/chat-server', ['--version']).trim(), 'chat-server 0.1.0', 'chat-server --version');
  // The service's own store would be /var/lib/lanchat: a test store stands
  // in for it there, to see that removing the packages leaves the data alone.
  asRoot('mkdir', ['-p', dataDir]);
  serverChild = spawn('/usr/bin/chat-server', ['--config', '/etc/lanchat/chat-server.conf', '--host', '127.0.0.1', '--port', '0',
    '--db', join(dataDir, 'package-test.sqlite')], { stdio: ['ignore', 'pipe', 'ignore'] });
  const port = Number((await waitForLine(serverChild, /listening on port (\d+)/))[1]);
  check.ok(port > 0, `it listens (port ${port})`);
  const ada = await connectClient(port);
  await ada.hello('ada');
  await ada.joinRoom('lobby');

  check.section('the installed client');
  // A home of its own: the test leaves no settings in the real one.
  clientHome = mkdtempSync(join(tmpdir(), 'chat-client-home-'));
  const clientEnv = { ...process.env, QT_QPA_PLATFORM: 'offscreen', HOME: clientHome, XDG_RUNTIME_DIR: clientHome,
    XDG_CONFIG_HOME: join(clientHome, '.config'), XDG_DATA_HOME: join(clientHome, '.local/share') };
  check.equal(run('/usr/bin/chat-client', ['--version'], { env: clientEnv }).trim(), 'chat-client 0.1.0', 'chat-client --version');
  clientChild = spawn('/usr/bin/chat-client', ['--server', `ws://127.0.0.1:${port}`, '--user', 'desk', '--room', 'lobby'], { env: clientEnv, stdio: 'ignore' });
  const joined = await ada.next('user-joined', (m) => m.username === 'desk', 15000);
  check.equal(joined.room, 'lobby', 'the client joins the room: ada sees desk join');
  ada.json({ type: 'chat', room: 'lobby', text: 'hello from the package test' });
  const stored = await ada.next('message', (m) => m.text === 'hello from the package test');
  check.ok(stored.id > 0, 'a chat is stored and delivered');
  clientChild.kill('SIGTERM');
  ada.close();
  serverChild.kill('SIGTERM');
  await new Promise((r) => serverChild.on('exit', r));
  serverChild = undefined;

  check.section('dpkg --purge: nothing left but the data');
  const purge = tryRun(() => asRoot('dpkg', ['--purge', 'lanchat-client', 'lanchat-server'], { stdio: ['ignore', 'pipe', 'pipe'] }));
  check.ok(purge.ok, 'both packages purge');
  check.ok(!installed('lanchat-server') && !installed('lanchat-client'), 'dpkg no longer lists them');
  // Directories stay when other packages use them (/lib, /usr/share/man/man1).
  const left = files.filter((f) => existsSync(f) && !statSync(f).isDirectory());
  check.equal(left, [], 'every file they installed is gone');
  check.ok(!existsSync('/etc/lanchat'), '/etc/lanchat is gone');
  check.ok(!existsSync('/etc/systemd/system/multi-user.target.wants/chat-server.service'), 'the service is no longer enabled');
  check.ok(existsSync(join(dataDir, 'package-test.sqlite')), 'the data in /var/lib/lanchat stays');

  check.section('under systemd: a container booted from this machine, the package installed in it');
  const boot = tryRun(() => asRoot('bash', [join(root, 'tests/packaging/boot.sh'), out], { stdio: ['ignore', 'pipe', 'pipe'] }));
  if (!boot.ok || !/^active=active$/m.test(boot.out)) console.log(boot.out.slice(-3000));
  const seen = Object.fromEntries(boot.out.split('\n').filter((l) => /^[a-z_A-Z]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  check.equal(seen.enabled, 'enabled', 'dpkg -i enables chat-server.service');
  check.equal(seen.active, 'active', 'systemd starts it: active (Type=notify: it said READY)');
  check.equal(seen.Type, 'notify', '... as Type=notify');
  check.equal(seen.DynamicUser, 'yes', 'with a user of its own (DynamicUser)');
  check.equal(seen.user, 'chat-server', `... which runs it (${seen.user})`);
  check.equal(seen.capabilities, '0000000000000000', 'no capabilities');
  check.equal(seen.no_new_privs, '1', 'no new privileges');
  check.equal(seen.seccomp, '2', 'a system-call filter (seccomp filter mode)');
  check.ok(/"status":"ok"/.test(seen.healthz ?? ''), '/healthz: ok');
  check.equal(seen.upgrade, 'HTTP/1.1 101 Switching Protocols', 'a WebSocket upgrade is answered under the sandbox');
  check.ok(Number(seen.metrics_lines) > 20, `/metrics answers (${seen.metrics_lines} chat_ lines)`);
  check.equal(seen.store, '/var/lib/lanchat/chat.sqlite', 'the store is in its state directory');
  check.equal(seen.store_owner, 'chat-server', '... owned by its user');
  check.equal(seen.after_reload, 'active pid_kept=yes', 'systemctl reload: still active, same process');
  check.equal(seen.reloaded_logged, '1', '... and the journal says the configuration was reloaded');
  check.equal(seen.bad_reload, 'active warned=1', 'a misspelt setting: the reload is refused with a warning, the service goes on');
  check.ok(/"PRIORITY":"6"/.test(seen.journal_priorities ?? '') && /"PRIORITY":"4"/.test(seen.journal_priorities ?? ''), `the journal has its lines by priority (${seen.journal_priorities?.trim()})`);
  check.equal(seen.journal_timestamp_prefix, '0', 'and no time stamps of its own in them');
  check.ok(/^chat-server backup: \/var\/lib\/lanchat\/chat\.sqlite -> /.test(seen.backup ?? ''), `chat-server backup of the running service's store: ${seen.backup}`);
  check.ok(Number(seen.exposure) <= 3.0, `systemd-analyze security on the running system: ${seen.exposure}`);
  check.equal(seen.stopped, 'inactive result=success', 'systemctl stop: it stops cleanly');
} catch (e) {
  check.ok(false, `unexpected: ${e.stack}`);
} finally {
  serverChild?.kill('SIGKILL');
  clientChild?.kill('SIGKILL');
  for (const pkg of ['lanchat-client', 'lanchat-server']) if (installed(pkg)) tryRun(() => asRoot('dpkg', ['--purge', pkg]));
  if (!dataWasThere) tryRun(() => asRoot('rm', ['-rf', dataDir]));
  else tryRun(() => asRoot('rm', ['-f', join(dataDir, 'package-test.sqlite'), join(dataDir, 'package-test.sqlite-wal'), join(dataDir, 'package-test.sqlite-shm')]));
  if (clientHome) rmSync(clientHome, { recursive: true, force: true });
  if (!process.env.CHAT_PACKAGE_OUT) rmSync(out, { recursive: true, force: true });
}
check.finish();
process.exit(process.exitCode ?? 0);

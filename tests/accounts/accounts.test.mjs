// Accounts (--auth accounts) against the real server, hostile cases first:
// taking a registered name without its password, guessing passwords at speed,
// a token used after logout, invitations forged or used twice, a disabled
// account, the devices list and "sign out everywhere"; the documents' `ws`
// client as a guest; a witness who keeps chatting through all of it. The
// accounts are made with `chat-server user add` on the same SQLite file, one of
// them while the server runs. Every server runs with its default limits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../lib/server.mjs';
import { createChecks } from '../lib/check.mjs';
import { admin as adminIn, connect, login, post, withToken } from '../lib/accounts.mjs';

const check = createChecks('accounts');
const dir = mkdtempSync(join(tmpdir(), 'chat-accounts-'));
const db = join(dir, 'chat.sqlite');
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

const passwords = {
  Aminah: 'correct horse battery staple',
  Bob: 'hunter2hunter2',
  Cara: 'Cara-s3cret-pass',
  Dana: 'dana dana dana 42',
};

const admin = (args, input) => adminIn(db, args, input);

const servers = [];
try {
  check.section('the admin makes accounts from the shell');
  {
    const a = await admin(['user', 'add', 'Aminah', 'admin'], `${passwords.Aminah}\n`);
    check.equal(a.code, 0, '`user add Aminah admin` (password on standard input) succeeds');
    const b = await admin(['user', 'add', 'Bob'], `${passwords.Bob}\n`);
    check.equal(b.code, 0, '`user add Bob` succeeds');
    const again = await admin(['user', 'add', 'bob'], 'another password\n');
    check.ok(again.code !== 0 && /exists already/.test(again.err), '`user add bob` again is refused: the name exists, ignoring case');
    const weak = await admin(['user', 'add', 'Eve'], 'short\n');
    check.ok(weak.code !== 0 && /at least 8/.test(weak.err), 'a password under 8 characters is refused');
    const reserved = await admin(['user', 'add', 'Zed (guest)'], 'long enough pass\n');
    check.ok(reserved.code !== 0 && /guests/.test(reserved.err), 'a name in a guest\'s form cannot be registered');
    const list = await admin(['user', 'list']);
    check.ok(list.code === 0 && /^Aminah\tadmin\tenabled/m.test(list.out) && /^Bob\tmember\tenabled/m.test(list.out) && /2 accounts/.test(list.out),
      '`user list` shows Aminah (admin) and Bob (member)');
    const cmdline = [list.out, a.out, a.err, b.out, b.err].join('');
    check.ok(!cmdline.includes(passwords.Aminah) && !cmdline.includes(passwords.Bob), 'no command printed a password');
  }

  const server = await startServer(['--auth', 'accounts', '--log', 'debug'], { dir });
  servers.push(server);
  const { port } = server;

  // The witness: signed in, in the room, for the whole run.
  const witness = (await login(port, 'Aminah', passwords.Aminah)).c;
  witness.json({ type: 'join', room: 'general' });
  await witness.next('joined');
  let witnessed = 0;

  check.section('taking a registered name without its password');
  {
    const c = await connect(port, '127.0.0.2');
    const welcome = await c.next('welcome');
    check.ok(welcome.accounts?.registration === 'invite' && welcome.accounts?.guests === false, 'welcome says: accounts, registration by invitation, no guests');
    c.json({ type: 'hello', username: 'Aminah' });
    check.equal((await c.answer('identified')).code, 'account-required', 'hello as Aminah without signing in: account-required');
    c.json({ type: 'join', room: 'general', username: 'Aminah' });
    check.equal((await c.answer('joined')).code, 'account-required', 'the documents\' join with username Aminah: account-required');
    c.json({ type: 'join', room: 'general' });
    check.equal((await c.answer('joined')).code, 'not-identified', 'join without a name: not-identified');
    c.json({ type: 'chat', room: 'general', text: 'I am Aminah' });
    check.equal((await c.answer('message')).code, 'not-identified', 'chat before signing in: not-identified');
    c.json({ type: 'rooms' });
    check.equal((await c.answer('rooms')).code, 'not-identified', 'the rooms list before signing in: not-identified');
    c.json({ type: 'hello', username: 'Aminah', resume: 'x'.repeat(40) });
    check.equal((await c.answer('identified')).code, 'account-required', 'hello with a made-up resume token: account-required');
    c.json({ type: 'hello', accountToken: 'A'.repeat(43) });
    check.equal((await c.answer('signed-in')).code, 'bad-account-token', 'hello with a made-up account token: bad-account-token');
    c.json({ type: 'login', username: 'Aminah', password: 'wrong password' });
    const wrong = await c.answer('signed-in');
    c.json({ type: 'login', username: 'Nobody', password: 'wrong password' });
    const unknown = await c.answer('signed-in');
    check.ok(wrong.code === 'bad-credentials' && unknown.code === 'bad-credentials' && wrong.message === unknown.message,
      'a wrong password and an unknown name get the same bad-credentials');
    witness.json({ type: 'chat', room: 'general', text: 'still here', clientId: 'w1' });
    check.equal((await witness.next('message', (m) => m.clientId === 'w1')).username, 'Aminah', 'meanwhile the real Aminah chats as Aminah');
    witnessed += 1;
    c.close();
  }

  check.section('passwords guessed at speed');
  {
    const attacker = await connect(port, '127.0.0.5');
    await attacker.next('welcome');
    const started = Date.now();
    const answers = [];
    for (let i = 0; i < 40; i += 1) attacker.json({ type: 'login', username: 'Bob', password: `guess-${i}` });
    for (let i = 0; i < 40; i += 1) answers.push(await attacker.answer('signed-in'));
    const ms = Date.now() - started;
    const evaluated = answers.filter((a) => a.code === 'bad-credentials').length;
    const throttled = answers.filter((a) => a.code === 'throttled').length;
    const limited = answers.filter((a) => a.code === 'rate-limited').length;
    console.log(`  figures: 40 guesses in ${ms} ms: ${evaluated} checked (bad-credentials), ${throttled} throttled, ${limited} rate-limited, 0 right`);
    console.log('  figures: after those 10, one guess per 10 s per account: 1,000 guesses take >= 2.7 h (tst_loginthrottle counts it on a clock)');
    check.ok(evaluated <= 10 && throttled + limited === 40 - evaluated && answers.every((a) => a.type === 'error'), 'at most 10 of 40 guesses are even checked; the rest are throttled');
    check.ok(answers.some((a) => a.code === 'throttled' && /try again in \d+ s/.test(a.message)), 'a throttled attempt says when to try again');
    const other = await connect(port, '127.0.0.7');
    await other.next('welcome');
    other.json({ type: 'login', username: 'bob', password: 'guess from elsewhere' });
    check.equal((await other.answer('signed-in')).code, 'throttled', 'a new address guessing at Bob is throttled too (per account)');
    other.close();
    attacker.close();
    // The real Bob, from his own address: told to wait at most one refill
    // (10 s), he signs in on the first try after waiting as told.
    const first = await login(port, 'Bob', passwords.Bob, { from: '127.0.0.6' });
    const advised = Number(/try again in (\d+) s/.exec(first.reply.message ?? '')?.[1]);
    first.c.close();
    console.log(`  figures: the real Bob, during the attack, is told to try again in ${advised} s`);
    check.ok(first.reply.code === 'throttled' && advised >= 1 && advised <= 10, 'the real Bob is told to wait at most 10 s, not locked out');
    await pause(advised * 1000);
    const bob = await login(port, 'Bob', passwords.Bob, { from: '127.0.0.6' });
    check.equal(bob.reply.type, 'signed-in', 'after waiting as told, the real Bob signs in at the first try');
    bob.c.json({ type: 'join', room: 'general' });
    await bob.c.next('joined');
    bob.c.json({ type: 'chat', room: 'general', text: 'Bob here', clientId: 'b1' });
    const seen = await witness.next('message', (m) => m.clientId === 'b1');
    check.equal(seen.username, 'Bob', 'Bob\'s message reaches the witness as Bob');
    witnessed += 1;
    bob.c.close();
    await bob.c.closed;
  }

  check.section('a token after logout');
  {
    const first = await login(port, 'Bob', passwords.Bob, { from: '127.0.0.6', device: 'laptop' });
    const token = first.reply.token;
    check.ok(typeof token === 'string' && token.length >= 40 && first.reply.username === 'Bob' && first.reply.role === 'member',
      'login gives a token, the name and the role');
    check.ok(!server.stderr().includes(token), 'the token is not in the server\'s log');
    first.c.close();
    await first.c.closed;
    const again = await withToken(port, token, '127.0.0.8');
    check.ok(again.reply.type === 'signed-in' && again.reply.token === undefined && again.reply.identified.username === 'Bob',
      'hello with the token signs in as Bob (the token is not sent again)');
    again.c.json({ type: 'logout' });
    check.equal((await again.c.answer('signed-out')).type, 'signed-out', 'logout: signed-out');
    check.equal(await again.c.closed, 4006, 'and the connection closes with 4006');
    const stolen = await withToken(port, token, '127.0.0.9');
    check.equal(stolen.reply.code, 'bad-account-token', 'the same token after logout: bad-account-token');
    stolen.c.close();
    const resumed = await connect(port, '127.0.0.9');
    await resumed.next('welcome');
    resumed.json({ type: 'hello', username: 'Bob', resume: again.reply.identified.session });
    check.equal((await resumed.answer('identified')).code, 'account-required', 'resuming the signed-out connection: refused (the identity is gone)');
    resumed.close();
  }

  check.section('the browser\'s sign-in cookie');
  {
    const from = '127.0.0.30';
    const wrong = await post(port, '/api/login', { username: 'Aminah', password: 'not it', device: 'Firefox' }, { from });
    check.ok(wrong.status === 401 && wrong.json?.code === 'bad-credentials' && !wrong.headers['set-cookie'], 'POST /api/login with a wrong password: 401 bad-credentials, no cookie');
    const foreign = await post(port, '/api/login', { username: 'Aminah', password: passwords.Aminah }, { from, origin: 'http://evil.example' });
    check.equal(foreign.status, 403, 'from a foreign origin: 403 (no cross-site sign-in)');
    const form = await post(port, '/api/login', `username=Aminah&password=${passwords.Aminah}`, { from, contentType: 'application/x-www-form-urlencoded' });
    check.equal(form.status, 415, 'a form post (not JSON): 415');
    const get = await post(port, '/api/login', '', { from, method: 'GET' });
    check.equal(get.status, 405, 'GET: 405');
    const ok = await post(port, '/api/login', { username: 'aminah', password: passwords.Aminah, device: 'Firefox on Linux' }, { from });
    const setCookie = (ok.headers['set-cookie'] ?? [])[0] ?? '';
    check.ok(ok.status === 200 && ok.json?.username === 'Aminah' && !JSON.stringify(ok.json).includes(setCookie.split(';')[0].split('=')[1]),
      `POST /api/login: 200, signed in as Aminah, and the token is not in the body (${ok.status} ${ok.json?.code ?? ''})`);
    check.ok(/^lanchat_session=[A-Za-z0-9_-]{43}; /.test(setCookie) && /HttpOnly/.test(setCookie) && /SameSite=Strict/.test(setCookie) && !/Secure/.test(setCookie),
      `the token comes as a cookie: HttpOnly, SameSite=Strict (no Secure without TLS): ${setCookie.replace(/=[^;]+;/, '=...;')}`);
    const jar = setCookie.split(';')[0];
    const page = await connect(port, from, { Cookie: jar });
    await page.next('welcome');
    page.json({ type: 'hello', cookie: true });
    const signed = await page.answer('signed-in');
    check.ok(signed.type === 'signed-in' && signed.username === 'Aminah' && signed.token === undefined, 'the WebSocket upgrade carries it: hello with cookie: true signs in as Aminah (a second device of hers)');
    check.equal((await page.next('identified')).username, 'Aminah', 'and identified');
    const bare = await connect(port, from);
    await bare.next('welcome');
    bare.json({ type: 'hello', cookie: true });
    check.equal((await bare.answer('signed-in')).code, 'not-signed-in', 'a connection without the cookie: not-signed-in');
    bare.close();
    const out = await post(port, '/api/logout', {}, { from, cookie: jar });
    check.ok(out.status === 200 && /lanchat_session=; .*Max-Age=0/.test((out.headers['set-cookie'] ?? [])[0] ?? ''), 'POST /api/logout: 200, and the cookie is cleared');
    page.close();
    await page.closed;
    const stale = await connect(port, from, { Cookie: jar });
    await stale.next('welcome');
    stale.json({ type: 'hello', cookie: true });
    check.equal((await stale.answer('signed-in')).code, 'bad-account-token', 'the old cookie after logout: bad-account-token');
    stale.close();
  }

  check.section('one person on two devices');
  {
    const observer = (await login(port, 'Bob', passwords.Bob, { from: '127.0.0.6', device: 'observer' })).c;
    observer.json({ type: 'join', room: 'general' });
    await observer.next('joined');
    const phone = await login(port, 'aminah', passwords.Aminah, { from: '127.0.0.3', device: 'phone' });
    check.ok(phone.reply.type === 'signed-in' && phone.reply.identified.username === 'Aminah',
      'Aminah signs in on a second device while the first is online');
    check.equal(phone.reply.identified.rooms, ['general'], 'identified tells the new device the rooms the account is in');
    phone.c.json({ type: 'join', room: 'general' });
    const joined = await phone.c.next('joined');
    check.ok(joined.users.filter((u) => u === 'Aminah').length === 1, 'the room lists Aminah once');
    phone.c.json({ type: 'rooms' });
    const general = (await phone.c.next('rooms')).rooms.find((r) => r.name === 'general');
    check.equal(general?.usersInRoom, 2, 'the room counts people (Aminah and Bob), not connections (3)');
    phone.c.json({ type: 'chat', room: 'general', text: 'from my phone', clientId: 'p1' });
    const onLaptop = await witness.next('message', (m) => m.clientId === 'p1');
    const onObserver = await observer.next('message', (m) => m.clientId === 'p1');
    check.ok(onLaptop.username === 'Aminah' && onObserver.username === 'Aminah', 'a message from the phone shows on the laptop as Aminah\'s own, and to Bob as Aminah\'s');
    witness.json({ type: 'typing', room: 'general', active: true });
    await observer.next('user-typing', (m) => m.username === 'Aminah');
    witness.json({ type: 'join', room: 'side' });
    await witness.next('joined', (m) => m.room === 'side');
    const follow = await phone.c.next('joined', (m) => m.room === 'side');
    check.equal(follow.room, 'side', 'a room joined on the laptop is joined on the phone too');
    witness.json({ type: 'leave', room: 'side' });
    const left = await phone.c.next('user-left', (m) => m.room === 'side');
    check.equal(left.username, 'Aminah', 'and left on the phone when left on the laptop');
    phone.c.json({ type: 'logout' });
    await phone.c.answer('signed-out');
    check.equal(await phone.c.closed, 4006, 'the phone signs out (4006) while the laptop stays');
    const replay = await connect(port, '127.0.0.3');
    await replay.next('welcome');
    replay.json({ type: 'hello', username: 'Aminah', resume: phone.reply.identified.session });
    check.equal((await replay.answer('identified')).code, 'account-required', 'the signed-out phone\'s resume token does not get it back in');
    replay.json({ type: 'hello', accountToken: phone.reply.token });
    check.equal((await replay.answer('signed-in')).code, 'bad-account-token', 'nor does its account token');
    replay.close();
    witness.json({ type: 'chat', room: 'general', text: 'laptop still here', clientId: 'w-multi' });
    await observer.next('message', (m) => m.clientId === 'w-multi');
    check.equal(observer.inbox.filter((m) => (m.type === 'user-joined' || m.type === 'user-left') && m.username === 'Aminah').map((m) => `${m.type} ${m.username}`), [],
      'Bob saw no join or leave of Aminah: the phone coming and going is not presence');
    check.equal(witness.inbox.filter((m) => m.type === 'user-typing' && m.username === 'Aminah').length, 0, 'the laptop is not told of its own typing');
    observer.close();
    await observer.closed;
  }

  check.section('registration by invitation');
  {
    const invite = await admin(['invite', 'create', '1']);
    const code = /#invite=([A-Za-z0-9_-]+)/.exec(invite.out)?.[1];
    check.ok(invite.code === 0 && code && code.length >= 20, '`invite create 1` prints a link with a code, while the server runs');
    const c = await connect(port, '127.0.0.10');
    await c.next('welcome');
    c.json({ type: 'register', username: 'Cara', password: passwords.Cara });
    check.equal((await c.answer('signed-in')).code, 'bad-invite', 'register without an invitation: bad-invite');
    c.json({ type: 'register', username: 'Cara', password: passwords.Cara, invite: 'forged-invite-code-000000' });
    check.equal((await c.answer('signed-in')).code, 'bad-invite', 'register with a forged invitation: bad-invite');
    c.json({ type: 'register', username: 'BOB', password: 'a fine password', invite: code });
    check.equal((await c.answer('signed-in')).code, 'name-taken', 'register a registered name (other case): name-taken, the invitation not used');
    c.json({ type: 'register', username: 'guest-1234', password: 'a fine password', invite: code });
    check.equal((await c.answer('signed-in')).code, 'bad-username', 'register a guest-NNNN name: bad-username');
    c.json({ type: 'register', username: 'Cara', password: 'short', invite: code });
    check.equal((await c.answer('signed-in')).code, 'weak-password', 'register with a 5-character password: weak-password');
    c.json({ type: 'register', username: 'Cara', password: passwords.Cara, invite: code, device: 'phone' });
    const ok = await c.answer('signed-in');
    check.ok(ok.type === 'signed-in' && ok.username === 'Cara' && ok.token, 'register with the invitation: signed in as Cara with a token');
    check.equal((await c.next('identified')).username, 'Cara', 'and identified as Cara');
    const d = await connect(port, '127.0.0.11');
    await d.next('welcome');
    d.json({ type: 'register', username: 'Dana', password: passwords.Dana, invite: code });
    check.equal((await d.answer('signed-in')).code, 'bad-invite', 'the same one-use invitation again: bad-invite');
    d.close();
    c.close();
    await c.closed;
    const list = await admin(['user', 'list']);
    check.ok(/^Cara\tmember\tenabled/m.test(list.out), '`user list` shows Cara');
  }

  check.section('devices and signing out everywhere');
  {
    const add = await admin(['user', 'add', 'Dana'], `${passwords.Dana}\n`);
    check.equal(add.code, 0, '`user add Dana` while the server runs');
    const laptop = await login(port, 'Dana', passwords.Dana, { from: '127.0.0.12', device: 'laptop' });
    check.equal(laptop.reply.type, 'signed-in', 'Dana, added while the server runs, signs in');
    const phone = await login(port, 'Dana', passwords.Dana, { from: '127.0.0.12', device: 'phone' });
    phone.c.json({ type: 'devices' });
    const devices = (await phone.c.answer('devices')).devices ?? [];
    check.ok(devices.length === 2 && devices.filter((d) => d.current).length === 1
      && devices.find((d) => d.current)?.device === 'phone' && devices.some((d) => d.device === 'laptop'),
    'devices: two, the phone marked current');
    const laptopId = devices.find((d) => d.device === 'laptop')?.id;
    phone.c.json({ type: 'revoke', device: laptopId });
    check.equal((await phone.c.answer('revoked')).count, 1, 'revoke the laptop: 1 signed out');
    check.equal(await laptop.c.closed, 4006, 'the laptop, online, is closed with 4006 at once');
    const old = await withToken(port, laptop.reply.token, '127.0.0.13');
    check.equal(old.reply.code, 'bad-account-token', 'the laptop\'s token no longer signs in');
    old.c.close();
    phone.c.json({ type: 'revoke' });
    check.equal((await phone.c.answer('revoked')).code, 'bad-field', 'revoke without a device or all: bad-field');
    const tablet = await login(port, 'Dana', passwords.Dana, { from: '127.0.0.12', device: 'tablet' });
    check.equal(tablet.reply.type, 'signed-in', 'Dana signs in on a tablet too');
    phone.c.json({ type: 'revoke', all: true });
    check.equal((await phone.c.answer('revoked')).count, 2, 'sign out everywhere: revoked, 2 devices');
    check.equal(await phone.c.closed, 4006, 'and this connection closes with 4006');
    check.equal(await tablet.c.closed, 4006, 'and so does the tablet');
    const gone = await withToken(port, phone.reply.token, '127.0.0.13');
    check.equal(gone.reply.code, 'bad-account-token', 'the phone\'s token no longer signs in either');
    gone.c.close();
  }

  check.section('a disabled account');
  {
    const cara = await login(port, 'Cara', passwords.Cara, { from: '127.0.0.14' });
    const token = cara.reply.token;
    cara.c.close();
    await cara.c.closed;
    const off = await admin(['user', 'disable', 'Cara']);
    check.equal(off.code, 0, '`user disable Cara` while the server runs');
    const tryAgain = await login(port, 'Cara', passwords.Cara, { from: '127.0.0.14' });
    check.equal(tryAgain.reply.code, 'account-disabled', 'Cara\'s right password: account-disabled');
    tryAgain.c.close();
    const byToken = await withToken(port, token, '127.0.0.14');
    check.equal(byToken.reply.code, 'bad-account-token', 'Cara\'s token: signed out by the disabling');
    byToken.c.close();
    const wrong = await login(port, 'Cara', 'not her password', { from: '127.0.0.15' });
    check.equal(wrong.reply.code, 'bad-credentials', 'a wrong password for a disabled account says only bad-credentials');
    wrong.c.close();
  }

  check.section('the shell acts on connections that are online');
  {
    // `chat-server user role|passwd|disable` write the store the server runs on;
    // the server finds the change (AccountService checks every 2 s) and acts on
    // the account's open connections, not only at its next sign-in.
    const gil = 'gil gil gil gil 7';
    check.equal((await admin(['user', 'add', 'Gil'], `${gil}\n`)).code, 0, '`user add Gil`');
    const laptop = await login(port, 'Gil', gil, { from: '127.0.0.30', device: 'laptop' });
    const phone = await login(port, 'Gil', gil, { from: '127.0.0.31', device: 'phone' });
    laptop.c.json({ type: 'join', room: 'general' });
    await laptop.c.next('joined');
    const bob = await login(port, 'Bob', passwords.Bob, { from: '127.0.0.32' });
    bob.c.json({ type: 'join', room: 'general' });
    await bob.c.next('joined');
    laptop.c.json({ type: 'mute', room: 'general', username: 'Bob', minutes: 1 });
    check.equal((await laptop.c.answer('done')).code, 'forbidden', 'Gil, a member, may not mute Bob');
    check.equal((await admin(['user', 'role', 'Gil', 'moderator'])).code, 0, '`user role Gil moderator` while Gil is online');
    let answer;
    for (let tries = 0; tries < 100; ++tries) { // the next check comes within 2 s
      laptop.c.json({ type: 'mute', room: 'general', username: 'Bob', minutes: 1 });
      answer = await laptop.c.answer('done');
      if (answer.type === 'done') break;
      await pause(100);
    }
    check.equal(answer.type, 'done', 'without signing in again, Gil\'s laptop may mute Bob now');
    laptop.c.json({ type: 'unmute', room: 'general', username: 'Bob' });
    await laptop.c.answer('done');
    const newPassword = 'gil has a new one 8';
    const started = Date.now();
    check.equal((await admin(['user', 'passwd', 'Gil'], `${newPassword}\n`)).code, 0, '`user passwd Gil` while Gil is online');
    check.equal(await laptop.c.closed, 4006, 'Gil\'s laptop is signed out (4006)');
    check.equal(await phone.c.closed, 4006, 'and so is the phone');
    console.log(`# the shell's new password closed 2 devices in ${Date.now() - started} ms (check interval 2000 ms)`);
    const old = await withToken(port, laptop.reply.token, '127.0.0.30');
    check.equal(old.reply.code, 'bad-account-token', 'the laptop\'s old token no longer signs in');
    old.c.close();
    bob.c.json({ type: 'chat', room: 'general', text: 'still here', clientId: 'shell-1' });
    check.equal((await witness.next('message', (m) => m.clientId === 'shell-1')).username, 'Bob', 'Bob keeps chatting meanwhile: Aminah gets his message');
    const again = await login(port, 'Gil', newPassword, { from: '127.0.0.30' });
    check.equal(again.reply.type, 'signed-in', 'the new password signs in');
    check.equal(again.reply.role, 'moderator', 'as a moderator');
    check.equal((await admin(['user', 'disable', 'Gil'])).code, 0, '`user disable Gil` while Gil is online');
    check.equal(await again.c.closed, 4006, 'the disabled account\'s connection closes (4006)');
    const refused = await login(port, 'Gil', newPassword, { from: '127.0.0.33' });
    check.equal(refused.reply.code, 'account-disabled', 'and it cannot sign in: account-disabled');
    refused.c.close();
    bob.c.close();
  }

  check.section('a member tries account requests that are not theirs');
  {
    const c = await connect(port, '127.0.0.16');
    await c.next('welcome');
    for (const type of ['logout', 'devices']) {
      c.json({ type });
      check.equal((await c.answer('signed-out', 'devices')).code, 'not-signed-in', `${type} before signing in: not-signed-in`);
    }
    c.json({ type: 'revoke', all: true });
    check.equal((await c.answer('revoked')).code, 'not-signed-in', 'revoke before signing in: not-signed-in');
    c.json({ type: 'login', username: 'Bob', password: 12345 });
    check.equal((await c.answer('signed-in')).code, 'bad-field', 'a password that is not a string: bad-field');
    c.json({ type: 'login', username: 'Bob', password: 'x'.repeat(300) });
    check.equal((await c.answer('signed-in')).code, 'bad-field', 'a 300-character password: bad-field');
    c.close();
  }

  check.section('the witness kept chatting');
  {
    witness.json({ type: 'chat', room: 'general', text: 'the end', clientId: 'w2' });
    await witness.next('message', (m) => m.clientId === 'w2');
    witnessed += 1;
    check.equal(witnessed, 3, 'the witness saw its own and Bob\'s messages through every attack');
    const log = server.stderr();
    const leaked = Object.values(passwords).filter((p) => log.includes(p));
    check.equal(leaked, [], 'no password appears in the server\'s debug log');
    witness.close();
  }
  await server.stopCleanly(check);

  check.section('guests on an accounts server (--guests on): the documents\' client');
  {
    const guests = await startServer(['--auth', 'accounts', '--guests', 'on'], { dir });
    servers.push(guests);
    const aminah = (await login(guests.port, 'Aminah', passwords.Aminah)).c;
    aminah.json({ type: 'join', room: 'general' });
    await aminah.next('joined');
    // The documents' ws client: join with a username, then chat.
    const doc = await connect(guests.port, '127.0.0.20');
    await doc.next('welcome');
    doc.json({ type: 'join', room: 'general', username: 'Aminah' });
    const joined = await doc.next('joined');
    const me = await doc.next('user-joined', (m) => m.username.startsWith('Aminah'));
    check.equal(me.username, 'Aminah (guest)', 'the documents\' client asking for "Aminah" is "Aminah (guest)"');
    check.ok(joined.users.includes('Aminah') && joined.users.includes('Aminah (guest)'), 'the room lists the real Aminah and the guest apart');
    doc.json({ type: 'chat', text: 'hello from the documents' });
    const m = await aminah.next('message', (x) => x.text === 'hello from the documents');
    check.equal(m.username, 'Aminah (guest)', 'the guest\'s message reaches Aminah, marked as a guest\'s');
    doc.json({ type: 'join', room: 'general', username: 'Aminah' });
    check.equal((await doc.next('joined')).room, 'general', 'the documents\' client joining again with the same name is fine');
    doc.json({ type: 'register', username: 'Nobody', password: 'long enough pass' });
    check.equal((await doc.answer('signed-in')).code, 'already-identified', 'a guest cannot register on its connection: already-identified');
    doc.close();
    aminah.close();
    await guests.stopCleanly(check);
  }

  check.section('an open server has no accounts');
  {
    const open = await startServer([], { dir });
    servers.push(open);
    const c = await connect(open.port);
    const welcome = await c.next('welcome');
    check.ok(welcome.accounts === undefined, 'welcome has no accounts');
    c.json({ type: 'login', username: 'Aminah', password: passwords.Aminah });
    check.equal((await c.answer('signed-in')).code, 'accounts-off', 'login: accounts-off');
    c.json({ type: 'hello', username: 'Aminah' });
    check.equal((await c.next('identified')).username, 'Aminah', 'hello as Aminah works as it always did');
    c.close();
    await open.stopCleanly(check);
  }
} catch (e) {
  check.ok(false, `unexpected: ${e.stack}`);
  for (const s of servers) console.log(s.stderr().slice(-3000));
} finally {
  for (const s of servers) await s.stop().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
  check.finish();
}

// The browser client in real headless Chromium against a real chat-server: login,
// chat with a Node `ws` client, notices and users, typing, hostile markup, a
// server restart with an offline message, a #room link, screenshots.
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { createHash, X509Certificate } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { startServer } from '../lib/server.mjs';
import { createChecks } from '../lib/check.mjs';
import { launchBrowser } from '../lib/browser.mjs';
import { connectClient } from '../lib/wsclient.mjs';

const WebSocket = createRequire(import.meta.url)('ws');
const check = createChecks('browser');
const here = dirname(fileURLToPath(import.meta.url));
const shots = join(here, 'screenshots');
mkdirSync(shots, { recursive: true });
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

let server = await startServer();
const { port, dir } = server;
const browser = await launchBrowser();
const page = await browser.context.newPage();
const pageErrors = [];
page.on('pageerror', (error) => pageErrors.push(String(error)));
page.on('dialog', (dialog) => { pageErrors.push(`dialog: ${dialog.message()}`); dialog.dismiss(); });
const url = `http://127.0.0.1:${port}/`;

// Waits for a locator; true if it showed within the time, false if not (a check
// that can fail, where a bare waitFor would only throw).
function appears(locator, timeout = 8000, state = 'visible') {
  return locator.waitFor({ timeout, state }).then(() => true, () => false);
}

// A round trip on a ws test client: afterwards it has everything the server sent
// it before answering.
async function sync(client) {
  client.json({ type: 'rooms' });
  await client.next('rooms');
}

async function messagesText() {
  return page.locator('#messages').innerText();
}

try {
  check.section('login');
  await page.goto(url);
  const name = page.getByLabel('Name');
  check.ok(await name.isVisible(), 'a name prompt with an accessible name "Name"');
  await name.fill('x'.repeat(40));
  check.ok((await page.locator('#name-problem').innerText()).includes('32'), 'the rules are shown inline (too long)');
  await name.fill('Aminah');
  check.equal(await page.locator('#name-problem').innerText(), '', 'a good name clears the problem');
  await name.press('Enter');
  await page.locator('#app').waitFor({ state: 'visible' });
  check.equal(await page.locator('#room-title').innerText(), '#general', 'joins #general by default');
  check.ok(await page.getByRole('textbox', { name: 'Message' }).isVisible(), 'message box named "Message"');
  check.ok(await page.getByRole('button', { name: 'Send' }).isVisible(), 'send button named "Send"');
  check.equal(await page.evaluate(() => document.activeElement?.id), 'message-input', 'the message box has the focus');

  check.section('chat with a ws client');
  const ben = await connectClient(port);
  await ben.hello('Ben');
  await ben.joinRoom('general');
  await page.locator('#user-list li', { hasText: 'Ben' }).waitFor();
  check.ok((await messagesText()).includes('Ben joined'), 'join notice for Ben');
  check.equal(await page.locator('#people-title').textContent(), 'People (2)', 'user list has both');
  ben.json({ type: 'chat', room: 'general', text: 'Hello from Node' });
  check.ok(await appears(page.locator('#messages .msg', { hasText: 'Hello from Node' })), 'the page shows a message from the ws client');
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('Hello from Chromium');
  await box.press('Enter');
  const fromPage = await ben.next('message', (m) => m.text === 'Hello from Chromium');
  check.equal(fromPage.username, 'Aminah', 'the ws client receives the page\'s message');
  check.ok(typeof fromPage.clientId === 'string' && fromPage.clientId.length > 0, 'the page sends a clientId');
  check.ok(await appears(page.locator('#messages .msg:not(.pending)', { hasText: 'Hello from Chromium' })), 'own message confirmed');
  await box.fill('line one');
  await box.press('Shift+Enter');
  await box.type('line two');
  check.equal(await box.inputValue(), 'line one\nline two', 'Shift+Enter adds a line');
  await box.press('Enter');
  check.equal((await ben.next('message', (m) => m.username === 'Aminah')).text, 'line one\nline two', 'two lines arrive as one message');
  // Keyed rendering: rows already shown are kept, not re-created, when more arrive.
  await page.evaluate(() => { document.querySelector('#messages .msg').__kept = true; });
  ben.json({ type: 'chat', room: 'general', text: 'one more' });
  await page.locator('#messages .msg', { hasText: 'one more' }).waitFor();
  check.ok(await page.evaluate(() => document.querySelector('#messages .msg').__kept === true), 'a new message leaves the rows before it in place (keyed rendering)');

  check.section('typing');
  ben.json({ type: 'typing', room: 'general' });
  check.ok(await appears(page.locator('#typing', { hasText: 'Ben is typing' })), 'typing indicator shows "Ben is typing…"');
  await box.type('abc');
  const typing = await ben.next('user-typing');
  check.equal(typing.username, 'Aminah', 'the page tells others it is typing');
  await box.fill('');

  check.section('hostile markup stays text');
  const evil = ['<img src=x onerror="window.__xss=1">', '<script>window.__xss=2</script>', '"><svg onload=window.__xss=3>'];
  for (const text of evil) ben.json({ type: 'chat', room: 'general', text });
  await page.locator('#messages .msg', { hasText: '<svg onload' }).waitFor();
  const shown = await messagesText();
  check.ok(evil.every((text) => shown.includes(text)), 'markup is shown literally');
  check.equal(await page.evaluate(() => window.__xss), undefined, 'no script ran');
  check.equal(await page.locator('#messages img, #messages script, #messages svg').count(), 0, 'no element was created');
  const mallory = await connectClient(port);
  await mallory.hello('<b>Mallory</b>');
  await mallory.joinRoom('general');
  await page.locator('#user-list li', { hasText: '<b>Mallory</b>' }).waitFor();
  check.equal(await page.locator('#user-list b').count(), 0, 'a name with markup is text');
  mallory.close();

  check.section('mentions and unread');
  await ben.joinRoom('random');
  const other = await browser.context.newPage();
  await other.goto(`${url}#random`);
  // The second tab shares storage with the first: it signs in as Aminah, which is taken.
  check.ok(await appears(other.locator('#name-problem', { hasText: 'already taken' })), 'a taken name is explained in the second tab');
  await other.getByLabel('Name').fill('Cik');
  await other.getByLabel('Name').press('Enter');
  check.ok(await appears(other.locator('#room-title', { hasText: '#random' })), 'a #random link opens that room');
  await other.close();
  await page.locator('#join-input').fill('random');
  await page.locator('#join-input').press('Enter');
  await page.locator('#room-title', { hasText: '#random' }).waitFor();
  await page.locator('.room', { hasText: '#general' }).click();
  ben.json({ type: 'chat', room: 'random', text: 'psst @aminah' });
  await page.locator('.room .badge.mention').waitFor();
  check.equal(await page.locator('.room .badge').innerText(), '1', 'unread count on the other room');
  check.ok((await page.title()).startsWith('(1) '), 'unread count in the tab title');
  await page.locator('.room', { hasText: '#random' }).click();
  check.ok(await appears(page.locator('#messages .msg.mention', { hasText: 'psst' })), 'the mention is highlighted');
  check.ok(!(await page.title()).startsWith('('), 'opening the room clears the count');
  await page.locator('.room', { hasText: '#general' }).click();

  check.section('a crowd arrives at once');
  const peopleBefore = await page.locator('#user-list li').count();
  const crowd = await Promise.all(Array.from({ length: 12 }, () => connectClient(port)));
  crowd.forEach((c, i) => c.json({ type: 'join', room: 'general', username: `Crowd${i}` }));
  check.ok(await appears(page.locator('#people-title', { hasText: `People (${peopleBefore + 12})` })), 'the user list has all twelve');
  // The page asked for presence frames: one notice per frame, and each arrival told once.
  const told = await page.evaluate(() => [...document.querySelectorAll('#messages .notice')]
    .map((n) => n.textContent.match(/^(.*?)(?: and (\d+) more)? joined · /))
    .filter((m) => m && m[1].includes('Crowd'))
    .reduce((sum, m) => sum + m[1].split(', ').length + Number(m[2] || 0), 0));
  check.equal(told, 12, 'every one of them is in a join notice, once');

  check.section('screenshots');
  await pause(300);
  await page.screenshot({ path: join(shots, 'desktop.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  await pause(300);
  await page.screenshot({ path: join(shots, 'phone.png') });
  await page.getByRole('button', { name: 'Rooms' }).click();
  await pause(300);
  await page.screenshot({ path: join(shots, 'phone-rooms.png') });
  await page.keyboard.press('Escape');
  await page.setViewportSize({ width: 1280, height: 800 });
  check.ok(['desktop.png', 'phone.png', 'phone-rooms.png'].every((f) => statSync(join(shots, f)).size > 1000), `screenshots in ${shots}`);
  for (const c of crowd) c.close();
  check.ok(await appears(page.locator('#people-title', { hasText: `People (${peopleBefore})` })), 'and all of them leave at once');

  check.section('server restart');
  await server.stop('SIGKILL');
  ben.terminate();
  await page.locator('#status-text', { hasText: 'Reconnecting in' }).waitFor();
  check.ok(await page.getByRole('button', { name: 'Retry now' }).isVisible(), 'a Retry now button');
  await box.fill('typed while the server was down');
  await box.press('Enter');
  check.ok(await appears(page.locator('#messages .msg.pending', { hasText: 'typed while the server was down' })), 'the offline message is shown as pending');
  await page.locator('#status-text', { hasText: '1 message waiting' }).waitFor();
  // Wait until an attempt has failed, then restart and speak before the next one.
  await page.waitForFunction(() => window.lanchat.connection.backoff.attempt >= 2, null, { timeout: 10000 });
  server = await startServer(['--port', String(port)], { dir });
  const ben2 = await connectClient(port);
  await ben2.hello('Ben');
  await ben2.joinRoom('general');
  ben2.json({ type: 'chat', room: 'general', text: 'said while you were away' });
  await ben2.next('message', (m) => m.text === 'said while you were away');
  check.ok(await appears(page.locator('#messages .msg', { hasText: 'said while you were away' }), 15000), 'after reconnecting the page shows what was said meanwhile');
  const offline = await ben2.next('message', (m) => m.text === 'typed while the server was down', 15000);
  check.equal(offline.username, 'Aminah', 'the offline message is delivered');
  await page.locator('#status-bar').waitFor({ state: 'hidden' });
  await sync(ben2);
  check.equal(ben2.count('message', (m) => m.text === 'typed while the server was down'), 0, 'delivered once');
  const stored = execFileSync('sqlite3', [join(dir, 'chat.sqlite'), "SELECT COUNT(*) FROM messages WHERE text = 'typed while the server was down'"]).toString().trim();
  check.equal(stored, '1', 'stored once');
  check.equal(await page.locator('#messages .msg', { hasText: 'typed while the server was down' }).count(), 1, 'shown once');

  check.section('a malformed %-escape in the address');
  await page.evaluate(() => { location.hash = '#%E0%A4%A'; });
  await page.evaluate(() => new Promise((r) => setTimeout(r, 0))); // the hashchange ran
  check.equal(await page.locator('#room-title').innerText(), '#general', 'the page stays in its room');
  check.equal(pageErrors, [], 'and throws nothing');

  // The server's default limits (10 messages/s, bursts of 20, closed after 40
  // refusals in a row); before, the page sent everything at once and lost the rest.
  await page.evaluate(() => {
    // Counts what the server refuses, whatever the page does with it.
    const c = window.lanchat.connection;
    const handle = c.onMessage.bind(c);
    window.refusals = 0;
    window.identifications = 0;
    c.addEventListener('identified', () => { window.identifications += 1; });
    c.onMessage = (raw) => { if (raw.includes('"code":"rate-limited"')) window.refusals += 1; handle(raw); };
  });
  ben2.close();
  for (const count of [30, 80]) {
    check.section(`an offline outbox of ${count} messages, default limits`);
    await server.stop('SIGKILL');
    await page.locator('#status-text', { hasText: 'Reconnecting in' }).waitFor();
    const typed = Array.from({ length: count }, (_, i) => `offline ${count} #${i + 1}`);
    for (const text of typed) {
      await box.fill(text);
      await box.press('Enter');
    }
    check.ok(await appears(page.locator('#status-text', { hasText: `${count} messages waiting` })), `${count} messages wait`);
    const identifiedBefore = await page.evaluate(() => window.identifications);
    server = await startServer(['--port', String(port)], { dir });
    const started = Date.now();
    const sent = await page.waitForFunction(() => window.lanchat.connection.outbox.length === 0, null, { timeout: 60000 })
      .then(() => true, () => false);
    console.log(`    ${count} sent in ${Date.now() - started} ms after the server was back`);
    check.ok(sent, 'the outbox empties');
    const stored = execFileSync('sqlite3', [join(dir, 'chat.sqlite'),
      `SELECT text FROM messages WHERE text LIKE 'offline ${count} #%' ORDER BY id`]).toString().trim().split('\n');
    check.equal(stored, typed, `all ${count} stored, once each, in the order typed`);
    check.equal(await page.locator('#messages .msg.pending').count(), 0, 'no row stays pending');
    check.equal(await page.evaluate((c) => window.lanchat.chat.room('general').items
      .filter((i) => i.kind === 'message' && i.text.startsWith(`offline ${c} #`)).length, count), count, `the page holds ${count}`);
    check.ok(await appears(page.locator('#messages .msg', { hasText: `offline ${count} #${count}` })), 'the newest of them is on screen');
    // Paced to the limit, a refusal is rare (arrival jitter); one is sent again,
    // first in line, and the connection is never closed for flooding.
    console.log(`    refused by the server on the way: ${await page.evaluate(() => window.refusals)}`);
    check.equal(await page.evaluate(() => window.identifications), identifiedBefore + 1, 'one reconnect, none on the way (no flood close)');
  }

  check.section('a long room is a window of rows');
  const held = await page.evaluate(() => {
    const { connection, chat } = window.lanchat;
    const start = chat.lastId('general') + 1;
    const when = Date.now();
    for (let i = 0; i < 3000; i += 1) {
      const text = `long room ${i}${i % 7 === 0 ? ' and a longer text that wraps onto a second line on a narrow screen, as people write' : ''}`;
      connection.onMessage(JSON.stringify({ type: 'message', room: 'general', id: start + i, username: 'Ben', text, timestamp: new Date(when + i).toISOString() }));
    }
    return chat.room('general').items.length;
  });
  check.ok(await appears(page.locator('#messages .msg', { hasText: 'long room 2999' })), 'the newest of 3,000 more is on screen');
  const rows = await page.locator('#messages .msg').count();
  check.ok(rows > 5 && rows < 200, `the page holds a window of the room: ${rows} rows of ${held}`);
  // Up to the top a few screens at a time, as a reader flicks, then down again.
  await page.evaluate(async () => {
    const list = document.getElementById('messages');
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    while (list.scrollTop > 0) { list.scrollTop = Math.max(0, list.scrollTop - 3 * list.clientHeight); await frame(); }
  });
  const oldest = await page.evaluate(() => window.lanchat.chat.room('general').items.find((i) => i.kind === 'message').text);
  check.ok(await appears(page.locator('#messages .msg', { hasText: oldest }).first()), `at the top, the room's oldest message is shown ("${oldest}")`);
  check.equal(await page.locator('#messages .msg', { hasText: 'long room 2999' }).count(), 0, 'and the newest is not in the page');
  check.ok(await page.locator('#messages .msg').count() < 200, 'still a window');
  await page.evaluate(() => { const list = document.getElementById('messages'); list.scrollTop = list.scrollHeight; });
  check.ok(await appears(page.locator('#messages .msg', { hasText: 'long room 2999' })), 'and at the bottom the newest again');

  check.section('a server with a password');
  const guarded = await startServer(['--token', 'letmein']);
  const locked = await browser.context.newPage();
  await locked.goto(`http://127.0.0.1:${guarded.port}/`);
  // Another origin (port): nothing remembered; the server's welcome asks for a password.
  await locked.locator('#password-row').waitFor({ state: 'visible' });
  await locked.getByLabel('Name').fill('Aminah');
  check.ok(await locked.getByLabel('Password').isVisible(), 'a password field appears, named "Password"');
  await locked.getByLabel('Password').fill('wrong');
  await locked.getByLabel('Password').press('Enter');
  check.ok(await appears(locked.locator('#name-problem', { hasText: 'refused this password' })), 'a wrong password is refused and explained');
  await locked.getByLabel('Password').fill('letmein');
  await locked.getByLabel('Password').press('Enter');
  check.ok(await appears(locked.locator('#app')), 'the right password lets the page in');
  check.ok(!locked.url().includes('letmein'), 'the password is not in the URL');
  await locked.close();
  await guarded.stop();

  check.section('https:// and wss:// with the generated certificate and a password');
  const secure = await startServer(['--tls-self-signed', '--token', 'letmein']);
  const secureUrl = `https://127.0.0.1:${secure.port}/`;
  const certPem = readFileSync(join(secure.dir, 'tls-cert.pem'));
  // A browser that was never told about the certificate refuses the page.
  const stranger = await browser.context.newPage();
  const refused = await stranger.goto(secureUrl).then(() => 'loaded', (e) => e.message);
  check.ok(/ERR_CERT/.test(refused), `Chromium refuses an unknown self-signed certificate (${refused.split('\n')[0]})`);
  await stranger.close();
  // Trusting exactly this certificate's key, as a user who accepted it would.
  const spki = createHash('sha256').update(new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
  const trusting = await launchBrowser({ args: [`--ignore-certificate-errors-spki-list=${spki}`] });
  try {
    const tab = await trusting.context.newPage();
    tab.on('pageerror', (error) => pageErrors.push(String(error)));
    await tab.goto(secureUrl);
    await tab.locator('#password-row').waitFor({ state: 'visible' });
    await tab.getByLabel('Name').fill('Aminah');
    await tab.getByLabel('Password').fill('letmein');
    await tab.getByLabel('Password').press('Enter');
    check.ok(await appears(tab.locator('#app')), 'the page loads over https:// and logs in over wss:// with the password');
    const nodeClient = await new Promise((resolve, reject) => {
      const ws = new WebSocket(`wss://127.0.0.1:${secure.port}/`, { ca: certPem });
      const inbox = [];
      ws.on('message', (d) => inbox.push(JSON.parse(d)));
      ws.on('open', () => resolve({ ws, inbox }));
      ws.on('error', reject);
    });
    nodeClient.ws.send(JSON.stringify({ type: 'hello', username: 'Ben', token: 'letmein' }));
    nodeClient.ws.send(JSON.stringify({ type: 'join', room: 'general' }));
    await tab.locator('#user-list li', { hasText: 'Ben' }).waitFor();
    nodeClient.ws.send(JSON.stringify({ type: 'chat', room: 'general', text: 'over wss from Node' }));
    await tab.locator('#messages .msg', { hasText: 'over wss from Node' }).waitFor();
    const secureBox = tab.getByRole('textbox', { name: 'Message' });
    await secureBox.fill('over wss from Chromium');
    await secureBox.press('Enter');
    await tab.locator('#messages .msg:not(.pending)', { hasText: 'over wss from Chromium' }).waitFor();
    const deadline = Date.now() + 5000;
    while (!nodeClient.inbox.some((m) => m.type === 'message' && m.text === 'over wss from Chromium') && Date.now() < deadline) await pause(50);
    check.ok(nodeClient.inbox.some((m) => m.type === 'message' && m.text === 'over wss from Chromium' && m.username === 'Aminah'),
      'a message typed in Chromium reaches a Node ws client over wss, and back');
    check.equal(await tab.evaluate(() => location.protocol), 'https:', 'the page itself is on https:');
    nodeClient.ws.close();
  } finally {
    await trusting.close();
    await secure.stop();
  }
  check.equal(pageErrors, [], 'no errors in the page');
} catch (error) {
  check.ok(false, `unexpected: ${error.stack}`);
  try { await page.screenshot({ path: join(shots, 'failure.png') }); } catch { /* ignore */ }
} finally {
  await browser.close();
  await server.stop();
  check.finish();
}

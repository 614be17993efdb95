// The documents' Socket.IO pages (pages/, byte for byte from ../shared/seeds/pages)
// in headless Chromium against one chat-server with its default limits, all at
// once, with a v1 WebSocket client ("desk", what the desktop client speaks) and
// the server's own browser client in #general: each page sees the others'
// messages and notices, desk and the browser client see theirs, and they see
// desk's and the browser client's. The pages that load the 4.0.0 client from a CDN are
// opened from file:// (Origin: null, allowed with --allow-origin null) with the
// CDN script answered by the server's own copy and their
// io("http://localhost:3000") resolved to the server.
import { readFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchBrowser } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { connectClient } from '../lib/wsclient.mjs';
import { createChecks } from '../lib/check.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const pages = join(here, 'pages');
const shots = join(here, '..', 'web', 'screenshots');
mkdirSync(shots, { recursive: true });
const check = createChecks('socketio-pages');

const server = await startServer(['--pages', pages, '--allow-origin', 'null']);
const { port } = server;
const browser = await launchBrowser({ args: [`--host-resolver-rules=MAP localhost:3000 127.0.0.1:${port}`] });
const { context } = browser;
const serverCopy = await (await fetch(`http://127.0.0.1:${port}/socket.io/socket.io.min.js`)).text();
await context.route('https://cdn.socket.io/**', (route) => route.fulfill({
  status: 200, contentType: 'text/javascript', body: serverCopy,
}));

async function open(name, { fromFile = false } = {}) {
  const page = await context.newPage();
  const logs = [];
  page.on('console', async (msg) => {
    const parts = [];
    for (const arg of msg.args()) parts.push(await arg.jsonValue().catch(() => String(arg)));
    logs.push(parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' '));
  });
  page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
  page.logs = logs;
  const url = fromFile ? pathToFileURL(join(pages, name)).href : `http://127.0.0.1:${port}/pages/${name}`;
  await page.goto(url);
  return page;
}
const texts = (page, selector) => page.$$eval(selector, (els) => els.map((e) => e.textContent));
async function until(what, fn, ms = 8000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 25));
  }
  check.ok(false, `${what} (timed out)`);
  return last;
}
const logged = (page, re) => until(`console of ${page.url()} matches ${re}`, () => page.logs.find((l) => re.test(l)));

try {
  const desk = await connectClient(port);
  await desk.hello('desk');
  await desk.joinRoom('general');

  check.section('000: the kampung chat page, twice');
  const a = await open('000-kampung-chat.html');
  const b = await open('000-kampung-chat.html');
  await a.fill('#username', 'Aminah');
  await a.click('text=Join Kampung');
  await desk.next('user-joined', (m) => m.username === 'Aminah');
  await b.fill('#username', 'Budi');
  await b.click('text=Join Kampung');
  await desk.next('user-joined', (m) => m.username === 'Budi');
  check.ok(await until('Aminah sees Budi join', async () => (await texts(a, '#chat p')).includes('News: Budi joined the kampung!')),
    'a page sees the other join: "News: Budi joined the kampung!"');
  await a.fill('#message', 'Selamat pagi!');
  await a.click('text=Send');
  const fromA = await desk.next('message', (m) => m.text === 'Selamat pagi!');
  check.equal([fromA.username, fromA.room], ['Aminah', 'general'], 'desk gets the page\'s message, from Aminah, in #general');
  check.ok(Number.isInteger(fromA.id), 'it is a stored message with an id');
  check.ok(await until('Budi sees it', async () => (await texts(b, '#chat p')).includes('Aminah: Selamat pagi!')),
    'the other page shows "Aminah: Selamat pagi!"');
  desk.json({ type: 'chat', room: 'general', text: 'Hello from the desk' });
  check.ok(await until('pages see desk', async () => (await texts(a, '#chat p')).includes('desk: Hello from the desk')
    && (await texts(b, '#chat p')).includes('desk: Hello from the desk')), 'both pages show "desk: Hello from the desk"');

  check.section('000: the snippet page');
  const snippet = await open('000-snippet.html');
  const rice = await desk.next('message', (m) => m.text === 'Hello from the rice fields!');
  check.ok(/^guest-\d+$/.test(rice.username), `the snippet's greeting reaches desk from a guest (${rice.username})`);
  check.ok(await logged(snippet, /"msg":"Hello from the rice fields!"/), 'the snippet logs its own kampung_chat back');
  check.ok(await until('kampung page sees the snippet', async () => (await texts(a, '#chat p')).includes(`${rice.username}: Hello from the rice fields!`)),
    'the kampung page shows the snippet\'s greeting');

  check.section('001: the client page');
  const c = await open('001-client.html');
  check.ok(await logged(c, /^Connected: \S+/), 'it logs "Connected: <socket.id>"');
  check.ok(await logged(c, /^Welcome/), 'it logs the welcome message');
  await c.evaluate(() => sendToRoom('general', 'room message from 001'));
  const fromC = await desk.next('message', (m) => m.text === 'room message from 001');
  check.equal(fromC.room, 'general', 'room-message to general reaches desk');
  desk.json({ type: 'chat', room: 'general', text: 'broadcast for 001' });
  check.ok(await logged(c, /^Message from desk: broadcast for 001$/), 'the page logs "Message from desk: broadcast for 001"');

  check.section('003: the chat page, twice');
  const d = await open('003-chat.html');
  const e = await open('003-chat.html');
  await d.fill('#input', 'chat from 003');
  await d.press('#input', 'Enter');
  const fromD = await desk.next('message', (m) => m.text === 'chat from 003');
  check.ok(await until('the other 003 page shows it', async () => (await texts(e, '#messages li')).includes(`${fromD.username}: chat from 003`)),
    'the other chat page shows it with the sender');
  check.ok(await until('kampung page shows 003', async () => (await texts(b, '#chat p')).includes(`${fromD.username}: chat from 003`)),
    'the kampung page shows it too: one room');
  desk.json({ type: 'chat', room: 'general', text: 'desk to 003' });
  check.ok(await until('003 pages show desk', async () => (await texts(d, '#messages li')).includes('desk: desk to 003')),
    'the chat page shows "desk: desk to 003"');
  await a.fill('#message', 'kampung to 003');
  await a.click('text=Send');
  check.ok(await until('003 shows kampung', async () => (await texts(e, '#messages li')).includes('Aminah: kampung to 003')),
    'the chat page shows the kampung page\'s message');

  check.section('002 and 004: the CDN pages, opened from file://');
  const f = await open('002-index.html', { fromFile: true });
  const hello = await desk.next('message', (m) => m.text === 'Hello from Client!');
  check.ok(/^guest-\d+$/.test(hello.username), '002\'s "Hello from Client!" reaches desk');
  check.ok(await logged(f, /^Connected: \S+/), '002 logs "Connected: <socket.id>"');
  check.ok(await logged(f, /^Server says: .*Hello from Client!/), '002 logs "Server says:" with its message');
  const g = await open('004-client.html', { fromFile: true });
  await g.addScriptTag({ content: readFileSync(join(pages, '004-notification-snippet.js'), 'utf8') });
  await g.waitForFunction(() => socket.connected);
  const h = await open('004-client.html', { fromFile: true });
  check.ok(await until('004 gets a notification', async () => (await texts(g, '#messages li')).some((t) => / has joined the chat!$/.test(t))),
    '004 with the document\'s notification listener shows a join notification');
  await h.fill('#message', 'from 004');
  await h.click('text=Send');
  const fromH = await desk.next('message', (m) => m.text === 'from 004');
  check.ok(await until('004 pages show it', async () => (await texts(g, '#messages li')).includes(`${fromH.username}: from 004`)),
    'the other 004 page shows it');
  desk.json({ type: 'chat', room: 'general', text: 'desk to 004' });
  check.ok(await until('004 shows desk', async () => (await texts(h, '#messages li')).includes('desk: desk to 004')),
    '004 shows desk\'s message');

  check.section('our own browser client in the same room');
  const web = await context.newPage();
  web.logs = [];
  web.on('pageerror', (err) => web.logs.push(`pageerror: ${err.message}`));
  await web.goto(`http://127.0.0.1:${port}/`);
  await web.getByLabel('Name').fill('Webby');
  await web.getByLabel('Name').press('Enter');
  await web.locator('#app').waitFor({ state: 'visible' });
  await a.fill('#message', 'kampung to the web');
  await a.click('text=Send');
  check.ok(await web.locator('#messages .msg', { hasText: 'kampung to the web' }).waitFor({ timeout: 8000 }).then(() => true, () => false),
    'the browser client shows the kampung page\'s message');
  const box = web.getByRole('textbox', { name: 'Message' });
  await box.fill('web to the pages');
  await box.press('Enter');
  check.ok(await until('pages show the browser client', async () => (await texts(a, '#chat p')).includes('Webby: web to the pages')
    && (await texts(d, '#messages li')).includes('Webby: web to the pages')), 'the kampung and chat pages show the browser client\'s message');
  await web.screenshot({ path: join(shots, 'socketio-webclient.png') });

  check.section('all at once');
  const health = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
  check.ok(health.engineIoSessions >= 8, `one server holds every page at once (${health.engineIoSessions} Engine.IO sessions)`);
  const users = (await desk.joinRoom('general')).users;
  check.ok(users.includes('Aminah') && users.includes('Budi') && users.filter((u) => u.startsWith('guest-')).length >= 6,
    `#general lists the named and the guest pages (${users.length} users)`);
  await a.screenshot({ path: join(shots, 'socketio-kampung.png') });
  await e.screenshot({ path: join(shots, 'socketio-chat.png') });
  const errors = [a, b, snippet, c, d, e, f, g, h, web].flatMap((p) => p.logs.filter((l) => l.startsWith('pageerror')));
  check.equal(errors, [], 'no page had a script error');
  const leave = desk.next('user-left', (m) => m.username === 'Budi');
  await b.close();
  check.equal((await leave).room, 'general', 'closing a page: desk sees Budi leave');
  check.ok(await until('kampung sees Budi leave', async () => (await texts(a, '#chat p')).includes('News: Budi left the kampung.')),
    'the other kampung page shows "News: Budi left the kampung."');
  desk.close();
} catch (err) {
  check.ok(false, `unexpected: ${err.stack}`);
} finally {
  await browser.close();
  await server.stopCleanly(check);
}
check.finish();
process.exit(process.exitCode ?? 0);

// Three chat-servers on one PostgreSQL and one Redis, each with its default
// limits, as issue 15 sets them out:
// - two clients race for one name (in two cases) on two servers, 100 times:
//   exactly one wins each time;
// - a client dropped on one server resumes on another (same session, its rooms,
//   no leave/join noise), and its half-open old connection is closed with 4002;
// - the desktop client's core on A, the browser client in Chromium on B and the
//   documents' `ws` client on C chat in one room;
// - faults mid-burst: a server killed with SIGKILL (its clients resume on the
//   others and retry), Redis killed and restarted, Redis paused for 5 s,
//   PostgreSQL stopped and started. Each prints its figures; at the end nothing
//   acknowledged is lost, nothing is doubled, and every client's view of the
//   room equals the database.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { withPostgres } from '../lib/postgres.mjs';
import { startRedis } from '../lib/redis.mjs';
import { startServer } from '../lib/server.mjs';
import { connectClient } from '../lib/wsclient.mjs';
import { createChecks } from '../lib/check.mjs';
import { deliveryFigures } from '../lib/figures.mjs';
import { launchBrowser } from '../lib/browser.mjs';
import { createRequire } from 'node:module';

const { io } = createRequire(import.meta.url)('socket.io-client');

const check = createChecks('cluster');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const PACE_MS = 125; // 8 a second: under the default rate limit of 10
const GRACE_MS = 15000; // --resume-grace: well over the 5 s pause of Redis
const health = async (s) => (await fetch(`http://127.0.0.1:${s.port}/healthz`)).json();
const inOrderOnce = (list) => list.every((id, i) => i === 0 || id > list[i - 1]);

async function waitFor(what, condition, ms = 15000) {
  const end = Date.now() + ms;
  while (!(await condition()) && Date.now() < end) await sleep(50);
  return check.ok(await condition(), what);
}

// A client of ours that does what the desktop and browser clients do when the
// connection drops: it connects again (to whichever server it is given), says
// hello with its session token, joins with `since`, and sends again every post
// not yet acknowledged, with the same clientId.
class Person {
  constructor(name) {
    this.name = name;
    this.session = null;
    this.ids = []; // every message id shown, in the order shown
    this.unacked = new Map(); // clientId -> text
    this.queue = []; // clientIds to send, in order
    this.acked = []; // { clientId, id, ms }
    this.sentAt = new Map();
    this.sent = 0;
    this.noise = []; // user-left / user-joined seen
    this.closeCode = null;
  }

  get last() { return this.ids.length ? Math.max(...this.ids) : 0; }

  async connect(server) {
    // What it has shown so far, before any live message of the new connection.
    const since = this.ids.length ? this.last : undefined;
    const ws = await connectClient(server.port);
    this.ws = ws;
    this.closeCode = null;
    ws.on('close', (code) => { if (this.ws === ws) this.closeCode = code; });
    ws.on('message', (raw) => this.onMessage(JSON.parse(raw)));
    ws.json({ type: 'hello', username: this.name, ...(this.session ? { resume: this.session } : {}) });
    const identified = await ws.next('*', (m) => m.type === 'identified' || m.type === 'error');
    if (identified.type !== 'identified') throw new Error(`${this.name}: ${identified.code}`);
    this.resumed = this.session !== null && identified.session === this.session;
    this.session = identified.session;
    ws.json({ type: 'join', room: 'general', ...(since !== undefined ? { since } : {}) });
    await ws.next('joined', (m) => m.room === 'general');
    this.resend();
    return this;
  }

  // Every post not acknowledged yet goes again, with its clientId.
  resend() {
    for (const clientId of this.unacked.keys()) if (!this.queue.includes(clientId)) this.queue.push(clientId);
    this.pump();
  }

  // One sending queue at the pace, new posts and retries alike: a client that
  // keeps to the rate limit, as ours do (their outbox has a token bucket).
  async pump() {
    if (this.pumping) return;
    this.pumping = true;
    while (this.queue.length && this.ws.readyState === 1) {
      const clientId = this.queue.shift();
      if (this.unacked.has(clientId)) {
        this.ws.json({ type: 'chat', room: 'general', text: this.unacked.get(clientId), clientId });
        await sleep(PACE_MS);
      }
    }
    this.pumping = false;
  }

  onMessage(m) {
    const show = (x) => { if (!this.ids.includes(x.id)) this.ids.push(x.id); };
    if (m.type === 'joined' && m.room === 'general') for (const x of m.history ?? []) show(x);
    if (m.type === 'message' && m.room === 'general') {
      show(m);
      if (m.username === this.name && this.unacked.has(m.clientId)) {
        this.unacked.delete(m.clientId);
        this.acked.push({ clientId: m.clientId, id: m.id, ms: performance.now() - this.sentAt.get(m.clientId) });
      }
    }
    if (m.type === 'error' && ['store-failed', 'rate-limited'].includes(m.code) && this.unacked.has(m.ref) && !this.retry) {
      // Refused, not stored: what is not acknowledged goes again in a moment.
      this.retry = setTimeout(() => { this.retry = null; this.resend(); }, 500);
    }
    if (m.type === 'user-left' || m.type === 'user-joined') this.noise.push(m);
  }

  post(text, clientId) {
    this.unacked.set(clientId, text);
    this.sentAt.set(clientId, performance.now());
    this.sent += 1;
    this.queue.push(clientId);
    this.pump();
  }

  // n posts at the pace, going on over reconnections (connect() resends).
  async burst(tag, n) {
    for (let i = 0; i < n; i += 1) {
      this.post(`${this.name} ${tag} ${i}`, `${this.name}-${tag}-${i}`);
      await sleep(PACE_MS);
    }
  }
}

// The desktop client's core (tests/store/clientdriver.cpp) as a child process.
function startDesktop(server, name) {
  const bin = process.env.CHAT_CLIENT_DRIVER;
  const child = spawn(bin, [`ws://127.0.0.1:${server.port}`, name, 'general'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const events = [];
  const waiters = new Set();
  createInterface({ input: child.stdout }).on('line', (line) => {
    events.push(JSON.parse(line));
    for (const w of [...waiters]) w();
  });
  const next = (event, pred = () => true, ms = 15000) => new Promise((resolve, reject) => {
    const look = () => {
      const i = events.findIndex((e) => e.event === event && pred(e));
      if (i < 0) return;
      const [e] = events.splice(i, 1);
      waiters.delete(look);
      clearTimeout(timer);
      resolve(e);
    };
    const timer = setTimeout(() => { waiters.delete(look); reject(new Error(`desktop: no ${event} within ${ms} ms`)); }, ms);
    waiters.add(look);
    look();
  });
  return {
    child, events, next,
    send(text) { child.stdin.write(`${JSON.stringify({ send: text })}\n`); },
    async view() { child.stdin.write('{"view":true}\n'); return next('view'); },
    async quit() {
      const gone = new Promise((r) => child.on('exit', r));
      child.stdin.write('{"quit":true}\n');
      await gone;
    },
  };
}

const stored = (pg) => pg.sql("SELECT coalesce(string_agg(id::text, ',' ORDER BY id), '') FROM messages WHERE room = 'general'")
  .split(',').filter(Boolean).map(Number);

const redis = await startRedis();
const browser = await launchBrowser();
await withPostgres(check, async (pg, servers) => {
  const args = (id) => ['--store', pg.url, '--bus', redis.url, '--node-id', id, '--resume-grace', String(GRACE_MS)];
  const [A, B, C] = [await startServer(args('a')), await startServer(args('b')), await startServer(args('c'))];
  servers.push(A, B, C);
  const nodes = [A, B, C];
  await waitFor('the three servers are on the bus', async () => (await Promise.all(nodes.map(health))).every((h) => h.bus?.state === 'ok'));

  check.section('two clients race for one name on two servers, 100 times');
  let oneWinner = 0;
  let takenAnswers = 0;
  for (let i = 0; i < 100; i += 1) {
    const [x, y] = [nodes[i % 3], nodes[(i + 1) % 3]];
    const [cx, cy] = await Promise.all([connectClient(x.port), connectClient(y.port)]);
    cx.json({ type: 'hello', username: `Racer${i}` });
    cy.json({ type: 'hello', username: `racer${i}` });
    const answers = await Promise.all([cx, cy].map((c) => c.next('*', (m) => m.type === 'identified' || m.type === 'error')));
    const won = answers.filter((m) => m.type === 'identified').length;
    takenAnswers += answers.filter((m) => m.type === 'error' && m.code === 'name-taken').length;
    if (won === 1) oneWinner += 1;
    cx.close();
    cy.close();
  }
  check.equal(oneWinner, 100, `exactly one winner in ${oneWinner} races of 100`);
  check.equal(takenAnswers, 100, '... and the other told name-taken each time');
  await sleep(300);
  const again = await connectClient(B.port);
  again.json({ type: 'hello', username: 'RACER7' });
  check.equal((await again.next('*', (m) => m.type === 'identified' || m.type === 'error')).type, 'identified',
    'a name is free again on every server once its holder has left');
  again.close();

  check.section('a client dropped on one server resumes on another');
  const witness = await new Person('Witness').connect(B);
  const rover = await new Person('Rover').connect(A);
  await waitFor('the witness on B sees Rover (on A) join', () => witness.noise.some((m) => m.type === 'user-joined' && m.username === 'Rover'));
  rover.post('before the move', 'rover-0');
  await waitFor('acknowledged', () => rover.unacked.size === 0);
  const halfOpen = rover.ws; // still open: as a connection whose peer vanished looks
  const noiseBefore = witness.noise.length;
  await rover.connect(B);
  check.ok(rover.resumed, 'a hello with the session token on B resumes: the same session');
  await waitFor('the old connection on A is closed with 4002', () => halfOpen.readyState === 3);
  const closedWith = await new Promise((resolve) => (halfOpen.readyState === 3 ? resolve(4002) : halfOpen.on('close', resolve)));
  check.equal(closedWith, 4002, `... (${closedWith})`);
  rover.post('after the move', 'rover-1');
  await waitFor('its post on B is acknowledged and reaches the witness on B', () => rover.unacked.size === 0 && witness.ids.length >= 2);
  await sleep(2500); // a presence heartbeat on every server: nothing more is said
  check.equal(witness.noise.slice(noiseBefore).map((m) => `${m.type} ${m.username}`), [], 'nobody saw Rover leave or join again');
  const probe = await new Person('Probe').connect(A);
  probe.ws.json({ type: 'rooms' });
  const list = await probe.ws.next('rooms');
  probe.ws.close();
  check.equal(list.rooms.find((r) => r.name === 'general')?.usersInRoom, 3, 'A counts Witness, Rover and its own Probe: 3 in #general');

  check.section("the desktop client on A, the browser on B and the documents' ws client on C, in one room");
  const desk = startDesktop(A, 'Desk');
  await desk.next('online');
  const page = await browser.context.newPage();
  await page.goto(`http://127.0.0.1:${B.port}/`);
  await page.getByLabel('Name').fill('Brow');
  await page.getByLabel('Name').press('Enter');
  await page.locator('#app').waitFor({ state: 'visible' });
  const doc = await connectClient(C.port);
  doc.seen = [];
  doc.on('message', (raw) => doc.seen.push(JSON.parse(raw)));
  doc.json({ type: 'join', room: 'general', username: 'Doc' });
  await doc.next('user-joined', (m) => m.username === 'Doc');
  await waitFor('the desktop client lists Brow and Doc', async () => {
    const v = await desk.view();
    return ['Brow', 'Doc', 'Desk'].every((n) => v.users.includes(n));
  });
  const listed = (name) => page.locator('#user-list li', { hasText: name }).waitFor({ timeout: 15000 }).then(() => true, () => false);
  check.ok(await listed('Desk') && await listed('Doc'), 'the browser lists Desk (on A) and Doc (on C)');
  desk.send('from the desktop');
  await page.getByRole('textbox', { name: 'Message' }).fill('from the browser');
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  doc.json({ type: 'chat', text: 'from the ws client' });
  const texts = ['from the desktop', 'from the browser', 'from the ws client'];
  await waitFor("the documents' client has all three", () => texts.every((t) => doc.seen.some((m) => m.type === 'message' && m.text === t)));
  await waitFor('the browser shows all three', async () => {
    const shown = await page.locator('#messages').innerText();
    return texts.every((t) => shown.includes(t));
  });
  await waitFor('the desktop client shows all three', () => texts.every((t) => desk.events.some((e) => e.event === 'message' && e.text === t)));

  check.section('a socket.io client on C, its hello and join asked of the other servers, answered through acks');
  const sio = io(`http://127.0.0.1:${C.port}`, { transports: ['websocket'], forceNew: true, reconnection: false, auth: {} });
  await new Promise((resolve, reject) => { sio.once('connect', resolve); sio.once('connect_error', reject); });
  const ackOf = (event, payload, socket = sio) => new Promise((resolve) => socket.emit(event, payload, resolve));
  const sioHello = await ackOf('hello', { username: 'Sio' });
  check.equal([sioHello.type, sioHello.username], ['identified', 'Sio'], "hello's ack is identified, once the other servers agreed");
  const sio2 = io(`http://127.0.0.1:${C.port}`, { transports: ['websocket'], forceNew: true, reconnection: false, auth: {} });
  await new Promise((resolve, reject) => { sio2.once('connect', resolve); sio2.once('connect_error', reject); });
  const taken = await ackOf('hello', { username: 'desk' }, sio2);
  if (!check.equal([taken.type, taken.code], ['error', 'name-taken'], "a name held on another server (Desk's, on A) is refused through the ack")) {
    for (const [n, srv] of [['A', A], ['C', C]]) console.log(`--- ${n}\n${srv.stderr().split('\n').filter((l) => /desk| W /i.test(l)).join('\n')}`);
  }
  sio2.disconnect();
  const sioJoined = await ackOf('join', 'general');
  check.equal(sioJoined.type, 'joined', "join's ack is joined");
  check.ok(['Brow', 'Desk', 'Doc', 'Sio'].every((n) => sioJoined.users.includes(n)), `... listing everyone on the three servers (${sioJoined.users.join(', ')})`);
  const sioPost = await ackOf('chat', { room: 'general', text: 'from socket.io', clientId: 'sio-1' });
  check.equal([sioPost.type, sioPost.text], ['message', 'from socket.io'], 'a post is acked with the stored message');
  await waitFor('the desktop client on A shows it', () => desk.events.some((e) => e.event === 'message' && e.text === 'from socket.io'));
  sio.disconnect();

  check.section('a server killed with SIGKILL mid-burst: its clients resume on the others and retry');
  const people = [];
  for (const [i, server] of [A, B, C, C, C, A].entries()) people.push(await new Person(`P${i}`).connect(server));
  const onC = people.filter((_, i) => [2, 3, 4].includes(i));
  const bursts = people.map((p) => p.burst('kill', 24));
  await sleep(1000);
  await C.stop('SIGKILL');
  const killedAt = Date.now();
  await sleep(200);
  let k = 0;
  for (const p of onC) {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await p.connect([A, B][k % 2]);
        break;
      } catch (error) {
        if (attempt > 20) throw error;
        await sleep(250);
      }
    }
    k += 1;
  }
  check.ok(onC.every((p) => p.resumed), `the 3 clients of C resumed their sessions on A and B (${Date.now() - killedAt} ms after the kill)`);
  await Promise.all(bursts);
  await waitFor('every post acknowledged', () => people.every((p) => p.unacked.size === 0), 20000);
  const everyoneHasAll = () => {
    const all = stored(pg);
    return [...people, witness, rover].every((p) => p.ids.length === all.length);
  };
  if (!await waitFor('every client has every message', everyoneHasAll)) {
    const all = stored(pg);
    for (const p of [...people, witness, rover]) console.log(`  ${p.name}: ${p.ids.length} of ${all.length}; missing ${all.filter((id) => !p.ids.includes(id)).join(' ')}`);
  }
  // The documents' client never learned a session: it joins again, as a reloaded
  // page does, once its name is free (C's names go with C after the grace period).
  doc.seen = [];
  const doc2 = await connectClient(A.port);
  doc2.seen = [];
  doc2.on('message', (raw) => doc2.seen.push(JSON.parse(raw)));
  let docBack = false;
  await waitFor("the documents' client gets its name back on A once C's grace period is over", async () => {
    if (docBack) return true;
    doc2.json({ type: 'join', room: 'general', username: 'Doc' });
    const m = await doc2.next('*', (x) => (x.type === 'user-joined' && x.username === 'Doc') || x.type === 'error');
    if (m.type === 'user-joined') docBack = true;
    else await sleep(1000); // name-taken (or, if it asks too often, rate-limited)
    return docBack;
    return false;
  }, GRACE_MS + 10000);
  await waitFor('Doc left once (C died) and joined once, as everyone saw', () =>
    witness.noise.filter((m) => m.type === 'user-left' && m.username === 'Doc').length === 1
    && witness.noise.filter((m) => m.type === 'user-joined' && m.username === 'Doc').length === 2);
  const killNoise = witness.noise.filter((m) => m.type === 'user-left' && /^P[234]$/.test(m.username));
  check.equal(killNoise.length, 0, "C's death made none of its resumed users leave, after its grace period too");

  check.section('Redis killed mid-burst and restarted; then paused for 5 s');
  const redisBursts = people.map((p) => p.burst('redis', 24));
  await sleep(700);
  await redis.kill();
  await waitFor('/healthz on A says degraded', async () => (await health(A)).status === 'degraded');
  await sleep(1000);
  await redis.start();
  await waitFor('every server is on the bus again', async () => (await Promise.all([A, B].map(health))).every((h) => h.status === 'ok'));
  await sleep(500);
  redis.pause();
  const pausedAt = Date.now();
  while (Date.now() - pausedAt < 5000) await sleep(100);
  redis.resume();
  await Promise.all(redisBursts);
  await waitFor('every post acknowledged', () => people.every((p) => p.unacked.size === 0), 20000);

  check.section('PostgreSQL stopped mid-burst and started again');
  const pgBursts = people.map((p) => p.burst('pg', 24));
  desk.send('the desktop, while the database is down');
  await sleep(700);
  await pg.stop('immediate');
  const stoppedAt = Date.now();
  await waitFor('/healthz on B says degraded (store unreachable)', async () => (await health(B)).store?.state === 'unreachable');
  await sleep(1500);
  await pg.start();
  const refusedMs = Date.now() - stoppedAt;
  await Promise.all(pgBursts);
  await waitFor('every post acknowledged once the database is back', () => people.every((p) => p.unacked.size === 0), 30000);

  check.section('the end: every view equals the database');
  const all = stored(pg);
  const maxId = all[all.length - 1];
  await waitFor('the desktop client shows every message, none pending', async () => {
    const v = await desk.view();
    return v.ids.length === all.length && v.pending === 0;
  }, 30000);
  const deskView = (await desk.view()).ids;
  // The page holds the room's messages in its state and shows a window of
  // them (a virtualised list): its view is the state, and the newest row
  // must be on screen.
  const pageIds = async () => page.evaluate(() => window.lanchat.chat.room('general').items
    .filter((i) => i.kind === 'message').map((i) => i.id));
  await waitFor('the browser holds every message', async () => (await pageIds()).length === all.length, 30000);
  const pageView = await pageIds();
  await waitFor('the browser shows the newest one', async () => (await page.locator(`#messages li[data-id="${maxId}"]`).count()) === 1, 10000);
  const clientIds = pg.sql("SELECT string_agg(client_id || ':' || id, ',' ORDER BY id) FROM messages WHERE room = 'general' AND client_id IS NOT NULL").split(',');
  const acked = people.flatMap((p) => p.acked);
  const views = Object.fromEntries([...people, witness, rover].map((p) => [p.name, p.ids]));
  views.Desk = deskView;
  views.Brow = pageView;
  const f = deliveryFigures('three servers: SIGKILL of one, Redis killed and paused, PostgreSQL stopped', {
    sent: people.reduce((n, p) => n + p.sent, 0), acked, stored: clientIds, maxId, roomRows: all.length, clients: views, refusedMs,
  });
  check.equal([f.lost, f.duplicates, f.gaps], [0, 0, 0], 'nothing acknowledged lost, nothing doubled, no id gap');
  for (const [name, ids] of Object.entries(views)) {
    check.ok(ids.length === all.length && [...ids].sort((x, y) => x - y).every((id, i) => id === all[i]),
      `${name}'s view equals the database (${ids.length} of ${all.length})`);
  }
  check.ok(inOrderOnce(deskView) && inOrderOnce(pageView), 'the desktop and browser views are in id order');
  const docIds = doc2.seen.filter((m) => m.type === 'message').map((m) => m.id);
  check.ok(inOrderOnce(docIds) && docIds.length > 0 && docIds.every((id) => all.includes(id)),
    `the documents' client got ${docIds.length} messages since it joined again, once each, in order`);

  await desk.quit();
  await page.close();
  for (const s of [A, B]) await s.stopCleanly(check);
});
await browser.close();
await redis.destroy();

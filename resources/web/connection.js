// The browser client's link to chat-server (wire protocol v1): one WebSocket to
// the page's own host, automatic reconnect with backoff, resume, re-join with
// `since`, and an outbox that keeps what was typed until the server confirms it.
import { Backoff } from './backoff.js';
import { TokenBucket } from './tokenbucket.js';

const retryPauseMs = 500; // a refused (rate-limited, store-failed) message waits this long
const paceMarginMs = 20;  // added to each wait for the rate limit: arrival times jitter

// A whole number within [min, max], as the server promises ids and counts are.
const isCount = (v, min = 0) => Number.isSafeInteger(v) && v >= min;

// A stored message as the server sends it: a safe whole-number id, strings.
function isMessage(m) {
  return Boolean(m) && isCount(m.id, 1) && typeof m.username === 'string' && typeof m.text === 'string' && typeof m.timestamp === 'string';
}

// What refuses a hello: the name, the server's password, or (accounts servers)
// the sign-in; after the last ones the page asks the person to sign in again.
const accountRefusals = ['account-required', 'not-signed-in', 'bad-account-token', 'banned', 'account-disabled'];
const identifyRefusals = ['name-taken', 'bad-username', 'unauthorized', ...accountRefusals];

export class ChatConnection extends EventTarget {
  constructor({ url, backoff = new Backoff(), storage = null } = {}) {
    super();
    this.url = url;
    this.backoff = backoff;
    this.storage = storage;
    this.state = 'offline';
    this.socket = null;
    this.username = '';
    this.token = '';
    this.cookie = false;           // signed in to an account: the upgrade carries its HttpOnly cookie
    this.session = '';
    this.limits = {};
    this.rooms = [];               // rooms the user wants to be in, in join order
    this.joined = new Set();       // confirmed by `joined` on this connection
    this.left = new Set();         // left on this connection: a `joined` on its way is not another device's
    this.signedIn = false;         // to an account (its other devices' joins are this one's too)
    this.lastIds = new Map();      // room -> last message id seen
    this.outbox = [];              // [{clientId, room, text, created, sent}]
    this.inFlight = '';            // the outbox item sent and not yet confirmed or refused
    this.bucket = new TokenBucket(10, 20);
    this.paceTimer = 0;            // the next outbox item waits for the rate limit
    this.retryTimer = 0;
    this.wanted = false;
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.emit('state', state);
  }

  start(username) {
    if (username.toLowerCase() !== this.username.toLowerCase()) this.session = '';
    this.username = username;
    this.loadOutbox();
    this.wanted = true;
    this.backoff.reset();
    this.open();
  }

  stop() {
    this.wanted = false;
    clearTimeout(this.retryTimer);
    if (this.socket) this.socket.close(1000, 'bye');
    this.setState('offline');
  }

  retryNow() {
    if (this.state !== 'reconnecting') return;
    clearTimeout(this.retryTimer);
    this.open();
  }

  identifyAs(username) {
    this.username = username;
    this.session = '';
    this.loadOutbox(); // what was typed under the old name stays in its outbox
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.setState('identifying');
      this.sendRaw({ type: 'hello', username, client: 'browser', batchPresence: true, ...(this.token ? { token: this.token } : {}) });
    } else {
      this.start(username);
    }
  }

  open() {
    if (this.socket) {
      this.socket.onclose = this.socket.onmessage = this.socket.onopen = null;
      try { this.socket.close(); } catch { /* already closed */ }
    }
    this.setState('connecting');
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onmessage = (event) => this.onMessage(event.data);
    socket.onclose = () => this.onClose(socket);
  }

  onClose(socket) {
    if (socket !== this.socket) return;
    this.joined.clear();
    this.inFlight = '';
    clearTimeout(this.paceTimer);
    this.paceTimer = 0;
    for (const item of this.outbox) item.sent = false;
    if (!this.wanted) { this.setState('offline'); return; }
    const delay = this.backoff.nextDelay();
    this.retryTimer = setTimeout(() => this.open(), delay);
    this.setState('reconnecting');
    this.emit('reconnect-scheduled', delay);
  }

  sendRaw(object) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(object));
  }

  join(room) {
    this.left.delete(room);
    if (!this.rooms.includes(room)) this.rooms.push(room);
    if (this.state === 'online') this.sendJoin(room);
  }

  sendJoin(room) {
    const message = { type: 'join', room };
    if (this.lastIds.has(room)) message.since = this.lastIds.get(room);
    this.sendRaw(message);
  }

  // Accounts servers: a new room (private: for whom its members invite). Its
  // `joined` comes as for a join.
  create(room, isPrivate, topic = '') {
    if (!this.rooms.includes(room)) this.rooms.push(room);
    if (this.state === 'online') this.sendRaw({ type: 'create-room', room, private: isPrivate, ...(topic ? { topic } : {}) });
  }

  // Room, direct message and moderation requests; the answers come as 'account' events.
  request(object) {
    if (this.state === 'online') this.sendRaw(object);
  }

  leave(room) {
    this.left.add(room);
    this.rooms = this.rooms.filter((r) => r !== room);
    this.joined.delete(room);
    this.lastIds.delete(room);
    // What waited for the room is not sent: the user left it.
    const kept = this.outbox.filter((item) => item.room !== room);
    if (kept.length !== this.outbox.length) { this.outbox = kept; this.saveOutbox(); }
    if (this.state === 'online') this.sendRaw({ type: 'leave', room });
  }

  send(room, text) {
    const item = { clientId: crypto.randomUUID(), room, text, created: Date.now(), sent: false };
    this.outbox.push(item);
    this.saveOutbox();
    this.pump();
    return item;
  }

  // One message in flight at a time, in the order the user typed them: a refused
  // one is sent again before anything typed after it, and none is sent faster
  // than the server's rate limit (welcome.limits) allows.
  pump() {
    if (this.state !== 'online' || this.inFlight || this.paceTimer) return;
    const next = this.outbox.find((item) => !item.sent && this.joined.has(item.room));
    if (!next) return;
    const wait = this.bucket.msUntilAvailable();
    if (wait > 0) { this.pauseOutbox(wait + paceMarginMs); return; }
    this.bucket.take();
    next.sent = true;
    this.inFlight = next.clientId;
    this.sendRaw({ type: 'chat', room: next.room, text: next.text, clientId: next.clientId });
  }

  pauseOutbox(ms) {
    clearTimeout(this.paceTimer);
    this.paceTimer = setTimeout(() => { this.paceTimer = 0; this.pump(); }, ms);
  }

  typing(room, active) {
    if (this.state === 'online' && this.joined.has(room)) this.sendRaw({ type: 'typing', room, active });
  }

  history(room, before, limit = 50) {
    if (this.state === 'online' && this.joined.has(room)) this.sendRaw({ type: 'history', room, before, limit });
  }

  confirm(clientId) {
    if (clientId === this.inFlight) this.inFlight = '';
    const before = this.outbox.length;
    this.outbox = this.outbox.filter((item) => item.clientId !== clientId);
    if (this.outbox.length !== before) { this.saveOutbox(); this.emit('outbox', this.outbox.length); }
  }

  outboxKey() {
    return `lanchat.outbox.${this.username.trim().toLowerCase()}`;
  }

  saveOutbox() {
    if (!this.storage || !this.username) return;
    const items = this.outbox.map(({ clientId, room, text, created }) => ({ clientId, room, text, created }));
    try { this.storage.setItem(this.outboxKey(), JSON.stringify(items)); } catch { /* storage full or off */ }
    this.emit('outbox', this.outbox.length);
  }

  // The outbox is the saved one of this name from now on (another name's items
  // stay under that name's key, every change having been saved there).
  loadOutbox() {
    if (!this.storage || !this.username) return;
    let saved = [];
    try { saved = JSON.parse(this.storage.getItem(this.outboxKey()) || '[]'); } catch { saved = []; }
    const seen = new Set();
    this.outbox = [];
    this.inFlight = '';
    for (const item of Array.isArray(saved) ? saved : []) {
      if (typeof item?.clientId === 'string' && typeof item.text === 'string' && typeof item.room === 'string' && item.room && !seen.has(item.clientId)) {
        seen.add(item.clientId);
        this.outbox.push({ clientId: item.clientId, room: item.room, text: item.text, created: isCount(item.created) ? item.created : Date.now(), sent: false });
      }
    }
    // Rooms with messages waiting are joined, so that they get sent.
    for (const item of this.outbox) if (!this.rooms.includes(item.room)) this.join(item.room);
    this.emit('outbox-reloaded', this.outbox);
    this.emit('outbox', this.outbox.length);
  }

  noteId(room, id) {
    if (!this.lastIds.has(room) || this.lastIds.get(room) < id) this.lastIds.set(room, id);
  }

  onMessage(raw) {
    let m;
    try { m = JSON.parse(raw); } catch { return; }
    if (!m || typeof m.type !== 'string') return;
    switch (m.type) {
      case 'welcome':
        this.signedIn = false; // a new connection: signed in once it says so
        this.left.clear();
        this.limits = m.limits && typeof m.limits === 'object' ? m.limits : {};
        // The server's bucket for this connection starts full: so does ours.
        this.bucket = new TokenBucket(this.limits.ratePerSecond, this.limits.rateBurst);
        this.emit('welcome', m);
        this.setState('identifying');
        if (this.cookie) {
          // The account's token is in a cookie the page cannot read; the server can.
          this.sendRaw({ type: 'hello', cookie: true, client: 'browser', batchPresence: true, ...(this.token ? { token: this.token } : {}) });
          break;
        }
        this.sendRaw({
          type: 'hello', username: this.username, client: 'browser', batchPresence: true,
          ...(this.token ? { token: this.token } : {}), ...(this.session ? { resume: this.session } : {}),
        });
        break;
      case 'identified':
        if (typeof m.username !== 'string' || typeof m.session !== 'string') break;
        this.session = m.session;
        this.username = m.username;
        // A signed-in account's rooms: its other devices may be in some this page is not.
        if (Array.isArray(m.rooms)) {
          for (const room of m.rooms) {
            if (typeof room === 'string' && !this.rooms.includes(room)) this.rooms.push(room);
          }
        }
        this.backoff.reset();
        this.setState('online');
        this.emit('identified', m.username);
        for (const room of this.rooms) this.sendJoin(room);
        break;
      case 'joined': {
        if (typeof m.room !== 'string' || !Array.isArray(m.users) || !Array.isArray(m.history)) break;
        if (!this.rooms.includes(m.room)) {
          // Another device of the account joined it: this one is in it too.
          if (!this.signedIn || this.left.has(m.room)) break;
          this.rooms.push(m.room);
        }
        if (!m.history.every(isMessage)) break;
        const history = m.history;
        if (m.reset) this.lastIds.delete(m.room);
        for (const msg of history) this.noteId(m.room, msg.id);
        this.joined.add(m.room);
        this.emit('joined', { ...m, history });
        for (const msg of history) {
          if (msg.clientId && msg.username?.toLowerCase() === this.username.toLowerCase()) this.confirm(msg.clientId);
        }
        this.pump();
        break;
      }
      case 'message':
        if (!isMessage(m) || typeof m.room !== 'string') break;
        this.noteId(m.room, m.id);
        if (m.clientId && m.username.toLowerCase() === this.username.toLowerCase()) this.confirm(m.clientId);
        this.emit('message', m);
        this.pump();
        break;
      case 'history':
        if (typeof m.room !== 'string' || !Array.isArray(m.messages) || !m.messages.every(isMessage)) break;
        this.emit('history', m);
        break;
      case 'user-joined': case 'user-left':
        if (typeof m.room !== 'string' || typeof m.username !== 'string' || !isCount(m.usersInRoom)) break;
        this.emit(m.type, m);
        break;
      case 'presence': {
        const names = (list) => Array.isArray(list) && list.every((u) => typeof u === 'string');
        if (typeof m.room !== 'string' || !names(m.joined) || !names(m.left) || !isCount(m.usersInRoom)) break;
        this.emit(m.type, m);
        break;
      }
      case 'user-typing':
        if (typeof m.room !== 'string' || typeof m.username !== 'string') break;
        this.emit(m.type, m);
        break;
      case 'rooms':
        if (!Array.isArray(m.rooms) || !m.rooms.every((r) => typeof r?.name === 'string' && isCount(r.usersInRoom))) break;
        this.emit(m.type, m);
        break;
      case 'error':
        if (this.state === 'identifying' && identifyRefusals.includes(m.code)) {
          this.session = '';
          if (m.code === 'unauthorized' || accountRefusals.includes(m.code)) this.wanted = false; // do not retry blindly
          if (accountRefusals.includes(m.code)) this.cookie = false; // that sign-in is over
          this.emit('identify-failed', m);
        } else if (m.ref && this.outbox.some((item) => item.clientId === m.ref)) {
          if (m.ref === this.inFlight) this.inFlight = '';
          if (['store-failed', 'rate-limited'].includes(m.code)) {
            // Not stored, but it can be: send it again, first in line, after a pause.
            const item = this.outbox.find((x) => x.clientId === m.ref);
            item.sent = false;
            this.bucket.drain();
            this.pauseOutbox(Math.max(retryPauseMs, this.bucket.msUntilAvailable()));
            break;
          }
          this.confirm(m.ref);
          this.emit('send-failed', m);
          this.pump();
        } else {
          this.emit('server-error', m);
        }
        break;
      case 'signed-in': case 'done': case 'invited': case 'topic': case 'message-deleted':
      case 'kicked': case 'muted': case 'unmuted': case 'banned': case 'devices': case 'revoked': case 'audit':
        if (m.type === 'signed-in') this.signedIn = true;
        if (m.type === 'kicked' && typeof m.room === 'string') {
          // Out of the room on the server: out of it here, and not joined again.
          this.rooms = this.rooms.filter((r) => r !== m.room);
          this.joined.delete(m.room);
        }
        this.emit('account', m);
        break;
      default:
        break;
    }
  }
}

// The browser client's link to chat-server (wire protocol v1): one WebSocket to
// the page's own host, automatic reconnect with backoff, resume, re-join with
// `since`, and an outbox that keeps what was typed until the server confirms it.
import { Backoff } from './backoff.js';

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
    this.session = '';
    this.limits = {};
    this.rooms = [];               // rooms the user wants to be in, in join order
    this.joined = new Set();       // confirmed by `joined` on this connection
    this.lastIds = new Map();      // room -> last message id seen
    this.outbox = [];              // [{clientId, room, text, created, sent}]
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
    this.loadOutbox();
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.setState('identifying');
      this.sendRaw({ type: 'hello', username, client: 'browser', ...(this.token ? { token: this.token } : {}) });
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
    if (!this.rooms.includes(room)) this.rooms.push(room);
    if (this.state === 'online') this.sendJoin(room);
  }

  sendJoin(room) {
    const message = { type: 'join', room };
    if (this.lastIds.has(room)) message.since = this.lastIds.get(room);
    this.sendRaw(message);
  }

  leave(room) {
    this.rooms = this.rooms.filter((r) => r !== room);
    this.joined.delete(room);
    this.lastIds.delete(room);
    if (this.state === 'online') this.sendRaw({ type: 'leave', room });
  }

  send(room, text) {
    const item = { clientId: crypto.randomUUID(), room, text, created: Date.now(), sent: false };
    this.outbox.push(item);
    this.saveOutbox();
    if (this.state === 'online' && this.joined.has(room)) this.flushOutbox(room);
    return item;
  }

  flushOutbox(room) {
    for (const item of this.outbox) {
      if (item.room !== room || item.sent) continue;
      this.sendRaw({ type: 'chat', room, text: item.text, clientId: item.clientId });
      item.sent = true;
    }
  }

  typing(room, active) {
    if (this.state === 'online' && this.joined.has(room)) this.sendRaw({ type: 'typing', room, active });
  }

  history(room, before, limit = 50) {
    if (this.state === 'online' && this.joined.has(room)) this.sendRaw({ type: 'history', room, before, limit });
  }

  confirm(clientId) {
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

  loadOutbox() {
    if (!this.storage || !this.username) return;
    let saved = [];
    try { saved = JSON.parse(this.storage.getItem(this.outboxKey()) || '[]'); } catch { saved = []; }
    const known = new Set(this.outbox.map((item) => item.clientId));
    for (const item of Array.isArray(saved) ? saved : []) {
      if (typeof item?.clientId === 'string' && typeof item.text === 'string' && typeof item.room === 'string' && !known.has(item.clientId)) {
        this.outbox.push({ ...item, sent: false });
      }
    }
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
        this.limits = m.limits || {};
        this.emit('welcome', m);
        this.setState('identifying');
        this.sendRaw({
          type: 'hello', username: this.username, client: 'browser',
          ...(this.token ? { token: this.token } : {}), ...(this.session ? { resume: this.session } : {}),
        });
        break;
      case 'identified':
        this.session = m.session;
        this.username = m.username;
        this.backoff.reset();
        this.setState('online');
        this.emit('identified', m.username);
        for (const room of this.rooms) this.sendJoin(room);
        break;
      case 'joined': {
        if (!this.rooms.includes(m.room)) break;
        const history = Array.isArray(m.history) ? m.history : [];
        if (m.reset) this.lastIds.delete(m.room);
        for (const msg of history) this.noteId(m.room, msg.id);
        this.joined.add(m.room);
        this.emit('joined', { ...m, history });
        for (const msg of history) {
          if (msg.clientId && msg.username?.toLowerCase() === this.username.toLowerCase()) this.confirm(msg.clientId);
        }
        this.flushOutbox(m.room);
        break;
      }
      case 'message':
        this.noteId(m.room, m.id);
        if (m.clientId && m.username?.toLowerCase() === this.username.toLowerCase()) this.confirm(m.clientId);
        this.emit('message', m);
        break;
      case 'history':
        this.emit('history', m);
        break;
      case 'user-joined': case 'user-left': case 'user-typing': case 'rooms':
        this.emit(m.type, m);
        break;
      case 'error':
        if (this.state === 'identifying' && ['name-taken', 'bad-username', 'unauthorized'].includes(m.code)) {
          this.session = '';
          if (m.code === 'unauthorized') this.wanted = false; // the server closes; do not retry blindly
          this.emit('identify-failed', m);
        } else if (m.ref && this.outbox.some((item) => item.clientId === m.ref) && !['store-failed', 'rate-limited'].includes(m.code)) {
          this.confirm(m.ref);
          this.emit('send-failed', m);
        } else {
          this.emit('server-error', m);
        }
        break;
      default:
        break;
    }
  }
}

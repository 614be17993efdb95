// The browser client's state: rooms, their messages, members, typing and
// unread counts. Pure data, no DOM and no timers, so that it is unit-tested in
// Node (tests/web/state.test.mjs); app.js feeds it the connection's events and
// the views (views.js) render it.
//
// Every item in a room has a stable `key` for keyed rendering: a message the
// user sent keeps the key of its pending row (`c<clientId>`) once confirmed, so
// the row is updated in place instead of replaced; `version` grows when an item
// changes, so a view re-renders only what changed.
import { mentions } from './rules.js';

const sameName = (a, b) => (a || '').toLowerCase() === (b || '').toLowerCase();
const TypingMs = 6000; // a typing notice without an update expires after this

export class ChatState {
  // `me()`: the signed-in name, for mentions and own messages.
  constructor({ me = () => '' } = {}) {
    this.me = me;
    // name -> { items, users, unread, mentions, hasOlder, loadingOlder, typing: Map name -> expiry,
    //          epoch: grows when the room starts over (a reset), so that old keys never match new ids }
    this.rooms = new Map();
    this.noticeSeq = 0;
  }

  room(name) {
    if (!this.rooms.has(name)) {
      this.rooms.set(name, { items: [], users: [], unread: 0, mentions: 0, hasOlder: false, loadingOlder: false, typing: new Map(), epoch: 0 });
    }
    return this.rooms.get(name);
  }

  forget(name) { this.rooms.delete(name); }

  lastId(name) {
    const items = this.room(name).items;
    for (let i = items.length - 1; i >= 0; i -= 1) if (items[i].kind === 'message') return items[i].id;
    return 0;
  }

  firstId(name) {
    const first = this.room(name).items.find((item) => item.kind === 'message');
    return first ? first.id : 0;
  }

  isMention(m) {
    return !sameName(m.username, this.me()) && mentions(m.text || '', this.me());
  }

  isOwn(item) { return sameName(item.username, this.me()); }

  fromMessage(m, epoch = 0) {
    return {
      kind: 'message', key: m.clientId ? `c${m.clientId}` : `m${epoch}:${m.id}`, version: 0, id: m.id, username: m.username,
      text: m.text, time: Date.parse(m.timestamp), clientId: m.clientId || '', mention: this.isMention(m),
    };
  }

  // Before any pending rows, so that confirmed messages stay in id order.
  static insertConfirmed(state, item) {
    let at = state.items.length;
    while (at > 0 && (state.items[at - 1].kind === 'pending' || state.items[at - 1].kind === 'failed')) at -= 1;
    state.items.splice(at, 0, item);
  }

  // A confirmed message; a pending one with the same clientId becomes it.
  // Returns 'confirmed', 'duplicate' or 'added'.
  addMessage(room, m) {
    const state = this.room(room);
    state.typing.delete(m.username);
    if (m.clientId) {
      // Pending and failed rows are always the last ones: look only there
      // (a search of the whole room cost O(n) per message).
      let pending = -1;
      for (let i = state.items.length - 1; i >= 0 && pending < 0; i -= 1) {
        const item = state.items[i];
        if (item.kind !== 'pending' && item.kind !== 'failed') break;
        if (item.clientId === m.clientId) pending = i;
      }
      if (pending >= 0) {
        const [old] = state.items.splice(pending, 1);
        const item = this.fromMessage(m, state.epoch);
        item.version = old.version + 1;
        ChatState.insertConfirmed(state, item);
        return 'confirmed';
      }
    }
    if (m.id <= this.lastId(room)) return 'duplicate';
    ChatState.insertConfirmed(state, this.fromMessage(m, state.epoch));
    return 'added';
  }

  // A message typed here, waiting for the server.
  addPending(room, { text, created, clientId }) {
    const state = this.room(room);
    if (state.items.some((x) => x.clientId === clientId)) return;
    state.items.push({ kind: 'pending', key: `c${clientId}`, version: 0, username: this.me(), text, time: created, clientId });
  }

  // A message a moderator or its author deleted.
  removeMessage(room, id) {
    const r = this.room(room);
    const before = r.items.length;
    r.items = r.items.filter((item) => item.id !== id);
    return r.items.length !== before;
  }

  addNotice(room, text, time = Date.now()) {
    this.noticeSeq += 1;
    ChatState.insertConfirmed(this.room(room), { kind: 'notice', key: `n${this.noticeSeq}`, version: 0, text, time });
  }

  // The server refused a message for good.
  markFailed(clientId, reason) {
    for (const state of this.rooms.values()) {
      const item = state.items.find((x) => x.clientId === clientId && x.kind !== 'message');
      if (item) { item.kind = 'failed'; item.reason = reason; item.version += 1; }
    }
  }

  // Another name's outbox: only its items stay as pending rows.
  keepPending(clientIds) {
    const waiting = new Set(clientIds);
    for (const state of this.rooms.values()) {
      state.items = state.items.filter((x) => (x.kind !== 'pending' && x.kind !== 'failed') || waiting.has(x.clientId));
    }
  }

  // A `joined` answer. `outbox`: what still waits to be sent; `unseen(room)`:
  // whether a new message there counts as unread.
  applyJoined(m, outbox = [], unseen = () => false) {
    const state = this.room(m.room);
    const hadMessages = this.lastId(m.room) > 0;
    const startOver = m.reset || (hadMessages && m.more);
    if (startOver || !hadMessages) {
      const pending = state.items.filter((item) => item.kind === 'pending' || item.kind === 'failed');
      if (state.items.length > 0) state.epoch += 1; // ids may mean other messages now
      state.items = m.history.map((msg) => this.fromMessage(msg, state.epoch)).concat(pending);
      state.hasOlder = Boolean(m.more);
    } else {
      for (const msg of m.history) {
        if (this.addMessage(m.room, msg) === 'added' && unseen(m.room)) state.unread += 1;
      }
    }
    // Messages still in the outbox from before a reload are shown as pending.
    for (const item of outbox) if (item.room === m.room) this.addPending(m.room, item);
    state.users = [...m.users];
  }

  // An older page of history.
  applyHistory(m) {
    const state = this.room(m.room);
    state.loadingOlder = false;
    state.hasOlder = Boolean(m.more);
    const first = this.firstId(m.room);
    const older = (m.messages || []).filter((msg) => first === 0 || msg.id < first).map((msg) => this.fromMessage(msg, state.epoch));
    state.items = older.concat(state.items);
  }

  memberJoined(room, username) {
    const state = this.room(room);
    if (!state.users.some((u) => sameName(u, username))) state.users.push(username);
    if (!sameName(username, this.me())) this.addNotice(room, `${username} joined`);
  }

  memberLeft(room, username) {
    const state = this.room(room);
    state.users = state.users.filter((u) => !sameName(u, username));
    state.typing.delete(username);
    this.addNotice(room, `${username} left`);
  }

  // Several joins and leaves at once (a `presence` frame): one pass over the
  // list, one notice for those who came and one for those who went.
  applyPresence(room, joined, left) {
    const state = this.room(room);
    const gone = new Set(left.map((u) => u.toLowerCase()));
    const went = state.users.filter((u) => gone.has(u.toLowerCase()));
    state.users = state.users.filter((u) => !gone.has(u.toLowerCase()));
    for (const u of went) state.typing.delete(u);
    const present = new Set(state.users.map((u) => u.toLowerCase()));
    const came = [];
    for (const u of joined) {
      if (present.has(u.toLowerCase())) continue;
      present.add(u.toLowerCase());
      state.users.push(u);
      if (!sameName(u, this.me())) came.push(u);
    }
    if (came.length) this.addNotice(room, `${ChatState.nameList(came)} joined`);
    if (went.length) this.addNotice(room, `${ChatState.nameList(went)} left`);
  }

  // "Aminah", "Aminah, Ben, Cik", "Aminah, Ben, Cik and 4 more".
  static nameList(names, shown = 3) {
    if (names.length <= shown) return names.join(', ');
    return `${names.slice(0, shown).join(', ')} and ${names.length - shown} more`;
  }

  // Returns when the notice expires (ms since the epoch), or 0 once it is gone.
  setTyping(room, username, active, now = Date.now()) {
    const state = this.room(room);
    if (active === false) { state.typing.delete(username); return 0; }
    state.typing.set(username, now + TypingMs);
    return now + TypingMs;
  }

  typingNames(room, now = Date.now()) {
    const state = this.room(room);
    for (const [name, until] of state.typing) if (until <= now) state.typing.delete(name);
    return [...state.typing.keys()];
  }

  static typingLabel(names) {
    if (names.length === 0) return '';
    if (names.length === 1) return `${names[0]} is typing…`;
    if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
    return 'Several people are typing…';
  }

  sortedUsers(room) {
    return [...this.room(room).users].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' }));
  }

  markRead(room) {
    const state = this.room(room);
    state.unread = 0;
    state.mentions = 0;
  }

  totalUnread() {
    let total = 0;
    for (const state of this.rooms.values()) total += state.unread;
    return total;
  }
}

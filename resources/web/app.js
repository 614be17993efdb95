// The browser client: binds the page to a ChatConnection. Everything a user or
// the server sends is put into the page as text (textContent), never as markup.
import { ChatConnection } from './connection.js';
import { mentions, roomProblem, textProblem, usernameProblem } from './rules.js';

const $ = (id) => document.getElementById(id);
const el = {
  app: $('app'), login: $('login'), loginForm: $('login-form'), nameInput: $('name-input'), nameProblem: $('name-problem'),
  roomTitle: $('room-title'), me: $('me'), roomList: $('room-list'), joinForm: $('join-form'), joinInput: $('join-input'),
  joinProblem: $('join-problem'), messages: $('messages'), typing: $('typing'), composer: $('composer'),
  input: $('message-input'), composerProblem: $('composer-problem'), userList: $('user-list'), peopleTitle: $('people-title'),
  statusBar: $('status-bar'), statusText: $('status-text'), retry: $('retry-button'), notifyButton: $('notify-button'),
  menuToggle: $('menu-toggle'), sidebar: $('sidebar'), passwordRow: $('password-row'), passwordInput: $('password-input'),
};

const storage = (() => { try { return window.localStorage; } catch { return null; } })();
const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
const connection = new ChatConnection({ url: `${scheme}//${location.host}/`, storage });
const rooms = new Map(); // name -> { items, users, unread, mentions, hasOlder, loadingOlder, typing: Map }
let current = '';
let statusTimer = 0;

// --- rooms and messages -----------------------------------------------------

function roomState(name) {
  if (!rooms.has(name)) {
    rooms.set(name, { items: [], users: [], unread: 0, mentions: 0, hasOlder: false, loadingOlder: false, typing: new Map() });
  }
  return rooms.get(name);
}

function lastId(state) {
  for (let i = state.items.length - 1; i >= 0; i -= 1) if (state.items[i].kind === 'message') return state.items[i].id;
  return 0;
}

function firstId(state) {
  const first = state.items.find((item) => item.kind === 'message');
  return first ? first.id : 0;
}

function isMention(m) {
  return m.username?.toLowerCase() !== connection.username.toLowerCase() && mentions(m.text || '', connection.username);
}

function fromMessage(m) {
  return { kind: 'message', id: m.id, username: m.username, text: m.text, time: Date.parse(m.timestamp), clientId: m.clientId || '', mention: isMention(m) };
}

// Adds a confirmed message; a pending one with the same clientId becomes it.
function addMessage(room, m) {
  const state = roomState(room);
  if (m.clientId) {
    const pending = state.items.findIndex((item) => item.kind === 'pending' && item.clientId === m.clientId);
    if (pending >= 0) {
      state.items.splice(pending, 1);
      insertConfirmed(state, fromMessage(m));
      return 'confirmed';
    }
  }
  if (m.id <= lastId(state)) return 'duplicate';
  insertConfirmed(state, fromMessage(m));
  return 'added';
}

function insertConfirmed(state, item) {
  // Before any pending rows, so that confirmed messages stay in id order.
  let at = state.items.length;
  while (at > 0 && (state.items[at - 1].kind === 'pending' || state.items[at - 1].kind === 'failed')) at -= 1;
  state.items.splice(at, 0, item);
}

function addNotice(room, text) {
  const state = roomState(room);
  insertConfirmed(state, { kind: 'notice', text, time: Date.now() });
}

// --- rendering ----------------------------------------------------------------

const urlPattern = /(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]])/gi;

function textWithLinks(text) {
  const fragment = document.createDocumentFragment();
  let last = 0;
  for (const match of text.matchAll(urlPattern)) {
    if (match.index > last) fragment.append(document.createTextNode(text.slice(last, match.index)));
    const a = document.createElement('a');
    a.href = match[0];
    a.textContent = match[0];
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    fragment.append(a);
    last = match.index + match[0].length;
  }
  if (last < text.length) fragment.append(document.createTextNode(text.slice(last)));
  return fragment;
}

function dayLabel(time) {
  const day = new Date(time);
  const today = new Date();
  const yesterday = new Date(today.getTime() - 86400000);
  if (day.toDateString() === today.toDateString()) return 'Today';
  if (day.toDateString() === yesterday.toDateString()) return 'Yesterday';
  return day.toLocaleDateString(undefined, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
}

function clock(time) {
  return new Date(time).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

function renderItem(item) {
  const li = document.createElement('li');
  if (item.kind === 'notice') {
    li.className = 'notice';
    li.textContent = `${item.text} · ${clock(item.time)}`;
    return li;
  }
  li.className = 'msg';
  if (item.username?.toLowerCase() === connection.username.toLowerCase()) li.classList.add('own');
  if (item.kind === 'pending') li.classList.add('pending');
  if (item.kind === 'failed') li.classList.add('failed');
  if (item.mention) li.classList.add('mention');
  if (item.clientId) li.dataset.clientId = item.clientId;
  if (item.id) li.dataset.id = String(item.id);
  const meta = document.createElement('div');
  meta.className = 'meta';
  const sender = document.createElement('span');
  sender.className = 'sender';
  sender.textContent = item.username;
  const time = document.createElement('time');
  time.dateTime = new Date(item.time).toISOString();
  time.textContent = clock(item.time);
  meta.append(sender, ' ', time);
  if (item.kind === 'pending' || item.kind === 'failed') {
    const state = document.createElement('span');
    state.className = 'state';
    state.textContent = item.kind === 'pending' ? 'sending…' : `not sent: ${item.reason || ''}`;
    meta.append(' ', state);
  }
  const body = document.createElement('div');
  body.className = 'text';
  body.append(textWithLinks(item.text));
  li.append(meta, body);
  return li;
}

function renderMessages({ keepBottom = true, anchorHeight = null } = {}) {
  const list = el.messages;
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const state = current ? roomState(current) : null;
  const fragment = document.createDocumentFragment();
  let previousDay = '';
  for (const item of state ? state.items : []) {
    const day = new Date(item.time).toDateString();
    if (day !== previousDay) {
      const separator = document.createElement('li');
      separator.className = 'day';
      separator.setAttribute('role', 'separator');
      separator.textContent = dayLabel(item.time);
      fragment.append(separator);
      previousDay = day;
    }
    fragment.append(renderItem(item));
  }
  list.replaceChildren(fragment);
  if (anchorHeight !== null) list.scrollTop = list.scrollHeight - anchorHeight;
  else if (keepBottom && atBottom) list.scrollTop = list.scrollHeight;
}

function renderRooms() {
  const fragment = document.createDocumentFragment();
  for (const name of connection.rooms) {
    const state = roomState(name);
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'room';
    if (name === current) { button.classList.add('current'); button.setAttribute('aria-current', 'true'); }
    if (state.unread > 0) button.classList.add('unread');
    const label = document.createElement('span');
    label.textContent = `#${name}`;
    button.append(label);
    if (state.unread > 0) {
      const badge = document.createElement('span');
      badge.className = state.mentions > 0 ? 'badge mention' : 'badge';
      badge.textContent = state.unread > 99 ? '99+' : String(state.unread);
      button.append(badge);
      button.setAttribute('aria-label', `#${name}, ${state.unread} unread`);
    }
    button.addEventListener('click', () => { openRoom(name); document.body.classList.remove('sidebar-open'); });
    const leave = document.createElement('button');
    leave.type = 'button';
    leave.className = 'leave';
    leave.textContent = '×';
    leave.setAttribute('aria-label', `Leave #${name}`);
    leave.title = `Leave #${name}`;
    leave.addEventListener('click', () => leaveRoom(name));
    li.append(button, leave);
    fragment.append(li);
  }
  el.roomList.replaceChildren(fragment);
  updateTitle();
}

function renderUsers() {
  const users = current ? [...roomState(current).users].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' })) : [];
  el.userList.replaceChildren(...users.map((name) => {
    const li = document.createElement('li');
    li.textContent = name;
    return li;
  }));
  el.peopleTitle.textContent = `People (${users.length})`;
}

function renderTyping() {
  const names = current ? [...roomState(current).typing.keys()] : [];
  el.typing.textContent = names.length === 0 ? '' : names.length === 1 ? `${names[0]} is typing…`
    : names.length === 2 ? `${names[0]} and ${names[1]} are typing…` : 'Several people are typing…';
}

function totalUnread() {
  let total = 0;
  for (const state of rooms.values()) total += state.unread;
  return total;
}

function updateTitle() {
  const unread = totalUnread();
  document.title = `${unread > 0 ? `(${unread}) ` : ''}${current ? `#${current} – ` : ''}LAN chat`;
}

function renderStatus() {
  clearTimeout(statusTimer);
  const state = connection.state;
  const waiting = connection.outbox.length;
  let text = '';
  if (state === 'reconnecting') {
    text = `Connection lost. Reconnecting in ${Math.ceil(connection.backoff.remainingMs() / 1000)} s`;
    statusTimer = setTimeout(renderStatus, 250);
  } else if (state === 'connecting' || state === 'identifying') {
    text = 'Connecting…';
  } else if (state === 'offline') {
    text = 'Offline';
  }
  if (text && waiting > 0) text += ` · ${waiting} message${waiting === 1 ? '' : 's'} waiting to be sent`;
  el.statusBar.hidden = !text;
  el.statusText.textContent = text;
  el.retry.hidden = state !== 'reconnecting';
}

// --- actions ------------------------------------------------------------------

function openRoom(name) {
  if (roomProblem(name)) return;
  if (!connection.rooms.includes(name)) connection.join(name);
  current = name;
  const state = roomState(name);
  if (!document.hidden) { state.unread = 0; state.mentions = 0; }
  el.roomTitle.textContent = `#${name}`;
  el.input.placeholder = `Message #${name} (Enter sends, Shift+Enter for a new line)`;
  history.replaceState(null, '', `#${encodeURIComponent(name)}`);
  renderRooms();
  renderMessages();
  el.messages.scrollTop = el.messages.scrollHeight;
  renderUsers();
  renderTyping();
  el.input.focus();
}

function leaveRoom(name) {
  connection.leave(name);
  rooms.delete(name);
  if (current === name) {
    current = '';
    if (connection.rooms.length > 0) openRoom(connection.rooms[0]);
    else { renderMessages(); renderUsers(); el.roomTitle.textContent = 'LAN chat'; history.replaceState(null, '', location.pathname); }
  }
  renderRooms();
}

let typingSentAt = 0;
let typingIdle = 0;
function userTyped() {
  if (!current || !el.input.value) return;
  const now = Date.now();
  if (now - typingSentAt > 3000) { connection.typing(current, true); typingSentAt = now; }
  clearTimeout(typingIdle);
  typingIdle = setTimeout(stopTyping, 4000);
}
function stopTyping() {
  clearTimeout(typingIdle);
  if (typingSentAt && current) connection.typing(current, false);
  typingSentAt = 0;
}

function sendTyped() {
  const text = el.input.value;
  const problem = current ? textProblem(text, { ...connection.limits, maxTextLength: connection.limits.maxTextLength || 4000, maxUsernameLength: 32, maxRoomLength: 64 }) : 'Join a room first.';
  el.composerProblem.textContent = problem;
  if (problem) return;
  const item = connection.send(current, text);
  roomState(current).items.push({ kind: 'pending', username: connection.username, text, time: item.created, clientId: item.clientId });
  el.input.value = '';
  stopTyping();
  renderMessages({ keepBottom: false });
  el.messages.scrollTop = el.messages.scrollHeight;
}

function loadOlder() {
  const state = current && roomState(current);
  if (!state || !state.hasOlder || state.loadingOlder || !connection.joined.has(current)) return;
  state.loadingOlder = true;
  connection.history(current, firstId(state), 50);
}

// --- notifications ----------------------------------------------------------------

function maybeOfferNotifications() {
  const supported = 'Notification' in window;
  const dismissed = storage?.getItem('lanchat.notify.asked') === '1';
  el.notifyButton.hidden = !supported || Notification.permission !== 'default' || dismissed;
}

function notify(m, mention) {
  if (!('Notification' in window) || Notification.permission !== 'granted') return;
  const title = mention ? `${m.username} mentioned you in #${m.room}` : `${m.username} in #${m.room}`;
  try {
    const n = new Notification(title, { body: m.text.slice(0, 200), icon: 'lanchat.svg', tag: `lanchat-${m.room}` });
    n.onclick = () => { window.focus(); openRoom(m.room); n.close(); };
  } catch { /* some platforms allow notifications only from a service worker */ }
}

// --- connection events -----------------------------------------------------------

connection.addEventListener('state', renderStatus);
connection.addEventListener('reconnect-scheduled', renderStatus);
connection.addEventListener('outbox', renderStatus);
// Another name's outbox: its items are the pending rows now.
connection.addEventListener('outbox-reloaded', ({ detail: outbox }) => {
  const waiting = new Set(outbox.map((item) => item.clientId));
  for (const state of rooms.values()) {
    state.items = state.items.filter((x) => (x.kind !== 'pending' && x.kind !== 'failed') || waiting.has(x.clientId));
  }
  if (current) renderMessages();
});

connection.addEventListener('identified', ({ detail: name }) => {
  storage?.setItem('lanchat.name', name);
  el.me.textContent = name;
  el.login.hidden = true;
  el.app.hidden = false;
  renderStatus();
  if (!current) openRoom(connection.rooms[0] || 'general');
});

connection.addEventListener('welcome', ({ detail: m }) => {
  el.passwordRow.hidden = m.auth !== 'token';
});

connection.addEventListener('identify-failed', ({ detail: m }) => {
  connection.stop();
  if (m.code === 'unauthorized') {
    el.app.hidden = true;
    el.login.hidden = false;
    el.passwordRow.hidden = false;
    el.nameInput.value = connection.username;
    el.nameProblem.textContent = connection.token ? 'The server refused this password.' : 'This server asks for a password.';
    el.passwordInput.select();
    el.passwordInput.focus();
    return;
  }
  el.app.hidden = true;
  el.login.hidden = false;
  el.nameProblem.textContent = m.code === 'name-taken' ? `The name ${connection.username} is already taken. Please choose another.` : m.message;
  el.nameInput.value = connection.username;
  el.nameInput.select();
  el.nameInput.focus();
});

connection.addEventListener('joined', ({ detail: m }) => {
  const state = roomState(m.room);
  const hadMessages = lastId(state) > 0;
  const startOver = m.reset || (hadMessages && m.more);
  if (startOver || !hadMessages) {
    const pending = state.items.filter((item) => item.kind === 'pending' || item.kind === 'failed');
    state.items = m.history.map(fromMessage).concat(pending);
    state.hasOlder = Boolean(m.more);
  } else {
    for (const msg of m.history) {
      if (addMessage(m.room, msg) === 'added' && (m.room !== current || document.hidden)) state.unread += 1;
    }
  }
  // Messages still in the outbox from before a reload are shown as pending.
  for (const item of connection.outbox) {
    if (item.room === m.room && !state.items.some((x) => x.clientId === item.clientId)) {
      state.items.push({ kind: 'pending', username: connection.username, text: item.text, time: item.created, clientId: item.clientId });
    }
  }
  state.users = [...m.users];
  if (m.room === current) { renderMessages(); renderUsers(); }
  renderRooms();
});

connection.addEventListener('message', ({ detail: m }) => {
  const result = addMessage(m.room, m);
  const state = roomState(m.room);
  state.typing.delete(m.username);
  if (m.room === current) { renderMessages(); renderTyping(); }
  const own = m.username?.toLowerCase() === connection.username.toLowerCase();
  if (result !== 'added' || own) return;
  const onScreen = m.room === current && !document.hidden;
  if (onScreen) return;
  const mention = isMention(m);
  state.unread += 1;
  if (mention) state.mentions += 1;
  renderRooms();
  notify(m, mention);
});

connection.addEventListener('history', ({ detail: m }) => {
  const state = roomState(m.room);
  state.loadingOlder = false;
  state.hasOlder = Boolean(m.more);
  const first = firstId(state);
  const older = (m.messages || []).filter((msg) => first === 0 || msg.id < first).map(fromMessage);
  state.items = older.concat(state.items);
  if (m.room === current) {
    const fromBottom = el.messages.scrollHeight - el.messages.scrollTop;
    renderMessages({ anchorHeight: fromBottom });
  }
});

connection.addEventListener('user-joined', ({ detail: m }) => {
  const state = roomState(m.room);
  if (!state.users.some((u) => u.toLowerCase() === m.username.toLowerCase())) state.users.push(m.username);
  if (m.username.toLowerCase() !== connection.username.toLowerCase()) addNotice(m.room, `${m.username} joined`);
  if (m.room === current) { renderUsers(); renderMessages(); }
});

connection.addEventListener('user-left', ({ detail: m }) => {
  const state = roomState(m.room);
  state.users = state.users.filter((u) => u.toLowerCase() !== m.username.toLowerCase());
  state.typing.delete(m.username);
  addNotice(m.room, `${m.username} left`);
  if (m.room === current) { renderUsers(); renderMessages(); renderTyping(); }
});

connection.addEventListener('user-typing', ({ detail: m }) => {
  const state = roomState(m.room);
  clearTimeout(state.typing.get(m.username));
  if (m.active === false) state.typing.delete(m.username);
  else state.typing.set(m.username, setTimeout(() => { state.typing.delete(m.username); if (m.room === current) renderTyping(); }, 6000));
  if (m.room === current) renderTyping();
});

connection.addEventListener('send-failed', ({ detail: m }) => {
  for (const state of rooms.values()) {
    const item = state.items.find((x) => x.clientId === m.ref);
    if (item) { item.kind = 'failed'; item.reason = m.message; }
  }
  el.composerProblem.textContent = m.message;
  renderMessages();
});

connection.addEventListener('server-error', ({ detail: m }) => {
  el.composerProblem.textContent = m.message;
});

// --- page events ---------------------------------------------------------------

el.nameInput.addEventListener('input', () => { el.nameProblem.textContent = el.nameInput.value ? usernameProblem(el.nameInput.value) : ''; });
el.loginForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const name = el.nameInput.value.trim();
  const problem = usernameProblem(name);
  el.nameProblem.textContent = problem;
  if (problem) { el.nameInput.focus(); return; }
  if (!el.passwordRow.hidden) {
    // A LAN-wide password, kept like the name; it only ever travels in hello.
    connection.token = el.passwordInput.value;
    storage?.setItem('lanchat.token', connection.token);
  }
  connection.identifyAs(name);
});

el.composer.addEventListener('submit', (event) => { event.preventDefault(); sendTyped(); });
el.input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) { event.preventDefault(); sendTyped(); }
});
el.input.addEventListener('input', () => { el.composerProblem.textContent = ''; userTyped(); });

el.joinForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const name = el.joinInput.value.trim();
  const problem = roomProblem(name);
  el.joinProblem.textContent = problem;
  if (problem) return;
  el.joinInput.value = '';
  openRoom(name);
});
el.joinInput.addEventListener('input', () => { el.joinProblem.textContent = el.joinInput.value ? roomProblem(el.joinInput.value.trim()) : ''; });

el.messages.addEventListener('scroll', () => { if (el.messages.scrollTop < 40) loadOlder(); });
el.retry.addEventListener('click', () => connection.retryNow());
el.menuToggle.addEventListener('click', () => {
  const open = document.body.classList.toggle('sidebar-open');
  el.menuToggle.setAttribute('aria-expanded', String(open));
});
document.addEventListener('keydown', (event) => { if (event.key === 'Escape') document.body.classList.remove('sidebar-open'); });

el.notifyButton.addEventListener('click', async () => {
  storage?.setItem('lanchat.notify.asked', '1');
  el.notifyButton.hidden = true;
  try { await Notification.requestPermission(); } catch { /* refused */ }
});

document.addEventListener('visibilitychange', () => {
  if (!document.hidden && current) {
    const state = roomState(current);
    state.unread = 0;
    state.mentions = 0;
    renderRooms();
  }
});

window.addEventListener('hashchange', () => {
  const name = roomFromHash(); // '' for a malformed %-escape or a bad name
  if (name && name !== current) openRoom(name);
});

// --- start ------------------------------------------------------------------------

function roomFromHash() {
  try {
    const name = decodeURIComponent(location.hash.slice(1));
    return name && !roomProblem(name) ? name : '';
  } catch { return ''; }
}

const firstRoom = roomFromHash() || 'general';
connection.join(firstRoom);
maybeOfferNotifications();
const savedName = storage?.getItem('lanchat.name') || '';
connection.token = storage?.getItem('lanchat.token') || '';
el.passwordInput.value = connection.token;
el.nameInput.value = savedName;
if (savedName && !usernameProblem(savedName)) {
  connection.start(savedName);
} else {
  el.login.hidden = false;
  el.nameInput.focus();
  probeAuth();
}

// Before anyone signs in: ask the server's welcome whether it wants a password,
// so the field is there from the start.
function probeAuth() {
  try {
    const probe = new WebSocket(connection.url);
    probe.onmessage = (event) => {
      try { el.passwordRow.hidden = JSON.parse(event.data).auth !== 'token'; } catch { /* not a welcome */ }
      probe.close(1000);
    };
  } catch { /* the form still works; the server will ask */ }
}
window.lanchat = { connection, rooms }; // for tests and the curious

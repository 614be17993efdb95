// The browser client: binds the page to a ChatConnection. The state of the
// rooms is ChatState (state.js, no DOM); the lists are drawn by the views
// (views.js), incrementally by key. This file is the wiring: connection events
// into the state, state into the views, page events into the connection.
import { ChatConnection } from './connection.js';
import { roomProblem, textProblem, usernameProblem } from './rules.js';
import { ChatState } from './state.js';
import { MessageView, RoomListView, UserListView } from './views.js';

const $ = (id) => document.getElementById(id);
const el = {
  app: $('app'), login: $('login'), loginForm: $('login-form'), nameInput: $('name-input'), nameProblem: $('name-problem'),
  roomTitle: $('room-title'), me: $('me'), roomList: $('room-list'), joinForm: $('join-form'), joinInput: $('join-input'),
  joinProblem: $('join-problem'), messages: $('messages'), typing: $('typing'), composer: $('composer'),
  input: $('message-input'), composerProblem: $('composer-problem'), userList: $('user-list'), peopleTitle: $('people-title'),
  statusBar: $('status-bar'), statusText: $('status-text'), retry: $('retry-button'), notifyButton: $('notify-button'),
  menuToggle: $('menu-toggle'), sidebar: $('sidebar'), passwordRow: $('password-row'), passwordInput: $('password-input'),
  passwordHint: $('password-hint'), loginButton: $('login-button'), loginLead: $('login-lead'), signOut: $('signout-button'),
  privateRow: $('private-row'), privateInput: $('private-input'), devicesButton: $('devices-button'),
  devicesDialog: $('devices-dialog'), deviceList: $('device-list'), signOutEverywhere: $('signout-everywhere'),
  devicesClose: $('devices-close'),
  auditButton: $('audit-button'), auditDialog: $('audit-dialog'), auditList: $('audit-list'),
  auditEmpty: $('audit-empty'), auditClose: $('audit-close'),
};

const storage = (() => { try { return window.localStorage; } catch { return null; } })();
const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
const connection = new ChatConnection({ url: `${scheme}//${location.host}/`, storage });
const chat = new ChatState({ me: () => connection.username });
let current = '';
let statusTimer = 0;
let typingTimer = 0;
// Accounts servers: who this user is there, and the direct messages' people.
const me = { role: '', signedIn: false };
const dmPeople = new Map(); // room -> the other people in that direct message
const moderator = () => me.role === 'admin' || me.role === 'moderator';
const sameName = (a, b) => a.toLowerCase() === b.toLowerCase();
const roomLabel = (name) => (dmPeople.has(name) ? `@${dmPeople.get(name).join(', ')}` : `#${name}`);
const messageView = new MessageView(el.messages, chat, {
  canDelete: (item) => me.signedIn && (chat.isOwn(item) || moderator()),
  onDelete: (item) => connection.request({ type: 'delete', room: current, id: item.id }),
});
const roomListView = new RoomListView(el.roomList, chat, {
  onOpen: (name) => { openRoom(name); document.body.classList.remove('sidebar-open'); },
  onLeave: (name) => leaveRoom(name),
  labelOf: (name) => roomLabel(name),
});
const userListView = new UserListView(el.userList, el.peopleTitle, {
  actions: (name) => {
    if (!me.signedIn || sameName(name, connection.username) || name.endsWith('(guest)')) return [];
    const actions = [{ label: 'Message', run: () => connection.request({ type: 'open-dm', usernames: [name] }) }];
    if (moderator() && current && !dmPeople.has(current)) {
      actions.push({ label: 'Mute', run: () => connection.request({ type: 'mute', room: current, username: name, minutes: 10 }) });
      actions.push({ label: 'Kick', run: () => connection.request({ type: 'kick', room: current, username: name }) });
    }
    return actions;
  },
});

// --- rendering ----------------------------------------------------------------

function renderMessages(options) {
  messageView.render(current, options);
}

function renderRooms() {
  roomListView.render(connection.rooms, current);
  updateTitle();
}

function renderUsers() {
  userListView.render(current ? chat.sortedUsers(current) : []);
}

function renderTyping() {
  clearTimeout(typingTimer);
  const names = current ? chat.typingNames(current) : [];
  el.typing.textContent = ChatState.typingLabel(names);
  if (names.length > 0) typingTimer = setTimeout(renderTyping, 1000); // notices expire
}

function updateTitle() {
  const unread = chat.totalUnread();
  document.title = `${unread > 0 ? `(${unread}) ` : ''}${current ? `${roomLabel(current)} – ` : ''}LAN chat`;
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

function showRoomTitle() {
  const shown = roomLabel(current);
  el.roomTitle.textContent = shown;
  el.input.placeholder = `Message ${shown} (Enter sends, Shift+Enter for a new line)`;
}

function openRoom(name) {
  if (roomProblem(name)) return;
  if (!connection.rooms.includes(name)) connection.join(name);
  current = name;
  if (!document.hidden) chat.markRead(name);
  showRoomTitle();
  history.replaceState(null, '', `#${encodeURIComponent(name)}`);
  renderRooms();
  renderMessages({ toBottom: true });
  renderUsers();
  renderTyping();
  el.input.focus();
}

function leaveRoom(name) {
  connection.leave(name);
  chat.forget(name);
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
  chat.addPending(current, item);
  el.input.value = '';
  stopTyping();
  renderMessages({ toBottom: true });
}

function loadOlder() {
  const state = current && chat.room(current);
  if (!state || !state.hasOlder || state.loadingOlder || !connection.joined.has(current)) return;
  state.loadingOlder = true;
  connection.history(current, chat.firstId(current), 50);
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
  chat.keepPending(outbox.map((item) => item.clientId));
  if (current) renderMessages();
});

connection.addEventListener('identified', ({ detail: name }) => {
  storage?.setItem('lanchat.name', name);
  el.me.textContent = name;
  el.signOut.hidden = !connection.cookie;
  el.login.hidden = true;
  el.app.hidden = false;
  renderStatus();
  // Signed in: its private rooms and direct messages (a request waits for this).
  if (me.signedIn) connection.request({ type: 'rooms' });
  if (!current) openRoom(connection.rooms[0] || 'general');
});

connection.addEventListener('welcome', ({ detail: m }) => applyAuth(m));

// Room, direct message and moderation events (accounts servers).
connection.addEventListener('account', ({ detail: m }) => {
  switch (m.type) {
    case 'signed-in':
      me.role = m.role || 'member';
      me.signedIn = true;
      el.privateRow.hidden = false;
      el.devicesButton.hidden = !connection.cookie;
      el.auditButton.hidden = me.role !== 'admin';
      break;
    case 'invited':
      if (Array.isArray(m.dm)) {
        dmPeople.set(m.room, m.dm.filter((n) => !sameName(n, connection.username)));
        connection.join(m.room);
        notifyOf(`${m.by} sent you a direct message`, `@${m.by}`, m.room);
      } else {
        connection.join(m.room);
        chat.addNotice(m.room, `${m.by} invited you to #${m.room}.`);
      }
      renderRooms();
      break;
    case 'done':
      if (m.request === 'open-dm' && Array.isArray(m.dm)) {
        dmPeople.set(m.room, m.dm.filter((n) => !sameName(n, connection.username)));
        openRoom(m.room);
      }
      break;
    case 'message-deleted':
      if (chat.removeMessage(m.room, m.id) && m.room === current) renderMessages();
      break;
    case 'topic':
      chat.addNotice(m.room, m.topic ? `${m.by} set the topic: ${m.topic}` : `${m.by} cleared the topic.`);
      if (m.room === current) renderMessages();
      break;
    case 'kicked':
      chat.forget(m.room);
      if (m.room === current) { current = ''; openRoom(connection.rooms[0] || 'general'); }
      renderRooms();
      el.composerProblem.textContent = `${m.by} removed you from #${m.room}${m.reason ? `: ${m.reason}` : '.'}`;
      break;
    case 'muted':
      el.composerProblem.textContent = `${m.by} muted you in #${m.room} until ${new Date(m.until).toLocaleTimeString()}.`;
      break;
    case 'devices':
      showDevices(Array.isArray(m.devices) ? m.devices : []);
      break;
    case 'audit':
      showAudit(Array.isArray(m.entries) ? m.entries : []);
      break;
    default:
      break;
  }
});

connection.addEventListener('rooms', ({ detail: m }) => {
  for (const r of Array.isArray(m.rooms) ? m.rooms : []) {
    if (Array.isArray(r.dm)) {
      dmPeople.set(r.name, r.dm.filter((n) => !sameName(n, connection.username)));
      connection.join(r.name); // direct messages are always open
    }
  }
  if (current) showRoomTitle(); // a direct message opened before its people were known
  renderRooms();
});

function notifyOf(title, body, room) {
  if (!document.hidden && room === current) return;
  try {
    if (window.Notification && Notification.permission === 'granted') new Notification(title, { body });
  } catch { /* notifications unavailable */ }
}

function showDevices(devices) {
  el.deviceList.replaceChildren(...devices.map((d) => {
    const li = document.createElement('li');
    const label = document.createElement('span');
    const when = new Date(d.lastUsed).toLocaleString();
    label.textContent = `${d.device}${d.current ? ' (this one)' : ''}: last used ${when}`;
    li.append(label);
    if (!d.current && typeof d.id === 'string') {
      // Another device: signed out from here (it closes with 4006 if online).
      const out = document.createElement('button');
      out.type = 'button';
      out.className = 'link-button';
      out.textContent = 'Sign out';
      out.setAttribute('aria-label', `Sign out ${d.device}`);
      out.addEventListener('click', () => {
        connection.request({ type: 'revoke', device: d.id });
        li.remove();
      });
      li.append(' ', out);
    }
    return li;
  }));
  if (!el.devicesDialog.open) el.devicesDialog.showModal();
}

function showAudit(entries) {
  el.auditEmpty.hidden = entries.length > 0;
  el.auditList.replaceChildren(...entries.map((e) => {
    const tr = document.createElement('tr');
    const at = new Date(e.at);
    for (const text of [Number.isNaN(at.getTime()) ? '' : at.toLocaleString(), e.actor, e.action, e.target,
      e.room ? `#${e.room}` : '', e.detail]) {
      const td = document.createElement('td');
      td.textContent = typeof text === 'string' ? text : '';
      tr.append(td);
    }
    return tr;
  }));
  if (!el.auditDialog.open) el.auditDialog.showModal();
}

el.auditButton.addEventListener('click', () => connection.request({ type: 'audit', limit: 200 }));
el.auditClose.addEventListener('click', () => el.auditDialog.close());

el.devicesButton.addEventListener('click', () => connection.request({ type: 'devices' }));
el.devicesClose.addEventListener('click', () => el.devicesDialog.close());
el.signOutEverywhere.addEventListener('click', () => {
  connection.request({ type: 'revoke', all: true });
  storage?.removeItem('lanchat.cookie');
  connection.cookie = false;
  el.devicesDialog.close();
  el.app.hidden = true;
  el.login.hidden = false;
  el.nameProblem.textContent = 'You are signed out on every device.';
});

// --- accounts (--auth accounts): sign in over HTTP, the token in an HttpOnly cookie ---

let accounts = null; // welcome.accounts: {passwords, registration, guests}; null on an open server
const invite = inviteFromHash();

function inviteFromHash() {
  const m = /^#invite=([A-Za-z0-9_-]{8,128})$/.exec(location.hash);
  return m ? m[1] : '';
}

function applyAuth(welcome) {
  accounts = welcome.accounts && welcome.accounts.passwords ? welcome.accounts : null;
  if (!accounts) {
    el.passwordRow.hidden = welcome.auth !== 'token';
    return;
  }
  el.passwordRow.hidden = false;
  const registering = Boolean(invite) || accounts.registration === 'open' && el.loginForm.dataset.mode === 'register';
  el.loginForm.dataset.mode = registering ? 'register' : 'sign-in';
  el.loginLead.textContent = registering ? 'Create your account: choose your name and a password.' : 'Sign in with your account.';
  el.passwordInput.autocomplete = registering ? 'new-password' : 'current-password';
  el.passwordHint.textContent = registering ? 'At least 8 characters.'
    : accounts.guests ? 'Leave it empty to join as a guest, shown as "Name (guest)".' : 'Your account\'s password.';
  el.loginButton.textContent = registering ? 'Create account' : 'Sign in';
}

async function signIn(name, password) {
  const registering = el.loginForm.dataset.mode === 'register';
  el.loginButton.disabled = true;
  try {
    const response = await fetch(registering ? '/api/register' : '/api/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: name, password, device: deviceName(), ...(registering ? { invite } : {}) }),
      credentials: 'same-origin',
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      el.nameProblem.textContent = answer.message || `The server said ${response.status}.`;
      el.passwordInput.select();
      el.passwordInput.focus();
      return;
    }
    el.passwordInput.value = '';
    if (invite) history.replaceState(null, '', location.pathname); // the invitation is used
    storage?.setItem('lanchat.cookie', '1');
    storage?.setItem('lanchat.name', answer.username);
    connection.stop();
    connection.cookie = true; // the new upgrade carries the cookie
    connection.start(answer.username);
  } catch {
    el.nameProblem.textContent = 'The server cannot be reached.';
  } finally {
    el.loginButton.disabled = false;
  }
}

function deviceName() {
  const ua = navigator.userAgent;
  const browser = /Firefox\//.test(ua) ? 'Firefox' : /Edg\//.test(ua) ? 'Edge' : /Chrom(e|ium)\//.test(ua) ? 'Chromium' : /Safari\//.test(ua) ? 'Safari' : 'A browser';
  const os = /Windows/.test(ua) ? 'Windows' : /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Mac OS/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : '';
  return os ? `${browser} on ${os}` : browser;
}

el.signOut.addEventListener('click', async () => {
  try {
    await fetch('/api/logout', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}', credentials: 'same-origin' });
  } catch { /* signed out here anyway */ }
  storage?.removeItem('lanchat.cookie');
  connection.cookie = false;
  connection.stop();
  el.app.hidden = true;
  el.signOut.hidden = true;
  el.login.hidden = false;
  el.nameProblem.textContent = 'You are signed out.';
  el.passwordInput.focus();
});

connection.addEventListener('identify-failed', ({ detail: m }) => {
  connection.stop();
  const accountProblems = {
    'account-required': 'This name belongs to an account: sign in with its password.',
    'not-signed-in': 'Please sign in.',
    'bad-account-token': 'Your sign-in has ended: please sign in again.',
    banned: m.message,
    'account-disabled': 'This account is disabled.',
  };
  if (m.code in accountProblems) {
    storage?.removeItem('lanchat.cookie');
    el.app.hidden = true;
    el.signOut.hidden = true;
    el.login.hidden = false;
    el.passwordRow.hidden = false;
    el.nameProblem.textContent = accountProblems[m.code];
    el.nameInput.value = connection.username;
    (el.nameInput.value ? el.passwordInput : el.nameInput).focus();
    return;
  }
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

const unseen = (room) => room !== current || document.hidden;

connection.addEventListener('joined', ({ detail: m }) => {
  chat.applyJoined(m, connection.outbox, unseen);
  if (m.room === current) { renderMessages(); renderUsers(); }
  renderRooms();
});

connection.addEventListener('message', ({ detail: m }) => {
  const result = chat.addMessage(m.room, m);
  if (m.room === current) { renderMessages(); renderTyping(); }
  const own = m.username?.toLowerCase() === connection.username.toLowerCase();
  if (result !== 'added' || own || !unseen(m.room)) return;
  const state = chat.room(m.room);
  const mention = chat.isMention(m);
  state.unread += 1;
  if (mention) state.mentions += 1;
  renderRooms();
  notify(m, mention);
});

connection.addEventListener('history', ({ detail: m }) => {
  chat.applyHistory(m);
  if (m.room === current) {
    const fromBottom = el.messages.scrollHeight - el.messages.scrollTop;
    renderMessages({ anchorHeight: fromBottom });
  }
});

connection.addEventListener('user-joined', ({ detail: m }) => {
  chat.memberJoined(m.room, m.username);
  if (m.room === current) { renderUsers(); renderMessages(); }
});

connection.addEventListener('user-left', ({ detail: m }) => {
  chat.memberLeft(m.room, m.username);
  if (m.room === current) { renderUsers(); renderMessages(); renderTyping(); }
});

connection.addEventListener('presence', ({ detail: m }) => {
  chat.applyPresence(m.room, m.joined, m.left);
  if (m.room === current) { renderUsers(); renderMessages(); renderTyping(); }
});

connection.addEventListener('user-typing', ({ detail: m }) => {
  chat.setTyping(m.room, m.username, m.active);
  if (m.room === current) renderTyping();
});

connection.addEventListener('send-failed', ({ detail: m }) => {
  chat.markFailed(m.ref, m.message);
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
  if (accounts && (el.passwordInput.value || !accounts.guests)) {
    signIn(name, el.passwordInput.value);
    return;
  }
  if (!el.passwordRow.hidden && !accounts) {
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
  if (!el.privateRow.hidden && el.privateInput.checked) {
    el.privateInput.checked = false;
    connection.create(name, true);
    openRoom(name);
    return;
  }
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
    chat.markRead(current);
    renderRooms();
  }
});

window.addEventListener('hashchange', () => {
  if (location.hash.startsWith('#invite=')) return;
  const name = roomFromHash(); // '' for a malformed %-escape or a bad name
  if (name && name !== current) openRoom(name);
});

// --- start ------------------------------------------------------------------------

function roomFromHash() {
  if (location.hash.startsWith('#invite=')) return '';
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
connection.cookie = storage?.getItem('lanchat.cookie') === '1' && !invite;
if (!invite && ((savedName && !usernameProblem(savedName)) || connection.cookie)) {
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
      try { applyAuth(JSON.parse(event.data)); } catch { /* not a welcome */ }
      probe.close(1000);
    };
  } catch { /* the form still works; the server will ask */ }
}
window.lanchat = { connection, chat }; // for tests and the curious

// The browser client's views: the message list, the room list and the member
// list, each rendered incrementally by key (keyedlist.js). Everything a user or
// the server sent is put into the page as text (textContent), never as markup.
import { KeyedList } from './keyedlist.js';

const urlPattern = /(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]])/gi;

export function textWithLinks(text) {
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

export function dayLabel(time) {
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

function messageNode(item, own, onDelete = null) {
  const li = document.createElement('li');
  if (item.kind === 'notice') {
    li.className = 'notice';
    li.textContent = `${item.text} · ${clock(item.time)}`;
    return li;
  }
  li.className = 'msg';
  if (own) li.classList.add('own');
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
  if (onDelete) {
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'message-action';
    remove.textContent = 'Delete';
    remove.setAttribute('aria-label', `Delete ${item.username}'s message`);
    remove.addEventListener('click', () => onDelete(item));
    meta.append(' ', remove);
  }
  const body = document.createElement('div');
  body.className = 'text';
  body.append(textWithLinks(item.text));
  li.append(meta, body);
  return li;
}

function separatorNode(label) {
  const li = document.createElement('li');
  li.className = 'day';
  li.setAttribute('role', 'separator');
  li.textContent = label;
  return li;
}

// The messages of one room, with a separator before each new day, as a
// virtualised list: only the rows near the visible part are in the page, and
// two spacers stand for the rest, sized from each row's measured height (an
// estimate until it has been shown). Appending to a room of 100,000 messages
// or scrolling through it costs what a screenful costs.
const EstimatedRowPx = 44; // a row not yet shown
const OverscanPx = 800; // rendered above and below the visible part
const rowHeight = Symbol('rowHeight'); // on an item: its row (and day separator) in px
const rowDay = Symbol('rowDay'); // on an item: its local day, as toDateString()

function dayOf(item) {
  if (item[rowDay] === undefined) item[rowDay] = new Date(item.time).toDateString();
  return item[rowDay];
}

function heightOf(item) {
  return item[rowHeight] ?? EstimatedRowPx;
}

function spacerNode() {
  const li = document.createElement('li');
  li.className = 'spacer';
  li.setAttribute('aria-hidden', 'true');
  return li;
}

export class MessageView {
  // `canDelete(item)`: whether to offer Delete (an account's own messages; a moderator's any).
  constructor(list, state, { canDelete = () => false, onDelete = () => {} } = {}) {
    this.list = list;
    this.state = state;
    this.canDelete = canDelete;
    this.onDelete = onDelete;
    this.keyed = new KeyedList(list);
    this.room = '';
    this.above = spacerNode();
    this.below = spacerNode();
    this.frame = 0;
    this.first = 0; // the window's first row at the last render, and its key
    this.firstKey = undefined;
    // Scrolling moves the window of rows, once per frame.
    list.addEventListener('scroll', () => {
      if (this.frame) return;
      this.frame = requestAnimationFrame(() => { this.frame = 0; this.render(this.room, { keepBottom: false }); });
    }, { passive: true });
  }

  // A spacer's height, written only when it changes (a write invalidates the layout).
  setHeight(spacer, px) {
    const value = `${Math.round(px)}px`;
    if (spacer.style.height !== value) spacer.style.height = value;
  }

  // `keepBottom`: stay at the newest message if the list was there; `toBottom`:
  // go there; `anchorHeight`: keep this distance from the bottom (older
  // messages were put above).
  render(room, { keepBottom = true, toBottom = false, anchorHeight = null } = {}) {
    const list = this.list;
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    if (room !== this.room) { this.keyed.clear(); this.room = room; toBottom = true; }
    const items = room ? this.state.room(room).items : [];
    const bottom = toBottom || (keepBottom && atBottom && anchorHeight === null);
    let total = 0;
    for (const item of items) total += heightOf(item);
    const view = list.clientHeight || 600;
    // The window [first, last): at the bottom, walked back from the newest row;
    // elsewhere, from the top to where the list is (or will be) scrolled.
    let first = 0;
    let last = items.length;
    let above = 0;
    if (bottom) {
      first = last;
      let height = 0;
      while (first > 0 && height < view + OverscanPx) height += heightOf(items[--first]);
      // Appending at the bottom keeps the window's first row until the window
      // is twice what it needs: the rows above do not move, and only the new
      // row is laid out.
      const kept = this.first;
      if (kept < first && items[kept]?.key === this.firstKey) {
        let extra = 0;
        for (let i = kept; i < first && extra <= 2 * OverscanPx; i += 1) extra += heightOf(items[i]);
        if (extra <= 2 * OverscanPx) { first = kept; height += extra; }
      }
      above = total - height;
    } else {
      const top = anchorHeight !== null ? total - anchorHeight : list.scrollTop;
      while (first < items.length && above + heightOf(items[first]) < top - OverscanPx) above += heightOf(items[first++]);
      let y = above;
      last = first;
      while (last < items.length && y < top + view + OverscanPx) y += heightOf(items[last++]);
    }
    const entries = [{ key: 'spacer-above', version: 0, create: () => this.above }];
    for (let i = first; i < last; i += 1) {
      const item = items[i];
      const day = dayOf(item);
      if (i === 0 || dayOf(items[i - 1]) !== day) {
        const label = dayLabel(item.time);
        entries.push({ key: `d${day}`, version: label, create: () => separatorNode(label) });
      }
      const own = this.state.isOwn(item);
      const del = item.id && this.canDelete(item) ? this.onDelete : null;
      entries.push({ key: item.key, version: `${item.version}${own ? 'o' : ''}${del ? 'd' : ''}`, create: () => messageNode(item, own, del) });
    }
    entries.push({ key: 'spacer-below', version: 0, create: () => this.below });
    this.setHeight(this.above, above);
    this.keyed.render(entries);
    this.first = first;
    this.firstKey = items[first]?.key;
    // Measure the rows shown (one layout): each item's height runs from the
    // top of its first node (its day separator, if any) to the next item's.
    const firstNode = (i) => {
      const day = dayOf(items[i]);
      return this.keyed.nodes.get(i === 0 || dayOf(items[i - 1]) !== day ? `d${day}` : items[i].key).node;
    };
    const tops = [];
    for (let i = first; i < last; i += 1) tops.push(firstNode(i).offsetTop);
    tops.push(this.below.offsetTop);
    for (let i = first; i < last; i += 1) items[i][rowHeight] = Math.max(1, tops[i - first + 1] - tops[i - first]);
    let rest = 0;
    for (let i = last; i < items.length; i += 1) rest += heightOf(items[i]);
    this.setHeight(this.below, rest);
    if (anchorHeight !== null) list.scrollTop = list.scrollHeight - anchorHeight;
    else if (bottom) list.scrollTop = list.scrollHeight;
  }
}

// The rooms joined, with unread badges; `onOpen` and `onLeave` get the room name.
export class RoomListView {
  constructor(list, state, { onOpen, onLeave, labelOf = (name) => `#${name}` }) {
    this.state = state;
    this.keyed = new KeyedList(list);
    this.onOpen = onOpen;
    this.onLeave = onLeave;
    this.labelOf = labelOf;
  }

  render(names, current) {
    this.keyed.render(names.map((name) => {
      const { unread, mentions } = this.state.room(name);
      const label = this.labelOf(name);
      return { key: name, version: `${name === current}|${unread}|${mentions}|${label}`, create: () => this.node(name, name === current, unread, mentions) };
    }));
  }

  node(name, isCurrent, unread, mentions) {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'room';
    if (isCurrent) { button.classList.add('current'); button.setAttribute('aria-current', 'true'); }
    if (unread > 0) button.classList.add('unread');
    const label = document.createElement('span');
    const shown = this.labelOf(name);
    label.textContent = shown;
    button.append(label);
    if (unread > 0) {
      const badge = document.createElement('span');
      badge.className = mentions > 0 ? 'badge mention' : 'badge';
      badge.textContent = unread > 99 ? '99+' : String(unread);
      button.append(badge);
      button.setAttribute('aria-label', `${shown}, ${unread} unread`);
    }
    button.addEventListener('click', () => this.onOpen(name));
    const leave = document.createElement('button');
    leave.type = 'button';
    leave.className = 'leave';
    leave.textContent = '×';
    leave.setAttribute('aria-label', `Leave ${shown}`);
    leave.title = `Leave ${shown}`;
    leave.addEventListener('click', () => this.onLeave(name));
    li.append(button, leave);
    return li;
  }
}

// The members of the current room; on an accounts server, actions per person:
// `actions(name)` gives [{label, run}] (a direct message; a moderator's kick, mute).
export class UserListView {
  constructor(list, title, { actions = () => [] } = {}) {
    this.keyed = new KeyedList(list);
    this.title = title;
    this.actions = actions;
  }

  render(users) {
    this.keyed.render(users.map((name) => {
      const actions = this.actions(name);
      return {
        key: name,
        version: actions.map((a) => a.label).join('|'),
        create: () => {
          const li = document.createElement('li');
          const label = document.createElement('span');
          label.textContent = name;
          li.append(label);
          for (const action of actions) {
            const button = document.createElement('button');
            button.type = 'button';
            button.className = 'user-action';
            button.textContent = action.label;
            button.setAttribute('aria-label', `${action.label} ${name}`);
            button.addEventListener('click', action.run);
            li.append(' ', button);
          }
          return li;
        },
      };
    }));
    this.title.textContent = `People (${users.length})`;
  }
}

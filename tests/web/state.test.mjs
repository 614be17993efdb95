// The browser client's state (resources/web/state.js) in Node, with no DOM:
// messages in order, pending rows confirmed in place, unread counts, typing,
// history pages and members.
import { createChecks } from '../lib/check.mjs';
import { ChatState } from '../../resources/web/state.js';

const check = createChecks('state');
let me = 'Ali';
const chat = new ChatState({ me: () => me });
const at = (id) => new Date(Date.UTC(2026, 11, 1, 12, 0, id)).toISOString();
const msg = (id, username = 'Bo', text = `m${id}`, clientId = undefined) => ({ type: 'message', room: 'general', id, username, text, timestamp: at(id), clientId });
const kinds = (room = 'general') => chat.room(room).items.map((i) => (i.kind === 'message' ? i.id : `${i.kind}:${i.text}`));

check.section('joined, then live messages');
chat.applyJoined({ room: 'general', users: ['Bo', 'Ali'], history: [msg(1), msg(2)], more: true });
check.equal(kinds(), [1, 2], 'history becomes the first items');
check.equal(chat.room('general').hasOlder, true, 'more: older history can be loaded');
check.equal(chat.addMessage('general', msg(3)), 'added', 'a new message is added');
check.equal(chat.addMessage('general', msg(3)), 'duplicate', 'the same id again is a duplicate');
check.equal(chat.addMessage('general', msg(2)), 'duplicate', 'an older id is a duplicate');
check.equal(chat.lastId('general'), 3, 'lastId');
check.equal(chat.firstId('general'), 1, 'firstId');

check.section('a message typed here');
chat.addPending('general', { text: 'hello', created: Date.parse(at(4)), clientId: 'c1' });
chat.addPending('general', { text: 'hello', created: Date.parse(at(4)), clientId: 'c1' });
check.equal(kinds(), [1, 2, 3, 'pending:hello'], 'shown once as pending');
const pendingKey = chat.room('general').items[3].key;
check.equal(chat.addMessage('general', msg(5, 'Bo')), 'added', 'someone else posts meanwhile');
check.equal(kinds(), [1, 2, 3, 5, 'pending:hello'], 'confirmed messages stay before pending rows');
check.equal(chat.addMessage('general', msg(6, 'Ali', 'hello', 'c1')), 'confirmed', 'the server confirms ours');
const confirmed = chat.room('general').items.at(-1);
check.equal(kinds(), [1, 2, 3, 5, 6], 'the pending row became message 6');
check.ok(confirmed.key === pendingKey && confirmed.version > 0, 'same key, new version: the row is updated in place');
check.ok(chat.isOwn(confirmed), 'and it is ours');

check.section('refused and reloaded outboxes');
chat.addPending('general', { text: 'too fast', created: Date.now(), clientId: 'c2' });
chat.addPending('general', { text: 'other', created: Date.now(), clientId: 'c3' });
chat.markFailed('c2', 'Slow down.');
const failed = chat.room('general').items.find((i) => i.clientId === 'c2');
check.ok(failed.kind === 'failed' && failed.reason === 'Slow down.' && failed.version === 1, 'a refused message is marked failed');
chat.keepPending(['c3']);
check.equal(kinds(), [1, 2, 3, 5, 6, 'pending:other'], 'another outbox: only its items stay pending');

check.section('history pages');
chat.applyHistory({ room: 'general', messages: [], more: false });
check.equal(chat.room('general').hasOlder, false, 'no more: nothing older to load');
const fresh = new ChatState({ me: () => me });
fresh.applyJoined({ room: 'r', users: [], history: [{ ...msg(10), room: 'r' }, { ...msg(11), room: 'r' }], more: true });
fresh.applyHistory({ room: 'r', messages: [{ ...msg(8), room: 'r' }, { ...msg(9), room: 'r' }, { ...msg(10), room: 'r' }], more: true });
check.equal(fresh.room('r').items.map((i) => i.id), [8, 9, 10, 11], 'an older page goes before, without the overlap');

check.section('rejoin after a drop');
const again = new ChatState({ me: () => me });
again.applyJoined({ room: 'g', users: ['Ali'], history: [{ ...msg(1), room: 'g' }], more: false });
again.applyJoined({ room: 'g', users: ['Ali', 'Bo'], history: [{ ...msg(2), room: 'g' }, { ...msg(3), room: 'g' }], more: false }, [], () => true);
check.equal(again.room('g').items.map((i) => i.id), [1, 2, 3], 'since: the missed messages are appended');
check.equal(again.room('g').unread, 2, 'and counted unread when not seen');
again.applyJoined({ room: 'g', users: [], history: [{ ...msg(40), room: 'g' }], more: false, reset: true },
  [{ room: 'g', text: 'queued', created: Date.now(), clientId: 'q1' }]);
check.equal(again.room('g').items.map((i) => i.kind === 'message' ? i.id : i.text), [40, 'queued'], 'reset: start over, outbox items shown pending');
const beforeReset = again.room('g').items[0].key;
again.applyJoined({ room: 'g', users: [], history: [{ ...msg(40), room: 'g', text: 'another message 40' }], more: false, reset: true });
check.ok(again.room('g').items[0].key !== beforeReset, 'after a reset the same id has a new key: a view never shows the old row for it');
again.markRead('g');
check.equal(again.totalUnread(), 0, 'markRead clears the count');

check.section('members and typing');
chat.memberJoined('general', 'Cy');
check.equal(chat.room('general').items.at(-2).text, 'Cy joined', 'a notice, before pending rows');
chat.memberJoined('general', 'cy');
check.equal(chat.sortedUsers('general'), ['Ali', 'Bo', 'Cy'], 'a member once, whatever the case, sorted');
chat.memberJoined('general', 'ali');
check.ok(!chat.room('general').items.some((i) => i.text === 'ali joined'), 'no notice for ourselves');
const now = 1_000_000;
chat.setTyping('general', 'Bo', true, now);
chat.setTyping('general', 'Cy', true, now);
check.equal(ChatState.typingLabel(chat.typingNames('general', now + 1000)), 'Bo and Cy are typing…', 'two typing');
chat.setTyping('general', 'Cy', false, now);
check.equal(chat.typingNames('general', now + 1000), ['Bo'], 'a stop removes one');
check.equal(chat.typingNames('general', now + 6000), [], 'a notice expires after 6 s');
chat.setTyping('general', 'Bo', true, now);
chat.addMessage('general', msg(7, 'Bo'));
check.equal(chat.typingNames('general', now), [], 'a message from the typist ends the notice');
chat.memberLeft('general', 'Cy');
check.equal(chat.sortedUsers('general'), ['Ali', 'Bo'], 'a member leaves');
check.equal(ChatState.typingLabel(['a', 'b', 'c']), 'Several people are typing…', 'three or more');

check.section('presence frames');
chat.setTyping('general', 'Bo', true, now);
const noticesBefore = chat.room('general').items.filter((i) => i.kind === 'notice').length;
chat.applyPresence('general', ['Dee', 'ali', 'Eve', 'Fay', 'Gus', 'bo'], ['Bo']);
check.equal(chat.sortedUsers('general'), ['Ali', 'bo', 'Dee', 'Eve', 'Fay', 'Gus'], 'left first, then joined; ourselves not twice');
const notices = chat.room('general').items.filter((i) => i.kind === 'notice').slice(noticesBefore).map((i) => i.text);
check.equal(notices, ['Dee, Eve, Fay and 2 more joined', 'Bo left'], 'one notice for the joins, one for the leaves');
check.equal(chat.typingNames('general', now), [], 'whoever left stops typing');
chat.applyPresence('general', ['Dee'], ['Zed']);
check.equal(chat.room('general').items.filter((i) => i.kind === 'notice').length, noticesBefore + 2, 'nothing new: no notice');
check.equal(ChatState.nameList(['a', 'b']), 'a, b', 'a short list in full');

check.section('mentions');
check.ok(chat.isMention({ username: 'Bo', text: 'hi @Ali' }), '@name is a mention');
check.ok(!chat.isMention({ username: 'Ali', text: 'hi @Ali' }), 'our own message is not');
me = 'Zed';
check.ok(!chat.isOwn(confirmed), 'own follows the signed-in name');
check.finish();

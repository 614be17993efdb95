// Fills a running chat-server with a few people and messages, for screenshots
// and manual testing: node tools/seed.mjs PORT [--live]
// With --live it keeps two people connected, typing and chatting, until killed.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const WebSocket = require('ws');

const port = Number(process.argv[2] || 8080);
const live = process.argv.includes('--live');

function person(name) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}`);
    ws.on('open', () => { ws.send(JSON.stringify({ type: 'hello', username: name })); });
    ws.on('message', (raw) => { if (JSON.parse(raw).type === 'identified') resolve(ws); });
    ws.on('error', reject);
  });
}
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
const say = (ws, room, text) => ws.send(JSON.stringify({ type: 'chat', room, text }));
const join = (ws, room) => ws.send(JSON.stringify({ type: 'join', room }));

const siti = await person('Siti');
const ben = await person('Ben');
const lena = await person('Lena');
for (const ws of [siti, ben, lena]) { join(ws, 'general'); }
join(ben, 'random'); join(lena, 'design'); join(siti, 'design');
await pause(200);
if (!live) {
  say(siti, 'general', 'Good morning everyone! The printer on floor 2 is fixed.');
  await pause(30);
  say(ben, 'general', 'Great news. Release notes are at https://example.org/notes/1.2 if anyone wants to review.');
  await pause(30);
  say(lena, 'general', 'I will look after lunch.\nAlso: the design review moves to 15:00.');
  await pause(30);
  say(siti, 'design', 'New icons are in the shared folder.');
  await pause(30);
  say(lena, 'design', 'Looks good. Can we try a darker blue?');
  await pause(30);
  say(ben, 'random', 'Anyone up for coffee?');
  await pause(300);
  for (const ws of [siti, ben, lena]) ws.close();
} else {
  let n = 0;
  setInterval(() => {
    n += 1;
    if (n % 3 === 0) say(ben, 'random', `Coffee round ${n / 3}, who is in?`);
    if (n === 2) say(lena, 'general', '@Aminah could you check the numbers in the report?');
    ben.send(JSON.stringify({ type: 'typing', room: 'general' }));
  }, 1500);
}

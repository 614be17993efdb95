// The browser client's message list in headless Chromium (Debian's, through
// playwright-core), measured with the Performance API: the time the page
// takes to take in one more message (the connection's handler: state, render,
// the layout it forces) as the room grows from 100 to 10,000 messages, and
// the frames while a room of 100,000 is scrolled from the newest message to the
// oldest a screen per frame, with the long tasks Chromium reports.
// Messages are handed to the page's connection as frames from the server
// would be (window.lanchat), so the figure is the page's and not the network's.
// Usage: CHAT_SERVER_BIN=... [WEB_ROOT=dir] node tests/bench/web-list.mjs [APPEND_MAX] [SCROLL_ROOM]
import { startServer } from '../lib/server.mjs';
import { launchBrowser } from '../lib/browser.mjs';

const appendMax = Number(process.argv[2] || 10000);
const scrollRoom = Number(process.argv[3] || 100000);
// WEB_ROOT: serve the page from that folder (another version of resources/web).
const server = await startServer(process.env.WEB_ROOT ? ['--web-root', process.env.WEB_ROOT] : []);
const browser = await launchBrowser();
try {
  const page = await browser.context.newPage();
  await page.goto(`http://127.0.0.1:${server.port}/`);
  await page.getByLabel('Name').fill('Bench');
  await page.getByLabel('Name').press('Enter');
  await page.locator('#app').waitFor({ state: 'visible' });
  await page.waitForFunction(() => window.lanchat.connection.joined.has('general'));

  // Appends one at a time; each handler call is a performance.measure. The
  // figure at N is the median (and p95) of the 100 appends after N messages.
  const append = await page.evaluate(async (max) => {
    const { connection } = window.lanchat;
    const words = ['lunch', 'build', 'green', 'meeting', 'key', 'room', 'noon', 'thanks', 'again', 'who'];
    const frame = (id) => JSON.stringify({
      type: 'message', room: 'general', id, username: id % 3 ? 'Ben' : 'Cik', clientId: `b${id}`,
      text: Array.from({ length: 4 + (id % 23) }, (_, w) => words[(id + w * 7) % 10]).join(' '),
      timestamp: new Date(Date.now() - (max - id) * 1000).toISOString(),
    });
    const marks = [100, 1000, 5000, max].filter((n, i, all) => n <= max && all.indexOf(n) === i);
    const out = {};
    let id = 1;
    for (const mark of marks) {
      while (id <= mark) connection.onMessage(frame(id++)); // grow the room to the mark
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      const times = [];
      for (let k = 0; k < 100; k += 1) {
        performance.mark('append-start');
        connection.onMessage(frame(id++));
        times.push(performance.measure('append', 'append-start').duration);
      }
      times.sort((a, b) => a - b);
      out[mark] = { median: times[50], p95: times[95], rows: document.querySelectorAll('#messages .msg').length };
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    }
    return { out, id };
  }, appendMax);
  console.log(`append, one message into a room of N (ms; the page's rows in brackets):`);
  for (const [n, f] of Object.entries(append.out)) {
    console.log(`  N=${String(n).padStart(6)}: median ${f.median.toFixed(3)} ms, p95 ${f.p95.toFixed(3)} ms [${f.rows} rows]`);
  }
  const first = append.out[Object.keys(append.out)[0]];
  const last = append.out[Object.keys(append.out).at(-1)];
  console.log(`  ratio of the medians, N=${Object.keys(append.out).at(-1)} / N=${Object.keys(append.out)[0]}: ${(last.median / first.median).toFixed(2)}`);

  if (scrollRoom > 0) {
    // A room of SCROLL_ROOM as a reader gets one: the newest page on a rejoin
    // (a `joined` that starts over), then older pages of 200 as it reads back,
    // then the scroll from the newest message to the oldest, three screens a frame.
    const scroll = await page.evaluate(async ({ total }) => {
      const { connection } = window.lanchat;
      const message = (id) => ({ id, room: 'general', username: id % 3 ? 'Ben' : 'Cik', text: `scroll ${id}${id % 5 ? '' : ' and some more words so that this one wraps on a narrow screen'}`, timestamp: new Date(Date.now() - (total - id) * 10).toISOString() });
      const t0 = performance.now();
      connection.onMessage(JSON.stringify({ type: 'joined', room: 'general', users: ['Bench', 'Ben', 'Cik'], history: [message(total)], more: true, reset: true }));
      for (let top = total - 1; top >= 1; top -= 200) {
        const page = [];
        for (let id = Math.max(1, top - 199); id <= top; id += 1) page.push(message(id));
        connection.onMessage(JSON.stringify({ type: 'history', room: 'general', messages: page, more: top > 200 }));
      }
      const fill = performance.now() - t0;
      const list = document.getElementById('messages');
      list.scrollTop = list.scrollHeight;
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50)));
      const longTasks = [];
      const observer = new PerformanceObserver((entries) => longTasks.push(...entries.getEntries().map((e) => e.duration)));
      observer.observe({ entryTypes: ['longtask'] });
      const frames = [];
      let previous = await new Promise((resolve) => requestAnimationFrame(resolve));
      let steps = 0;
      while (list.scrollTop > 0) {
        list.scrollTop = Math.max(0, list.scrollTop - 3 * list.clientHeight);
        const now = await new Promise((resolve) => requestAnimationFrame(resolve));
        frames.push(now - previous);
        previous = now;
        steps += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      observer.disconnect();
      frames.sort((a, b) => a - b);
      const at = (p) => frames[Math.min(frames.length - 1, Math.floor(p * frames.length))];
      return { fill, steps, median: at(0.5), p99: at(0.99), max: frames.at(-1), over50: frames.filter((f) => f > 50).length,
        longTasks: longTasks.length, longestTask: longTasks.length ? Math.max(...longTasks) : 0,
        items: window.lanchat.chat.room('general').items.length, rows: document.querySelectorAll('#messages .msg').length };
    }, { total: scrollRoom });
    console.log(`scroll, a room of ${scroll.items} messages, newest to oldest, three screens a frame:`);
    console.log(`  filled (a rejoin, then ${Math.ceil((scrollRoom - 1) / 200)} history pages) in ${(scroll.fill / 1000).toFixed(2)} s; ${scroll.steps} frames to the top, ${scroll.rows} rows in the page there`);
    console.log(`  frame: median ${scroll.median.toFixed(1)} ms, p99 ${scroll.p99.toFixed(1)} ms, worst ${scroll.max.toFixed(1)} ms; frames over 50 ms: ${scroll.over50}`);
    console.log(`  long tasks (over 50 ms, PerformanceObserver): ${scroll.longTasks}${scroll.longTasks ? `, the longest ${scroll.longestTask.toFixed(0)} ms` : ''}`);
  }
} finally {
  await browser.close();
  await server.stop();
}

// The browser client signing in to an accounts server, in real headless
// Chromium: the form asks for a password, a wrong one is refused, the right one
// signs in through POST /api/login and its HttpOnly cookie (which the page's
// script cannot read), a reload stays signed in, the same person is on the
// desktop's protocol at once (a second device), an invitation link registers a
// new account, and "Sign out" ends the sign-in. Screenshots for a person to
// look at.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../lib/server.mjs';
import { createChecks } from '../lib/check.mjs';
import { launchBrowser } from '../lib/browser.mjs';
import { admin as adminIn, login } from '../lib/accounts.mjs';

const check = createChecks('web-accounts');
const here = dirname(fileURLToPath(import.meta.url));
const shots = join(here, 'screenshots');
mkdirSync(shots, { recursive: true });
const appears = (locator, timeout = 10000) => locator.waitFor({ timeout, state: 'visible' }).then(() => true, () => false);

const server = await startServer(['--auth', 'accounts']);
const admin = (args, input) => adminIn(join(server.dir, 'chat.sqlite'), args, input);
const browser = await launchBrowser();
const page = await browser.context.newPage();
const pageErrors = [];
page.on('pageerror', (error) => pageErrors.push(String(error)));
const url = `http://127.0.0.1:${server.port}/`;
try {
  check.equal((await admin(['user', 'add', 'Aminah'], 'a good long password\n')).code, 0, 'user add Aminah');
  check.equal((await admin(['user', 'add', 'Bob'], 'bobs good password\n')).code, 0, 'user add Bob');

  check.section('signing in');
  await page.goto(url);
  await page.getByLabel('Name').waitFor();
  check.ok(await appears(page.getByLabel('Password')), 'the form asks for a password on an accounts server');
  check.equal(await page.locator('#login-button').innerText(), 'Sign in', 'the button says Sign in');
  await page.screenshot({ path: join(shots, 'accounts-sign-in.png') });
  await page.getByLabel('Name').fill('Aminah');
  await page.getByLabel('Password').fill('not her password');
  await page.locator('#login-button').click();
  await page.waitForFunction(() => document.querySelector('#name-problem').textContent.length > 0);
  check.equal(await page.locator('#name-problem').innerText(), 'Wrong name or password.', 'a wrong password is refused, in words');
  await page.getByLabel('Password').fill('a good long password');
  await page.locator('#login-button').click();
  check.ok(await appears(page.locator('#app')), 'the right password signs in: the chat shows');
  check.equal(await page.locator('#me').innerText(), 'Aminah', 'as Aminah');
  check.ok(await page.locator('#signout-button').isVisible(), 'with a Sign out button');
  const cookies = await browser.context.cookies(url);
  const session = cookies.find((c) => c.name === 'lanchat_session');
  check.ok(session?.httpOnly === true && session?.sameSite === 'Strict', 'the browser holds the token as an HttpOnly, SameSite=Strict cookie');
  check.equal(await page.evaluate(() => document.cookie.includes('lanchat_session')), false, 'the page\'s script cannot read it');
  check.equal(await page.evaluate((value) => JSON.stringify(localStorage).includes(value), session?.value ?? 'none'), false, 'nor is it in localStorage');
  await page.getByRole('textbox', { name: 'Message' }).fill('hello from the browser');
  await page.keyboard.press('Enter');
  check.ok(await appears(page.locator('#messages').getByText('hello from the browser')), 'she chats');

  check.section('the same person on a second device');
  const desktop = await login(server.port, 'Aminah', 'a good long password', { device: 'desktop' });
  check.equal(desktop.reply.type, 'signed-in', 'Aminah signs in with the v1 protocol too (the desktop\'s), while the browser is online');
  desktop.c.json({ type: 'join', room: 'general' });
  await desktop.c.next('joined');
  desktop.c.json({ type: 'join', room: 'from-desktop' });
  await desktop.c.next('joined', (m) => m.room === 'from-desktop');
  check.ok(await appears(page.locator('#room-list').getByText('#from-desktop')), 'a room the desktop joins shows in the browser\'s list too');
  desktop.c.json({ type: 'chat', room: 'general', text: 'and from the desktop', clientId: 'd1' });
  check.ok(await appears(page.locator('#messages').getByText('and from the desktop')), 'the desktop\'s message shows in the browser');
  const mine = await page.locator('#messages li.msg', { hasText: 'and from the desktop' }).first().getAttribute('class');
  check.ok(/\bown\b/.test(mine ?? ''), `as her own (class "${mine}")`);
  await page.screenshot({ path: join(shots, 'accounts-signed-in.png') });

  check.section('direct messages, a private room, devices');
  const bob = await login(server.port, 'Bob', 'bobs good password', { from: '127.0.0.9', device: 'desktop' });
  bob.c.json({ type: 'join', room: 'general' });
  await bob.c.next('joined');
  const message = page.getByRole('button', { name: 'Message Bob' });
  const hasMessage = await appears(message);
  if (!hasMessage) console.log(await page.evaluate(() => JSON.stringify({ users: document.querySelector('#user-list').innerHTML, state: window.lanchat.connection.state })));
  check.ok(hasMessage, 'Bob in the people list has a "Message" button');
  await message.click();
  check.ok(await appears(page.locator('#room-title', { hasText: '@Bob' })), 'it opens the direct message with Bob, titled @Bob');
  const invited = await bob.c.next('invited');
  check.ok(Array.isArray(invited.dm) && invited.by === 'Aminah', 'Bob is told at once');
  bob.c.json({ type: 'join', room: invited.room });
  await bob.c.next('joined', (m) => m.room === invited.room);
  bob.c.json({ type: 'chat', room: invited.room, text: 'just us two', clientId: 'dm1' });
  check.ok(await appears(page.locator('#messages').getByText('just us two')), 'Bob\'s direct message shows in it');
  check.ok(await appears(page.locator('#room-list').getByText('@Bob')), 'the room list names it @Bob');
  await page.getByRole('textbox', { name: 'Message' }).fill('a typo to delete');
  await page.keyboard.press('Enter');
  const typo = page.locator('#messages li.msg', { hasText: 'a typo to delete' });
  check.ok(await appears(typo.locator('[data-id]').or(typo).first()), 'she writes in it');
  await page.waitForFunction(() => [...document.querySelectorAll('#messages li.msg')].some((li) => li.textContent.includes('a typo') && li.dataset.id));
  await typo.hover();
  await typo.getByRole('button', { name: "Delete Aminah's message" }).click();
  check.ok(await typo.waitFor({ state: 'detached', timeout: 10000 }).then(() => true, () => false), 'her own message has Delete, and it goes');
  check.equal((await bob.c.next('message-deleted')).room, invited.room, 'Bob is told it is gone');
  await page.getByLabel('New private room').check();
  await page.getByPlaceholder('Join a room…').fill('project');
  await page.getByPlaceholder('Join a room…').press('Enter');
  check.ok(await appears(page.locator('#room-title', { hasText: '#project' })), 'the join box makes a private room "project"');
  bob.c.json({ type: 'join', room: 'project' });
  check.equal((await bob.c.next('error')).code, 'forbidden', 'which Bob cannot join');
  bob.c.json({ type: 'rooms' });
  check.ok(!(await bob.c.next('rooms')).rooms.some((r) => r.name === 'project'), 'nor see in his list');
  const phone = await login(server.port, 'Aminah', 'a good long password', { from: '127.0.0.10', device: 'phone' });
  await page.getByRole('button', { name: 'Devices' }).click();
  check.ok(await appears(page.locator('#devices-dialog li', { hasText: 'this one' })), 'Devices lists where she is signed in, this browser marked');
  check.ok((await page.locator('#device-list li').count()) >= 3, 'the desktop and the phone among them');
  check.equal(await page.getByRole('button', { name: 'Sign out this one' }).count(), 0, 'this browser has no Sign out of its own there (the top bar has it)');
  await page.screenshot({ path: join(shots, 'accounts-devices.png') });
  await page.getByRole('button', { name: 'Sign out phone' }).click();
  check.equal(await phone.c.closed, 4006, 'Sign out next to the phone signs the phone out (4006)');
  check.equal(await page.locator('#device-list li', { hasText: 'phone' }).count(), 0, 'and it leaves the list');
  await page.locator('#devices-close').click();
  await page.locator('#room-list').getByText('@Bob').click();
  await page.screenshot({ path: join(shots, 'accounts-direct-message.png') });
  bob.c.close();

  check.ok(await page.locator('#audit-button').isHidden(), 'a member has no Moderation log');
  check.equal((await admin(['user', 'role', 'Aminah', 'admin'])).code, 0, '`user role Aminah admin` from the shell');

  check.section('a reload stays signed in');
  await page.reload();
  check.ok(await appears(page.locator('#app')), 'after a reload the chat shows without the form');
  check.equal(await page.locator('#me').innerText(), 'Aminah', 'still Aminah');
  check.ok(await appears(page.locator('#room-title', { hasText: '@Bob' })), 'back in the direct message she was in, titled @Bob');
  check.ok(await appears(page.locator('#room-list').getByText('#project')), 'her private room is listed again');

  check.section('an admin reads the moderation log');
  check.ok(await appears(page.getByRole('button', { name: 'Moderation log' })), 'signed in again as an admin, the top bar has Moderation log');
  const roleSet = await page.evaluate(() => new Promise((resolve) => {
    const { connection } = window.lanchat;
    const answer = ({ detail: m }) => { if (m.type === 'done' || m.type === 'error') resolve(m.type === 'done' ? m.request : m.code); };
    connection.addEventListener('account', answer);
    connection.addEventListener('server-error', answer);
    connection.request({ type: 'set-role', username: 'Bob', role: 'moderator' });
  }));
  check.equal(roleSet, 'set-role', 'as an admin, she makes Bob a moderator');
  await page.getByRole('button', { name: 'Moderation log' }).click();
  const row = page.locator('#audit-list tr', { hasText: 'Bob' });
  check.ok(await appears(row), 'it lists what was done');
  check.equal(await row.first().locator('td').nth(2).innerText(), 'role', 'Aminah made Bob a moderator: "role"');
  check.equal(await row.first().locator('td').nth(5).innerText(), 'moderator', 'to moderator');
  await page.screenshot({ path: join(shots, 'accounts-moderation-log.png') });
  await page.locator('#audit-close').click();

  check.section('signing out');
  await page.locator('#signout-button').click();
  check.ok(await appears(page.locator('#login')), 'Sign out shows the form again');
  await page.reload();
  check.ok(await appears(page.getByLabel('Password')), 'and a reload asks to sign in');
  check.equal((await browser.context.cookies(url)).some((c) => c.name === 'lanchat_session' && c.value), false, 'the cookie is gone');
  desktop.c.json({ type: 'chat', room: 'general', text: 'desktop still on', clientId: 'd2' });
  check.equal((await desktop.c.next('message', (m) => m.clientId === 'd2')).text, 'desktop still on', 'the desktop stays signed in');
  desktop.c.close();

  check.section('an invitation link registers');
  const link = (await admin(['invite', 'create'])).out.trim();
  const code = /#invite=(.*)$/.exec(link)?.[1];
  await page.goto(`${url}#invite=${code}`);
  await page.reload(); // only the fragment changed: a person opening the link loads the page
  await page.getByLabel('Name').waitFor();
  const registering = await page.waitForFunction(() => document.querySelector('#login-button').textContent === 'Create account', null, { timeout: 10000 })
    .then(() => true, () => false);
  check.ok(registering, 'the invitation link shows "Create account"');
  await page.screenshot({ path: join(shots, 'accounts-register.png') });
  await page.getByLabel('Name').fill('Cara');
  await page.getByLabel('Password').fill('caras new password');
  await page.locator('#login-button').click();
  check.ok(await appears(page.locator('#app')), 'Cara registers and is in');
  check.equal(await page.locator('#me').innerText(), 'Cara', 'as Cara');
  check.equal(await page.evaluate(() => location.hash), '#general', 'the invitation is gone from the address');
  check.ok(/^Cara\tmember/m.test((await admin(['user', 'list'])).out), '`user list` shows Cara');
  check.equal(pageErrors, [], 'no script error on the page');
} catch (e) {
  check.ok(false, `unexpected: ${e.stack}`);
  console.log(server.stderr().slice(-3000));
} finally {
  await browser.close();
  await server.stopCleanly(check);
  check.finish();
}

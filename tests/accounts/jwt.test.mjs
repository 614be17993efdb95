// Single sign-on (--auth jwt) against the real server: tokens made here with
// Node's crypto, the way an identity provider makes them. Hostile first: a bad
// signature, expired, not yet valid, another issuer or audience, alg none, the
// HS256/RS256 confusion (the public key as an HMAC secret), garbage; then
// HS256, RS256 and ES256 tokens that sign in, over v1 and Socket.IO.
import { createHmac, generateKeyPairSync, sign as signWith } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { startServer } from '../lib/server.mjs';
import { createChecks } from '../lib/check.mjs';
import { connect } from '../lib/accounts.mjs';

const require = createRequire(import.meta.url);
const { io } = require('socket.io-client');
const check = createChecks('jwt');
const dir = mkdtempSync(join(tmpdir(), 'chat-jwt-'));
const b64 = (x) => Buffer.from(typeof x === 'string' ? x : JSON.stringify(x)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
const secret = 'an HS256 secret of at least thirty-two bytes';
const { publicKey: rsaPublic, privateKey: rsaPrivate } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const { publicKey: ecPublic, privateKey: ecPrivate } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsaPem = rsaPublic.export({ type: 'spki', format: 'pem' });
const ecPem = ecPublic.export({ type: 'spki', format: 'pem' });
writeFileSync(join(dir, 'secret'), secret);
writeFileSync(join(dir, 'rsa.pem'), rsaPem);
writeFileSync(join(dir, 'ec.pem'), ecPem);

const claims = (extra = {}) => ({ preferred_username: 'Aminah', iss: 'https://sso.office.lan', aud: 'lanchat', exp: now() + 600, ...extra });
function jwt(alg, payload, key) {
  const head = `${b64({ alg, typ: 'JWT' })}.${b64(payload)}`;
  if (alg === 'none') return `${head}.`;
  if (alg === 'HS256') return `${head}.${createHmac('sha256', key).update(head).digest('base64url')}`;
  if (alg === 'RS256') return `${head}.${signWith('sha256', Buffer.from(head), key).toString('base64url')}`;
  if (alg === 'ES256') return `${head}.${signWith('sha256', Buffer.from(head), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
  throw new Error(alg);
}
let from = 40;
async function hello(port, token) {
  from += 1;
  const c = await connect(port, `127.0.4.${from}`);
  await c.next('welcome');
  c.json({ type: 'hello', jwt: token });
  const reply = await c.answer('signed-in');
  if (reply.type === 'signed-in') reply.identified = await c.next('identified');
  c.close();
  return reply;
}

const servers = [];
try {
  const common = ['--auth', 'jwt', '--jwt-issuer', 'https://sso.office.lan', '--jwt-audience', 'lanchat'];
  const hs = await startServer([...common, '--jwt-secret-file', join(dir, 'secret')], { dir: join(dir) });
  servers.push(hs);

  check.section('HS256: tokens that must not sign in');
  {
    const c = await connect(hs.port);
    const welcome = await c.next('welcome');
    check.ok(welcome.accounts?.jwt === 'HS256' && welcome.accounts?.passwords === false, 'welcome says: JWT (HS256), no passwords');
    c.json({ type: 'login', username: 'Aminah', password: 'anything' });
    check.equal((await c.answer('signed-in')).code, 'accounts-off', 'a password login on a JWT-only server: accounts-off');
    c.json({ type: 'hello', username: 'Aminah' });
    check.equal((await c.answer('identified')).code, 'account-required', 'hello as Aminah without a token: account-required');
    c.close();
    const good = jwt('HS256', claims(), secret);
    const [h, p] = good.split('.');
    const cases = [
      ['a bad signature', `${h}.${p}.${createHmac('sha256', 'another secret entirely, 32 bytes+').update(`${h}.${p}`).digest('base64url')}`, /signature/],
      ['claims changed after signing', `${h}.${b64(claims({ preferred_username: 'Boss' }))}.${good.split('.')[2]}`, /signature/],
      ['expired', jwt('HS256', claims({ exp: now() - 3600 }), secret), /expired/],
      ['without exp', jwt('HS256', (({ exp, ...rest }) => rest)(claims()), secret), /no expiry/],
      ['not valid yet (nbf)', jwt('HS256', claims({ nbf: now() + 3600 }), secret), /not valid yet/],
      ['from another issuer', jwt('HS256', claims({ iss: 'https://evil.example' }), secret), /issuer/],
      ['for another audience', jwt('HS256', claims({ aud: ['other-app'] }), secret), /audience/],
      ['alg none', jwt('none', claims(), secret), /algorithm/],
      ['alg RS256 on an HS256 server', jwt('RS256', claims(), rsaPrivate), /algorithm/],
      ['a name that is not a username', jwt('HS256', claims({ preferred_username: 'bad\u0000name' }), secret), /name/],
      ['garbage', 'not.a.jwt!', /base64url|three parts/],
      ['two parts', `${h}.${p}`, /three parts/],
      ['exp as a string', jwt('HS256', claims({ exp: 'tomorrow' }), secret), /date/],
    ];
    for (const [what, token, reason] of cases) {
      const reply = await hello(hs.port, token);
      check.ok(reply.code === 'bad-jwt' && reason.test(reply.message), `${what}: bad-jwt ("${reply.message}")`);
    }
    const huge = await hello(hs.port, `${h}.${b64({ pad: 'x'.repeat(9000), ...claims() })}.sig`);
    check.ok(huge.type === 'error' && ['too-long', 'bad-jwt'].includes(huge.code), `a 12 KiB token: ${huge.code}`);
    check.ok(!hs.stderr().includes(good.split('.')[2]), 'no token signature is in the server\'s log');
  }

  check.section('HS256: a good token');
  {
    const reply = await hello(hs.port, jwt('HS256', claims({ role: 'moderator' }), secret));
    check.ok(reply.type === 'signed-in' && reply.username === 'Aminah' && reply.role === 'moderator' && reply.identified.username === 'Aminah',
      'signs in as the token\'s preferred_username, with its role');
    const sub = await hello(hs.port, jwt('HS256', { sub: 'Bob', iss: 'https://sso.office.lan', aud: ['x', 'lanchat'], exp: now() + 60 }, secret));
    check.equal(sub.identified?.username, 'Bob', 'without preferred_username, sub names the user; aud may be a list');
    // Over Socket.IO: the token in the handshake's auth.
    const socket = io(`http://127.0.0.1:${hs.port}`, { auth: { jwt: jwt('HS256', claims({ preferred_username: 'Cara' }), secret) }, transports: ['websocket'] });
    const identified = await new Promise((resolve, reject) => {
      socket.on('identified', resolve);
      socket.on('error', (e) => reject(new Error(JSON.stringify(e))));
      setTimeout(() => reject(new Error('no identified over Socket.IO')), 8000);
    });
    check.equal(identified.username, 'Cara', 'a socket.io-client with auth.jwt is identified as Cara');
    socket.close();
  }
  await hs.stopCleanly(check);

  check.section('RS256, and the HS256/RS256 confusion');
  {
    const rs = await startServer([...common, '--jwt-public-key', join(dir, 'rsa.pem')], { dir: join(dir) });
    servers.push(rs);
    const ok = await hello(rs.port, jwt('RS256', claims(), rsaPrivate));
    check.equal(ok.identified?.username, 'Aminah', 'an RS256 token signs in');
    const confused = await hello(rs.port, jwt('HS256', claims(), rsaPem));
    check.ok(confused.code === 'bad-jwt' && /algorithm/.test(confused.message), 'HS256 signed with the public key as its secret: bad-jwt (algorithm)');
    const none = await hello(rs.port, jwt('none', claims(), null));
    check.equal(none.code, 'bad-jwt', 'alg none: bad-jwt');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    check.equal((await hello(rs.port, jwt('RS256', claims(), other))).code, 'bad-jwt', 'RS256 from another key: bad-jwt');
    await rs.stopCleanly(check);
  }

  check.section('ES256');
  {
    const es = await startServer([...common, '--jwt-public-key', join(dir, 'ec.pem')], { dir: join(dir) });
    servers.push(es);
    check.equal((await hello(es.port, jwt('ES256', claims(), ecPrivate))).identified?.username, 'Aminah', 'an ES256 token signs in');
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    check.equal((await hello(es.port, jwt('ES256', claims(), other))).code, 'bad-jwt', 'ES256 from another key: bad-jwt');
    check.equal((await hello(es.port, jwt('RS256', claims(), rsaPrivate))).code, 'bad-jwt', 'RS256 on an ES256 server: bad-jwt');
    await es.stopCleanly(check);
  }

  check.section('the configuration is checked');
  {
    const bad = await startServer(['--auth', 'jwt'], { dir: join(dir) }).catch((e) => e);
    check.ok(bad instanceof Error && /jwt-secret-file/.test(bad.message), '--auth jwt without a key: the server refuses to start, and says why');
  }
} catch (e) {
  check.ok(false, `unexpected: ${e.stack}`);
  for (const s of servers) console.log(s.stderr().slice(-3000));
} finally {
  for (const s of servers) await s.stop().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
  check.finish();
}

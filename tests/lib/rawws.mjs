// Raw WebSocket frames over a plain TCP socket (node:net) or TLS (node:tls), for conformance and
// hostile-input tests: frames can be malformed on purpose.
import net from 'node:net';
import tls from 'node:tls';
import crypto from 'node:crypto';
import zlib from 'node:zlib';

// A permessage-deflate payload (RFC 7692 7.2.2): inflated after its 00 00 ff ff tail is put back.
export function inflateMessage(payload) {
  return zlib.inflateRawSync(Buffer.concat([payload, Buffer.from([0, 0, 0xff, 0xff])]),
    { finishFlush: zlib.constants.Z_SYNC_FLUSH });
}

// A message compressed as a client sends it: raw DEFLATE, sync-flushed, without the tail.
export function deflateMessage(data) {
  const out = zlib.deflateRawSync(Buffer.isBuffer(data) ? data : Buffer.from(data), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  return out.subarray(0, out.length - 4);
}

export function frame({ fin = true, rsv = 0, opcode = 1, payload = Buffer.alloc(0), mask = true, lengthOverride } = {}) {
  const data = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  const length = lengthOverride ?? data.length;
  const head = [((fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0f))];
  const maskBit = mask ? 0x80 : 0;
  if (length < 126) head.push(maskBit | length);
  else if (length < 65536) head.push(maskBit | 126, (length >> 8) & 0xff, length & 0xff);
  else {
    head.push(maskBit | 127);
    const big = Buffer.alloc(8);
    big.writeBigUInt64BE(BigInt(length));
    head.push(...big);
  }
  if (!mask) return Buffer.concat([Buffer.from(head), data]);
  const key = crypto.randomBytes(4);
  const masked = Buffer.from(data);
  for (let i = 0; i < masked.length; i += 1) masked[i] ^= key[i % 4];
  return Buffer.concat([Buffer.from(head), key, masked]);
}

export function closePayload(code, reason = Buffer.alloc(0)) {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(code);
  return Buffer.concat([b, Buffer.isBuffer(reason) ? reason : Buffer.from(reason)]);
}

// Opens a TCP connection, performs the handshake, and returns helpers.
export function rawConnect(port, { host = '127.0.0.1', headers = {}, ca } = {}) {
  return new Promise((resolve, reject) => {
    // With `ca`, over TLS trusting that certificate; the handshake is written once it is up.
    const socket = ca ? tls.connect({ port, host, ca, checkServerIdentity: () => undefined }) : net.connect(port, host);
    let buffer = Buffer.alloc(0);
    let upgraded = false;
    const frames = [];
    let closed = false;
    let closeInfo = null;
    const waiters = new Set();
    const wake = () => { for (const w of [...waiters]) w(); };
    socket.on('error', () => { closed = true; wake(); });
    socket.on('close', () => { closed = true; wake(); });
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!upgraded) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffer.subarray(0, end).toString('latin1');
        buffer = buffer.subarray(end + 4);
        if (!head.startsWith('HTTP/1.1 101')) { reject(new Error(`no upgrade: ${head.split('\r\n')[0]}`)); socket.destroy(); return; }
        upgraded = true;
        api.head = head;
        resolve(api);
      }
      // Parse server frames (unmasked).
      for (;;) {
        if (buffer.length < 2) break;
        const buffer0 = buffer[0];
        const opcode = buffer0 & 0x0f;
        let length = buffer[1] & 0x7f;
        let offset = 2;
        if (length === 126) { if (buffer.length < 4) break; length = buffer.readUInt16BE(2); offset = 4; }
        else if (length === 127) { if (buffer.length < 10) break; length = Number(buffer.readBigUInt64BE(2)); offset = 10; }
        if (buffer.length < offset + length) break;
        const payload = buffer.subarray(offset, offset + length);
        buffer = buffer.subarray(offset + length);
        frames.push({ opcode, rsv: (buffer0 >> 4) & 7, payload });
        if (opcode === 8) closeInfo = { code: payload.length >= 2 ? payload.readUInt16BE(0) : 1005, reason: payload.subarray(2).toString() };
      }
      wake();
    });
    const key = crypto.randomBytes(16).toString('base64');
    const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    socket.write(`GET / HTTP/1.1\r\nHost: ${host}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`);
    const api = {
      socket,
      frames,
      write: (bytes) => { if (!socket.destroyed) socket.write(bytes); },
      get closed() { return closed; },
      get closeInfo() { return closeInfo; },
      // Text messages, inflated where the server compressed them (RSV1).
      texts: () => frames.filter((f) => f.opcode === 1)
        .map((f) => JSON.parse((f.rsv & 4 ? inflateMessage(f.payload) : f.payload).toString())),
      waitFor: (predicate, timeoutMs = 5000) => new Promise((res) => {
        const check = () => { if (predicate()) { waiters.delete(check); clearTimeout(timer); res(true); return true; } return false; };
        const timer = setTimeout(() => { waiters.delete(check); res(false); }, timeoutMs);
        waiters.add(check);
        check();
      }),
      // Resolves with the server's close code (or 'no close frame' if the TCP
      // connection simply ended, or 'open' if neither happened in time).
      closeCode: async (timeoutMs = 5000) => {
        await api.waitFor(() => closeInfo || closed, timeoutMs);
        return closeInfo ? closeInfo.code : closed ? 'no close frame' : 'open';
      },
      destroy: () => socket.destroy(),
    };
    setTimeout(() => { if (!upgraded) { reject(new Error('handshake timeout')); socket.destroy(); } }, 5000);
  });
}

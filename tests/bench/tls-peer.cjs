// Runs a `ws` chat server script over TLS, its code unchanged: the
// WebSocketServer it makes with { port } is given an https.createServer with
// chat-bench's certificate instead (as the documents' wss:// set-up does).
//   CHAT_BENCH_TLS_CERT=cert.pem CHAT_BENCH_TLS_KEY=key.pem node tls-peer.cjs server.js PORT
'use strict';
const fs = require('fs');
const https = require('https');
const path = require('path');

const [script, port] = process.argv.slice(2);
const scriptPath = path.resolve(script);
const ws = require(require.resolve('ws', { paths: [path.dirname(scriptPath)] }));
const Plain = ws.WebSocketServer;

class TlsWebSocketServer extends Plain {
  constructor(options, callback) {
    const { port: listenPort, host, ...rest } = options;
    const server = https.createServer({
      cert: fs.readFileSync(process.env.CHAT_BENCH_TLS_CERT),
      key: fs.readFileSync(process.env.CHAT_BENCH_TLS_KEY),
    });
    super({ ...rest, server }, callback);
    server.listen(listenPort, host || '127.0.0.1'); // ws re-emits its 'listening'
  }
}
ws.WebSocketServer = TlsWebSocketServer;
ws.Server = TlsWebSocketServer;
process.argv = [process.argv[0], scriptPath, port];
require(scriptPath);

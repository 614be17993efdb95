// Ours, not upstream's: the suite imports this file to run under Node.js. Like
// upstream's it provides fetch, WebSocket and chai as globals; it also points the
// suite's fixed http://localhost:3000 at the chat-server the runner started
// (CHAT_SIO_PORT), so that the suite itself stays unchanged.
import fetch from "node-fetch";
import { WebSocket } from "ws";
import chai from "chai";
import chaiString from "chai-string";

chai.use(chaiString);

const port = process.env.CHAT_SIO_PORT;
if (!port) throw new Error("CHAT_SIO_PORT is not set (run tests/socketio/conformance.mjs)");
const here = (url) => String(url).replace("localhost:3000", `127.0.0.1:${port}`);

class ServerWebSocket extends WebSocket {
  constructor(url, ...rest) {
    super(here(url), ...rest);
  }
}

globalThis.fetch = (url, options) => fetch(here(url), options);
globalThis.WebSocket = ServerWebSocket;
globalThis.chai = chai;

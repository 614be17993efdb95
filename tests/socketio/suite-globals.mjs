// What both official suites need to run under Node.js (their node-imports.js
// import this): fetch, WebSocket and chai as globals, as upstream's own
// node-imports.js sets them, and the suites' fixed http://localhost:3000 pointed
// at the chat-server the runner started (CHAT_SIO_PORT), so that the suites
// themselves stay unchanged.
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

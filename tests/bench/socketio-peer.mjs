// The Socket.IO peer for the benchmark: the npm socket.io server running the
// documents' kampung handlers (document 000), as its tutorial writes them.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Server } = require('socket.io');
const server = createServer();
const io = new Server(server);

io.on('connection', (socket) => {
  socket.on('join_kampung', (username) => {
    socket.username = username;
    socket.broadcast.emit('kampung_news', `${username} joined the kampung!`);
  });
  socket.on('kampung_chat', (msg) => {
    io.emit('kampung_chat', { user: socket.username, msg });
  });
  socket.on('disconnect', () => {
    if (socket.username) io.emit('kampung_news', `${socket.username} left the kampung.`);
  });
});

server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  console.log(`listening on port ${server.address().port}`);
});

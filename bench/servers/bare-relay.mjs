// The baseline for the signaling-server benchmark: the least a WebSocket relay can do. The first frame of a socket
// names its room; every later frame is forwarded, unparsed and unchecked, to the other socket in that room.
// No validation, no rate limits, no auth: the floor our server's relay is measured against.
// Usage: node bench/servers/bare-relay.mjs [port]   (prints {"event":"listening","port":N} when ready)
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const rooms = new Map();
const http = createServer((_request, response) => response.writeHead(404).end());
const wss = new WebSocketServer({ server: http, path: '/signal', maxPayload: 64 * 1024 });

wss.on('connection', (socket) => {
  let room;
  socket.on('message', (data) => {
    if (room === undefined) {
      try {
        room = String(JSON.parse(data.toString()).room);
      } catch {
        socket.close(1008);
        return;
      }
      const members = rooms.get(room) ?? [];
      members.push(socket);
      rooms.set(room, members);
      socket.send('{"type":"joined"}');
      return;
    }
    const members = rooms.get(room);
    const other = members?.[0] === socket ? members[1] : members?.[0];
    if (other) other.send(data, { binary: false });
  });
  socket.on('close', () => {
    const members = rooms.get(room)?.filter((member) => member !== socket);
    if (members?.length) rooms.set(room, members);
    else rooms.delete(room);
  });
  socket.on('error', () => {});
});

http.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ event: 'listening', port: http.address().port })}\n`);
});
process.once('SIGTERM', () => process.exit(0));

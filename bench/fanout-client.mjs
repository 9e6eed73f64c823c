/**
 * One client process of the fan-out bench (bench/fanout.mjs starts several):
 * opens `count` socket.io connections the way the widget's SocketRealtime
 * does, joins each to one page's room, and records when each connection
 * receives each `comment:created`. Driven over the IPC channel:
 *
 *   parent → { type: 'start', origin, site, page, since, count, concurrency }
 *   child  → { type: 'joined', joined, failed, reasons }
 *   parent → { type: 'collect', ids, waitMs }
 *   child  → { type: 'receipts', times: { [commentId]: Float64Array }, duplicates, outOfOrder, disconnects }
 *   parent → { type: 'close' }            child disconnects every socket and exits 0.
 */
import { benchRequire } from './deps.mjs';

const { io } = benchRequire(['socket.io-client'])('socket.io-client');

/** The page events a widget listens to (`pageEventTypes` in packages/protocol/src/rooms.ts). */
const pageEventTypes = ['comment:created', 'comment:updated', 'comment:deleted', 'page:updated'];

/** Wall-clock ms with sub-ms precision, comparable across processes on one machine. */
const now = () => performance.timeOrigin + performance.now();

const clients = [];
/** commentId → receipt time per client (NaN until received). */
const receipts = new Map();
const stats = { duplicates: 0, outOfOrder: 0, disconnects: 0 };
let settings;

function receive(client, event) {
  const at = now();
  if (event.site !== settings.site || event.page !== settings.page) return;
  if (event.seq <= client.lastSeq) {
    stats.duplicates++;
    return;
  }
  if (event.seq !== client.lastSeq + 1) stats.outOfOrder++;
  client.lastSeq = event.seq;
  if (event.type !== 'comment:created') return;
  let times = receipts.get(event.comment.id);
  if (!times) {
    times = new Float64Array(settings.count).fill(NaN);
    receipts.set(event.comment.id, times);
  }
  if (Number.isNaN(times[client.index])) times[client.index] = at;
}

/**
 * One connection, as SocketRealtime makes it; resolves with null once joined,
 * or with why not after 30 s. Like the widget, it keeps retrying until then.
 */
function connect(index) {
  const client = { index, lastSeq: settings.since, socket: null };
  clients[index] = client;
  // forceNew: one connection per reader, as on separate pages; socket.io-client would otherwise share one.
  const socket = io(settings.origin, { transports: ['websocket', 'polling'], reconnectionDelayMax: 10_000, forceNew: true });
  client.socket = socket;
  for (const type of pageEventTypes) socket.on(type, (event) => receive(client, event));
  socket.on('disconnect', () => stats.disconnects++);
  return new Promise((resolve) => {
    let settled = false;
    let problem = 'no connection';
    const settle = (reason) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(reason);
    };
    const timer = setTimeout(() => settle(`not joined within 30 s (last: ${problem})`), 30_000);
    socket.on('connect_error', (error) => {
      problem = `connect_error: ${error.message}`;
    });
    socket.on('connect', async () => {
      const reply = await socket.timeout(10_000).emitWithAck('page:join', { site: settings.site, page: settings.page, since: client.lastSeq }).catch(() => null);
      if (!reply) {
        problem = 'page:join: no reply within 10 s';
        socket.disconnect().connect();
        return;
      }
      if (!reply.ok) return settle(`page:join refused: ${JSON.stringify(reply)}`);
      for (const event of reply.missed) receive(client, event);
      settle(null);
    });
  });
}

async function start(message) {
  settings = message;
  let next = 0;
  let joined = 0;
  const reasons = new Map();
  // A bounded number of handshakes in flight, so the server's accept backlog is not flooded.
  const lane = async () => {
    while (next < settings.count) {
      const reason = await connect(next++);
      if (reason === null) joined++;
      else reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: settings.concurrency }, lane));
  process.send({ type: 'joined', joined, failed: settings.count - joined, reasons: [...reasons].slice(0, 5) });
}

function complete(ids) {
  return ids.every((id) => {
    const times = receipts.get(id);
    return times !== undefined && !times.some(Number.isNaN);
  });
}

async function collect({ ids, waitMs }) {
  const deadline = Date.now() + waitMs;
  while (!complete(ids) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  const times = {};
  for (const id of ids) times[id] = receipts.get(id) ?? new Float64Array(settings.count).fill(NaN);
  process.send({ type: 'receipts', times, ...stats });
}

function close() {
  for (const client of clients) client?.socket?.disconnect();
  // Lets the close frames go out before the process ends.
  setTimeout(() => process.exit(0), 200);
}

process.on('message', (message) => {
  if (message.type === 'start') void start(message);
  else if (message.type === 'collect') void collect(message);
  else if (message.type === 'close') close();
});
// The bench went away: do not linger with thousands of sockets open.
process.on('disconnect', () => process.exit(1));

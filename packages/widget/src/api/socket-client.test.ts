import { expect, waitUntil } from '@open-wc/testing';
import { connectSocket, type SocketClient, type WebSocketConstructor, type WebSocketLike } from './socket-client.js';

/** A WebSocket the test plays the server of; the protocol itself is tested against the real server in packages/server. */
class FakeWebSocket implements WebSocketLike {
  onmessage: ((event: never) => void) | null = null;
  onclose: ((event: never) => void) | null = null;
  onerror: ((event: never) => void) | null = null;
  readonly sent: string[] = [];
  closed = false;

  constructor(readonly url: string) {}

  send(data: string): void {
    this.sent.push(data);
  }

  close(): void {
    this.closed = true;
  }

  /** The server sends a frame. */
  receive(data: unknown): void {
    (this.onmessage as ((event: { data: unknown }) => void) | null)?.({ data });
  }

  /** The server opens the connection and accepts the CONNECT. */
  accept(): void {
    this.receive('0{"sid":"e","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":16384}');
    this.receive('40{"sid":"s"}');
  }
}

/** A client of `server` over fake WebSockets, with every socket it opened and a log of its events. */
function client(server = 'http://parley.test') {
  const opened: FakeWebSocket[] = [];
  const WebSocket: WebSocketConstructor = class extends FakeWebSocket {
    constructor(url: string) {
      super(url);
      opened.push(this);
    }
  };
  const socket: SocketClient<Record<string, never>, Record<string, never>> = connectSocket(server, { WebSocket, reconnectionDelay: 1, reconnectionDelayMax: 1 });
  const log: string[] = [];
  socket.on('connect', () => log.push('connect'));
  socket.on('disconnect', (reason) => log.push(`disconnect: ${reason}`));
  socket.on('connect_error', (error) => log.push(`connect_error: ${error.message}`));
  return { socket, opened, log };
}

describe('connectSocket', () => {
  let sockets: SocketClient<unknown, unknown>[];

  beforeEach(() => {
    sockets = [];
  });

  afterEach(() => {
    for (const socket of sockets) socket.close();
  });

  it('opens wss: for an https: server and ws: for http:, at the socket path of the origin', () => {
    const secure = client('https://comments.example.com/embed.js');
    const plain = client('http://127.0.0.1:3000');
    sockets.push(secure.socket, plain.socket);

    expect(secure.opened.map((ws) => ws.url)).to.deep.equal(['wss://comments.example.com/socket.io/?EIO=4&transport=websocket']);
    expect(plain.opened.map((ws) => ws.url)).to.deep.equal(['ws://127.0.0.1:3000/socket.io/?EIO=4&transport=websocket']);
  });

  it('drops the connection when the browser goes offline, then reconnects', async () => {
    const { socket, opened, log } = client();
    sockets.push(socket);
    opened[0]!.accept();
    expect(opened[0]!.sent).to.deep.equal(['40']);

    window.dispatchEvent(new Event('offline'));

    expect(log).to.deep.equal(['connect', 'disconnect: offline']);
    expect(opened[0]!.closed).to.equal(true);
    await waitUntil(() => opened.length === 2, 'a new WebSocket should open');
    opened[1]!.accept();
    expect(log).to.deep.equal(['connect', 'disconnect: offline', 'connect']);
  });
});

import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JoinPageReply, PageEvent, type ClientToServerEvents, type ServerToClientEvents } from '@parley/protocol';
import {
  backoffDelay,
  connectSocket,
  type SocketClient,
  type SocketOptions,
  type WebSocketConstructor,
} from '@parley/widget/socket-client';
import type { ParleyServer } from '../src/server.js';
import { ALLOWED_ORIGIN, cleanup, onCleanup, postComment, signUp, startServer, within, WAIT_MS } from './helpers.js';

afterEach(cleanup);

type ParleySocket = SocketClient<ServerToClientEvents, ClientToServerEvents>;

/** Node 20 has no global WebSocket: the tests give the client `ws`, sending an Origin header as a browser would. */
interface Transport {
  WebSocket: WebSocketConstructor;
  /** The origin the next WebSocket sends; set it to a foreign one and the server refuses every attempt. */
  origin: string;
  /** Every WebSocket opened, in order. */
  opened: string[];
  /** Text frames from the server, and to it, in order. */
  received: string[];
  sent: string[];
}

function nodeTransport(): Transport {
  const transport: Transport = {
    origin: ALLOWED_ORIGIN,
    opened: [],
    received: [],
    sent: [],
    WebSocket: class extends WebSocket {
      constructor(url: string) {
        super(url, { origin: transport.origin });
        transport.opened.push(url);
        this.on('message', (data, isBinary) => {
          if (!isBinary) transport.received.push(data.toString());
        });
      }

      override send(data: string): void {
        transport.sent.push(data);
        super.send(data);
      }
    },
  };
  return transport;
}

/** Quick reconnections, so a test does not wait seconds for the back-off. */
const QUICK: SocketOptions = { reconnectionDelay: 10, reconnectionDelayMax: 50 };

/** A client of `url` over `transport`, closed at cleanup, with a log of its own events. */
function open(url: string, transport = nodeTransport(), options: SocketOptions = QUICK) {
  const socket: ParleySocket = connectSocket(url, { ...options, WebSocket: transport.WebSocket });
  onCleanup(() => socket.close());
  const log: string[] = [];
  socket.on('connect', () => log.push('connect'));
  socket.on('disconnect', (reason) => log.push(`disconnect: ${reason}`));
  socket.on('connect_error', (error) => log.push(`connect_error: ${error.message}`));
  return { socket, log, transport };
}

/** Waits until `condition` holds, checking every few milliseconds; fails naming `what` after WAIT_MS. */
async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  await within(
    (async () => {
      while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 5));
    })(),
    what,
  );
}

/** Cuts every client's connection, without a socket.io DISCONNECT first: what a network failure looks like. */
function dropConnections(server: ParleyServer): void {
  for (const socket of server.io.of('/').sockets.values()) socket.conn.close();
}

const count = (log: readonly string[], entry: string) => log.filter((e) => e === entry).length;

describe('connectSocket against the Parley server', () => {
  it('connects over WebSocket at the socket path, joins a page and receives a comment posted over HTTP', async () => {
    const { url } = await startServer();
    const { token } = await signUp(url, 'Alice');
    const { socket, log, transport } = open(url);
    const events: PageEvent[] = [];
    socket.on('comment:created', (event) => events.push(PageEvent.parse(event)));

    await until(() => log.includes('connect'), 'the socket to connect');
    expect(transport.opened).toEqual([`${url.replace('http:', 'ws:')}/socket.io/?EIO=4&transport=websocket`]);
    expect(JoinPageReply.parse(await socket.emitWithAck('page:join', { site: 'default', page: '/a' }, WAIT_MS))).toEqual({
      ok: true,
      seq: 0,
      missed: [],
    });

    const posted = await postComment(url, token, 'Hello, live.');
    await until(() => events.length === 1, 'the comment to arrive');
    expect(events[0]).toMatchObject({ type: 'comment:created', site: 'default', page: '/a', seq: 1, comment: { id: posted.comment.id } });
    expect(log).toEqual(['connect']);
  });

  it('matches each acknowledgement to its request', async () => {
    const { url } = await startServer();
    const { token } = await signUp(url, 'Alice');
    await postComment(url, token, 'one', { page: '/one' });
    const { socket, log } = open(url);
    await until(() => log.includes('connect'), 'the socket to connect');

    const replies = await Promise.all(
      ['/none', '/one', '/other'].map((page) => socket.emitWithAck('page:join', { site: 'default', page }, WAIT_MS)),
    );
    expect(replies).toEqual([
      { ok: true, seq: 0, missed: [] },
      { ok: true, seq: 1, missed: [] },
      { ok: true, seq: 0, missed: [] },
    ]);
  });

  it('rejects an acknowledgement that does not come in time, and keeps the connection', async () => {
    const { url } = await startServer();
    const { socket, log } = open(url);
    await until(() => log.includes('connect'), 'the socket to connect');

    // The server never acknowledges page:leave.
    await expect(socket.emitWithAck('page:leave', { site: 'default', page: '/a' }, 50)).rejects.toThrow('timeout');
    expect(await socket.emitWithAck('page:join', { site: 'default', page: '/a' }, WAIT_MS)).toEqual({ ok: true, seq: 0, missed: [] });
    expect(log).toEqual(['connect']);
  });

  it('rejects an acknowledgement when the connection drops, and one asked for while not connected', async () => {
    const { url, server } = await startServer();
    const { socket, log } = open(url, nodeTransport(), { reconnectionDelay: 60_000 });
    await expect(socket.emitWithAck('page:join', { site: 'default', page: '/a' }, WAIT_MS)).rejects.toThrow('not connected');
    await until(() => log.includes('connect'), 'the socket to connect');

    const pending = socket.emitWithAck('page:leave', { site: 'default', page: '/a' }, 60_000);
    dropConnections(server);
    await expect(pending).rejects.toThrow('transport close');
    expect(log).toEqual(['connect', 'disconnect: transport close']);
  });

  it('reconnects after the server drops the connection, and a rejoin with since catches up on what was missed', async () => {
    const { url, server } = await startServer();
    const { token } = await signUp(url, 'Alice');
    const { socket, log, transport } = open(url);
    // What a widget does: apply events in seq order, and on every connection join with the last seq applied.
    const seen: string[] = [];
    let lastSeq = 0;
    const apply = (event: PageEvent) => {
      if (event.seq !== lastSeq + 1) return;
      lastSeq = event.seq;
      if (event.type === 'comment:created') seen.push(event.comment.html);
    };
    const replies: JoinPageReply[] = [];
    socket.on('comment:created', (event) => apply(PageEvent.parse(event)));
    socket.on('connect', () => {
      void socket.emitWithAck('page:join', { site: 'default', page: '/a', since: lastSeq }, WAIT_MS).then((raw) => {
        const reply = JoinPageReply.parse(raw);
        replies.push(reply);
        if (reply.ok) reply.missed.forEach(apply);
      });
    });
    await until(() => replies.length === 1, 'the first join');
    await postComment(url, token, 'Before the drop.');
    await until(() => seen.length === 1, 'the live comment');

    // Refuse every attempt from now on, as a network that is down would, then drop the connection.
    transport.origin = 'http://elsewhere.example';
    dropConnections(server);
    await until(() => count(log, 'connect_error: transport close') >= 2, 'two refused attempts to reconnect');
    await postComment(url, token, 'During the outage.');
    await postComment(url, token, 'Also during the outage.');

    transport.origin = ALLOWED_ORIGIN;
    await until(() => replies.length === 2, 'the rejoin');
    expect(replies[1]).toMatchObject({ ok: true, seq: 3, missed: [{ seq: 2 }, { seq: 3 }] });
    expect(seen).toEqual(['<p>Before the drop.</p>', '<p>During the outage.</p>', '<p>Also during the outage.</p>']);
    expect(log.slice(0, 2)).toEqual(['connect', 'disconnect: transport close']);
    expect(log.at(-1)).toBe('connect');
    // The join after reconnecting asked for what came after the last seq applied.
    const joins = transport.sent.filter((frame) => frame.startsWith('42'));
    expect(joins.map((frame) => JSON.parse(frame.replace(/^42\d+/, '')))).toEqual([
      ['page:join', { site: 'default', page: '/a', since: 0 }],
      ['page:join', { site: 'default', page: '/a', since: 1 }],
    ]);
  });

  it("reconnects after the server's socket.io DISCONNECT", async () => {
    const { url, server } = await startServer();
    const { log, transport } = open(url);
    await until(() => log.includes('connect'), 'the socket to connect');

    server.io.disconnectSockets();
    await until(() => count(log, 'connect') === 2, 'the socket to reconnect');
    expect(log).toEqual(['connect', 'disconnect: io server disconnect', 'connect']);
    expect(transport.opened).toHaveLength(2);
  });

  it('answers pings, so the connection outlives many ping intervals', async () => {
    // A ping every 50 ms; a late pong is forgiven for 250 ms, so a busy machine does not drop the connection.
    const { url, server } = await startServer({}, { heartbeat: { pingInterval: 50, pingTimeout: 250 } });
    const { socket, log, transport } = open(url);
    await until(() => log.includes('connect'), 'the socket to connect');
    const [first] = await server.io.fetchSockets();

    // Without pongs the server would close the connection 300 ms after the first ping, before the seventh.
    await until(() => transport.received.filter((frame) => frame === '2').length >= 10, 'ten pings');
    expect(transport.sent.filter((frame) => frame === '3').length).toBeGreaterThanOrEqual(10);
    expect(log).toEqual(['connect']);
    expect((await server.io.fetchSockets()).map((s) => s.id)).toEqual([first!.id]);
    expect(await socket.emitWithAck('page:join', { site: 'default', page: '/a' }, WAIT_MS)).toMatchObject({ ok: true });
  });

  it('closes the connection on close(), and stops reconnecting', async () => {
    const { url, server } = await startServer();
    const connected = open(url);
    await until(() => connected.log.includes('connect'), 'the socket to connect');
    connected.socket.close();
    await until(async () => (await server.io.fetchSockets()).length === 0, 'the server to see the socket go');
    expect(connected.log).toEqual(['connect']);

    // Sockets closed as their connection drops and while they wait to reconnect, next to one that waits longer before it reconnects.
    const once = { reconnectionDelay: 10, reconnectionDelayMax: 10, randomizationFactor: 0 };
    const closingAtOnce = open(url, nodeTransport(), once);
    const closingLater = open(url, nodeTransport(), once);
    const control = open(url, nodeTransport(), { reconnectionDelay: 200, reconnectionDelayMax: 200, randomizationFactor: 0 });
    closingAtOnce.socket.on('disconnect', () => closingAtOnce.socket.close());
    closingLater.socket.on('disconnect', () => void Promise.resolve().then(() => closingLater.socket.close()));
    const all = [closingAtOnce, closingLater, control];
    await until(() => all.every(({ log }) => log.includes('connect')), 'every socket to connect');
    dropConnections(server);
    await until(() => count(control.log, 'connect') === 2, 'the control socket to reconnect');
    for (const closing of [closingAtOnce, closingLater]) {
      expect(closing.transport.opened).toHaveLength(1);
      expect(closing.log).toEqual(['connect', 'disconnect: transport close']);
    }
    expect(await server.io.fetchSockets()).toHaveLength(1);
  });
});

/** What a scripted server does with each client: `connection` is called for every WebSocket opened. */
async function scriptedServer(connection: (ws: WebSocket, index: number) => void) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/socket.io/' });
  await new Promise((resolve) => wss.once('listening', resolve));
  onCleanup(() => new Promise((resolve) => wss.close(resolve)));
  const urls: string[] = [];
  wss.on('connection', (ws, req) => {
    urls.push(req.url ?? '');
    connection(ws, urls.length - 1);
  });
  return { url: `http://127.0.0.1:${(wss.address() as AddressInfo).port}`, urls };
}

/** The Engine.IO open packet, and an answer to the Socket.IO CONNECT (`40`). */
function handshake(ws: WebSocket, heartbeat = { pingInterval: 25_000, pingTimeout: 20_000 }, connectReply = '40{"sid":"s"}') {
  ws.send(`0${JSON.stringify({ sid: 'e', upgrades: [], maxPayload: 16_384, ...heartbeat })}`);
  ws.on('message', (data) => {
    if (data.toString() === '40') ws.send(connectReply);
  });
}

describe('connectSocket against a server that breaks the protocol', () => {
  it('counts a connection whose pings stop as dead, and connects again', async () => {
    const { url, urls } = await scriptedServer((ws) => handshake(ws, { pingInterval: 100, pingTimeout: 100 }));
    const { log } = open(url);

    await until(() => count(log, 'connect') === 2, 'a second connection');
    expect(log).toEqual(['connect', 'disconnect: ping timeout', 'connect']);
    expect(urls).toEqual(['/socket.io/?EIO=4&transport=websocket', '/socket.io/?EIO=4&transport=websocket']);
  });

  it('treats binary packets as a protocol error rather than reading them', async () => {
    const { url } = await scriptedServer((ws, index) => {
      handshake(ws);
      ws.on('message', (data) => {
        if (data.toString() !== '40') return;
        // A binary event with its attachment, then a bare binary frame.
        if (index === 0) ws.send('451-["comment:created",{"_placeholder":true,"num":0}]');
        if (index === 1) ws.send(Buffer.from([1, 2, 3]));
      });
    });
    const { socket, log } = open(url);
    const events: unknown[] = [];
    socket.on('comment:created', (event) => events.push(event));

    await until(() => count(log, 'connect') === 3, 'a third connection');
    expect(log).toEqual(['connect', 'disconnect: parse error', 'connect', 'disconnect: parse error', 'connect']);
    expect(events).toEqual([]);
  });

  it('passes on events and acknowledgements in any order, and ignores noop packets and acknowledgements without an id', async () => {
    const { url } = await scriptedServer((ws) => {
      handshake(ws);
      const asked: string[] = [];
      ws.on('message', (data) => {
        const frame = data.toString();
        if (!frame.startsWith('42')) return;
        asked.push(frame);
        if (asked.length < 2) return;
        // An acknowledgement without an id belongs to no request.
        ws.send('43["no id"]');
        // Answer the second request first, with a noop and an event in between.
        for (const request of asked.reverse()) {
          const [, id, json] = /^42(\d+)(.*)$/.exec(request)!;
          const [, body] = JSON.parse(json!) as [string, { page: string }];
          ws.send('6');
          ws.send(`42${JSON.stringify(['page:updated', { page: body.page }])}`);
          ws.send(`43${id}${JSON.stringify([{ ok: true, seq: body.page.length, missed: [] }])}`);
        }
      });
    });
    const { socket, log } = open(url);
    const events: unknown[] = [];
    socket.on('page:updated', (event) => events.push(event));
    await until(() => log.includes('connect'), 'the socket to connect');

    const replies = await Promise.all([
      socket.emitWithAck('page:join', { site: 'default', page: '/a' }, WAIT_MS),
      socket.emitWithAck('page:join', { site: 'default', page: '/long' }, WAIT_MS),
    ]);
    expect(replies).toEqual([
      { ok: true, seq: 2, missed: [] },
      { ok: true, seq: 5, missed: [] },
    ]);
    expect(events).toEqual([{ page: '/long' }, { page: '/a' }]);
    expect(log).toEqual(['connect']);
  });

  it("reports a refused CONNECT with the server's message, then tries again", async () => {
    const { url, urls } = await scriptedServer((ws, index) =>
      handshake(ws, undefined, index === 0 ? '44{"message":"Not today."}' : '40{"sid":"s"}'),
    );
    const { log } = open(url);

    await until(() => log.includes('connect'), 'the second attempt to connect');
    expect(log).toEqual(['connect_error: Not today.', 'connect']);
    expect(urls).toHaveLength(2);
  });

  it('keeps the connection when a listener throws', async () => {
    const { url } = await scriptedServer((ws) => {
      handshake(ws);
      ws.on('message', (data) => {
        if (data.toString() === '40') ws.send('42["page:updated",1]');
        if (data.toString() === '40') ws.send('42["page:updated",2]');
      });
    });
    // The client rethrows a listener's error in a microtask, where it is reported like any uncaught error.
    const reported: (() => void)[] = [];
    const microtasks = vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((task) => reported.push(task));
    onCleanup(() => microtasks.mockRestore());
    const { socket, log } = open(url);
    const seen: unknown[] = [];
    socket.on('page:updated', (event) => {
      seen.push(event);
      if (event === (1 as unknown)) throw new Error('a bug in a listener');
    });

    await until(() => seen.length === 2, 'both events');
    expect(reported).toHaveLength(1);
    expect(reported[0]!).toThrow('a bug in a listener');
    expect(log).toEqual(['connect']);
  });
});

describe('backoffDelay', () => {
  it("doubles from reconnectionDelay up to reconnectionDelayMax, socket.io-client's defaults unless told", () => {
    expect([0, 1, 2, 3, 10].map((attempt) => backoffDelay(attempt, {}, 0.5))).toEqual([1000, 2000, 4000, 5000, 5000]);
    expect([0, 1, 4, 5].map((attempt) => backoffDelay(attempt, { reconnectionDelayMax: 10_000 }, 0.5))).toEqual([1000, 2000, 10_000, 10_000]);
  });

  it('strays by up to randomizationFactor either way, never beyond the maximum', () => {
    expect(backoffDelay(0, {}, 0)).toBe(500);
    expect(backoffDelay(0, {}, 1)).toBe(1500);
    expect(backoffDelay(1, { randomizationFactor: 0.2 }, 0)).toBe(1600);
    expect(backoffDelay(5, {}, 0)).toBe(2500);
    expect(backoffDelay(5, {}, 1)).toBe(5000);
    expect(backoffDelay(0, { randomizationFactor: 0 }, 0.9)).toBe(1000);
  });
});

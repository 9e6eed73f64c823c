import { socketPath } from '@parley/protocol/client';

/**
 * The part of the WebSocket API this client uses. The browser's `WebSocket`
 * has it, and so has the `ws` package in Node.
 */
export interface WebSocketLike {
  // `never`: every WebSocket's own event types fit; the client reads only `data`.
  onmessage: ((event: never) => void) | null;
  onclose: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
  send(data: string): void;
  close(): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface SocketOptions {
  /** How to open a WebSocket; the global `WebSocket` unless told (tests in Node pass `ws`). */
  WebSocket?: WebSocketConstructor;
  /** First wait before reconnecting, in ms; it doubles with each failed attempt. Default 1000. */
  reconnectionDelay?: number;
  /** Longest wait before reconnecting, in ms. Default 5000. */
  reconnectionDelayMax?: number;
  /** How far each wait may stray either way, as a fraction of it (0 to 1). Default 0.5. */
  randomizationFactor?: number;
}

/** Events the client itself fires; the server cannot send these names. */
export interface SocketReservedEvents {
  /** Connected to the default namespace; fires again after every reconnection. */
  connect: () => void;
  /** A connection that was up went down; a reconnection is scheduled. */
  disconnect: (reason: string) => void;
  /** An attempt to connect failed; another one is scheduled. */
  connect_error: (error: Error) => void;
}

/** `request` and `reply` of an event the server acknowledges: `(request, ack: (reply) => void) => void`. */
type AckOf<F> = F extends (request: infer Request, ack: (reply: infer Reply) => void) => void ? [Request, Reply] : never;

/**
 * A socket.io connection, typed by two event maps like socket.io-client's
 * `Socket<Listen, Emit>`. Types are not validation: what a listener or an
 * acknowledgement receives is whatever JSON the server sent.
 */
export interface SocketClient<Listen, Emit> {
  /** Calls `listener` for every `event` from now on, until {@link close}. */
  on<E extends keyof (Listen & SocketReservedEvents)>(event: E, listener: (Listen & SocketReservedEvents)[E]): void;
  /**
   * Sends `event` and resolves with the server's acknowledgement. Rejects if
   * the socket is not connected, when the connection drops first, or after
   * `timeoutMs`.
   */
  emitWithAck<E extends keyof Emit & string>(event: E, request: AckOf<Emit[E]>[0], timeoutMs: number): Promise<AckOf<Emit[E]>[1]>;
  /** Drops the connection and starts over, as after any drop (`disconnect`, then a reconnection). */
  reconnect(): void;
  /** Closes the connection for good: no more reconnections, and no more events. */
  close(): void;
}

/**
 * How long to wait before reconnection attempt number `attempt` (from 0):
 * socket.io-client's back-off, `reconnectionDelay` doubling up to
 * `reconnectionDelayMax`, each wait moved by up to `randomizationFactor` of it
 * so that clients dropped together do not all come back at once.
 */
export function backoffDelay(attempt: number, options: SocketOptions = {}, random = Math.random()): number {
  const { reconnectionDelay = 1000, reconnectionDelayMax = 5000, randomizationFactor = 0.5 } = options;
  const delay = Math.min(reconnectionDelay * 2 ** attempt, reconnectionDelayMax);
  return Math.min(delay * (1 + randomizationFactor * (2 * random - 1)), reconnectionDelayMax);
}

/** How long the server may take to send its first packet on a new WebSocket, as in socket.io-client. */
const OPEN_TIMEOUT_MS = 20_000;

/**
 * Opens a socket.io connection to `server` (an `http:` or `https:` URL; only
 * its origin is used): Engine.IO v4 over WebSocket only, Socket.IO v5 on the
 * default namespace, JSON packets only. It answers the server's pings, counts
 * a connection without a ping for `pingInterval + pingTimeout` as dead, and
 * drops it at once when the browser goes offline, and reconnects after any
 * drop (see {@link backoffDelay}) until {@link SocketClient.close}.
 * Binary packets and other namespaces are protocol errors: the connection is
 * dropped and opened again rather than misread. There is no long-polling
 * fallback: where WebSockets are blocked it keeps retrying.
 */
export function connectSocket<Listen, Emit>(server: string, options: SocketOptions = {}): SocketClient<Listen, Emit> {
  const Socket = options.WebSocket ?? (globalThis as unknown as { WebSocket: WebSocketConstructor }).WebSocket;
  const url = new URL(`${socketPath}?EIO=4&transport=websocket`, server);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const listeners = new Map<PropertyKey, ((...args: unknown[]) => void)[]>();
  const acks = new Map<number, (error: Error | null, reply?: unknown) => void>();
  let ws: WebSocketLike | undefined;
  let connected = false;
  let closed = false;
  let attempts = 0;
  let lastAckId = 0;
  let pingDeadline = 0;
  let heartbeat: ReturnType<typeof setTimeout> | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const fire = (event: PropertyKey, ...args: unknown[]) => {
    for (const listener of listeners.get(event) ?? []) {
      try {
        listener(...args);
      } catch (error) {
        // Reported like any uncaught error, without taking the connection or the other listeners down.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  };
  const expectPacketWithin = (ms: number) => {
    clearTimeout(heartbeat);
    heartbeat = setTimeout(() => drop('ping timeout'), ms);
  };
  /** Ends the current connection, if any; returns whether the socket was connected. */
  const stop = (reason: string) => {
    const wasConnected = connected;
    ws?.close();
    ws = undefined;
    connected = false;
    clearTimeout(heartbeat);
    for (const settle of acks.values()) settle(new Error(reason));
    return wasConnected;
  };
  const drop = (reason: string) => {
    if (!ws) return;
    if (stop(reason)) fire('disconnect', reason);
    else fire('connect_error', new Error(reason));
    if (!closed) retry = setTimeout(open, backoffDelay(attempts++, options));
  };
  const send = (packet: string) => ws?.send(packet);
  // When the browser says the network is gone, the connection is as good as dead, but the
  // WebSocket may not close until the server's next ping is missed, up to 45 s later.
  const onOffline = () => drop('offline');
  const host = globalThis as unknown as Partial<EventTarget>;
  host.addEventListener?.('offline', onOffline);

  /** One Socket.IO packet (what follows an Engine.IO `4`): type, ack id, JSON. */
  const receivePacket = (packet: string) => {
    const [, type, id, json] = /^(\d)(\d*)(.*)$/s.exec(packet) ?? [];
    const data: unknown = json ? JSON.parse(json) : undefined;
    if (type === '0') {
      connected = true;
      attempts = 0;
      fire('connect');
    } else if (type === '1') {
      drop('io server disconnect');
    } else if (type === '4') {
      drop(String((data as { message?: unknown } | undefined)?.message));
    } else if (Array.isArray(data) && type === '2') {
      fire(...(data as [string, ...unknown[]]));
    } else if (Array.isArray(data) && type === '3') {
      acks.get(Number(id))?.(null, data[0]);
    } else {
      // Binary events and acks (5, 6), other namespaces, anything malformed.
      throw new Error(packet);
    }
  };
  /** One Engine.IO packet: open, close, ping, message or noop. */
  const receive = (frame: unknown) => {
    if (typeof frame !== 'string') throw new Error('binary frame');
    const type = frame[0];
    const rest = frame.slice(1);
    if (type === '0') {
      const { pingInterval, pingTimeout } = JSON.parse(rest) as { pingInterval: number; pingTimeout: number };
      pingDeadline = pingInterval + pingTimeout;
      expectPacketWithin(pingDeadline);
      send('40');
    } else if (type === '2') {
      expectPacketWithin(pingDeadline);
      send('3');
    } else if (type === '4') {
      receivePacket(rest);
    } else if (type === '1') {
      drop('transport close');
    } else if (type !== '6') {
      throw new Error(frame);
    }
  };
  const open = () => {
    const current = new Socket(url.href);
    ws = current;
    expectPacketWithin(OPEN_TIMEOUT_MS);
    // Events of a socket already dropped (a close that arrives late, an error on abort) are not ours any more.
    current.onmessage = (event: { data: unknown }) => {
      if (ws !== current) return;
      try {
        receive(event.data);
      } catch {
        drop('parse error');
      }
    };
    current.onclose = current.onerror = () => {
      if (ws === current) drop('transport close');
    };
  };
  open();

  return {
    on(event, listener) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener as (...args: unknown[]) => void]);
    },
    emitWithAck(event, request, timeoutMs) {
      return new Promise((resolve, reject) => {
        if (!connected) {
          reject(new Error('not connected'));
          return;
        }
        const id = ++lastAckId;
        const timer = setTimeout(() => settle(new Error('timeout')), timeoutMs);
        const settle = (error: Error | null, reply?: unknown) => {
          clearTimeout(timer);
          acks.delete(id);
          if (error) reject(error);
          else resolve(reply as never);
        };
        acks.set(id, settle);
        send(`42${id}${JSON.stringify([event, request])}`);
      });
    },
    reconnect() {
      drop('client reconnect');
    },
    close() {
      closed = true;
      clearTimeout(retry);
      host.removeEventListener?.('offline', onOffline);
      stop('client close');
    },
  };
}

import { expect, waitUntil } from '@open-wc/testing';
import type { JoinModerationReply, ModerationChangedEvent } from '@parley/protocol';
import type { ConnectionStatus } from '../api/realtime.js';
import { SocketModerationRealtime, type JoinRefusal, type ModerationSocket } from './moderation-realtime.js';

/** A socket of `connectSocket`, driven by the test. */
class FakeSocket implements ModerationSocket {
  readonly joins: unknown[] = [];
  closes = 0;
  reconnects = 0;
  private readonly handlers = new Map<string, ((...args: unknown[]) => void)[]>();
  private pendingAcks: ((reply: JoinModerationReply | Error) => void)[] = [];

  on(event: string, handler: (...args: never[]) => void): void {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler as (...args: unknown[]) => void]);
  }

  emitWithAck(event: string, payload: unknown): Promise<never> {
    this.joins.push({ event, payload });
    return new Promise((resolve, reject) => this.pendingAcks.push((reply) => (reply instanceof Error ? reject(reply) : resolve(reply as never))));
  }

  reconnect(): void {
    this.reconnects += 1;
  }

  close(): void {
    this.closes += 1;
  }

  /** The server side: fires an event at the client. */
  fire(event: string, ...args: unknown[]): void {
    for (const handler of this.handlers.get(event) ?? []) handler(...args);
  }

  /** Answers the oldest join. */
  answer(reply: JoinModerationReply | Error): void {
    this.pendingAcks.shift()?.(reply);
  }
}

describe('SocketModerationRealtime', () => {
  let socket: FakeSocket;
  let servers: string[];
  let statuses: ConnectionStatus[];
  let changes: ModerationChangedEvent[];
  let refusals: JoinRefusal[];
  let unsubscribe: () => void;

  beforeEach(async () => {
    socket = new FakeSocket();
    servers = [];
    statuses = [];
    changes = [];
    refusals = [];
    const realtime = new SocketModerationRealtime('http://parley.test', (server) => {
      servers.push(server);
      return socket;
    });
    unsubscribe = realtime.subscribe('default', 'token-1', {
      onChange: (event) => changes.push(event),
      onStatus: (status) => statuses.push(status),
      onRefused: (error) => refusals.push(error),
    });
    await waitUntil(() => servers.length === 1, 'the socket should open');
  });

  afterEach(() => unsubscribe());

  it('joins the moderation room with the site and token on connect, and is online once accepted', async () => {
    socket.fire('connect');
    socket.answer({ ok: true });

    await waitUntil(() => statuses.includes('online'));
    expect(servers).to.deep.equal(['http://parley.test']);
    expect(socket.joins).to.deep.equal([{ event: 'moderation:join', payload: { site: 'default', token: 'token-1' } }]);
    expect(statuses).to.deep.equal(['connecting', 'online']);
  });

  it('passes on moderation:changed of its site only', async () => {
    socket.fire('connect');
    socket.answer({ ok: true });

    socket.fire('moderation:changed', { site: 'elsewhere', change: 'reported', commentId: '1' });
    socket.fire('moderation:changed', null);
    socket.fire('moderation:changed', { site: 'default', change: 'held', commentId: '2' });

    expect(changes).to.deep.equal([{ site: 'default', change: 'held', commentId: '2' }]);
  });

  it('goes offline on disconnect and joins again on reconnect', async () => {
    socket.fire('connect');
    socket.answer({ ok: true });
    await waitUntil(() => statuses.includes('online'));

    socket.fire('disconnect');
    socket.fire('connect');
    socket.answer({ ok: true });

    await waitUntil(() => statuses.length === 4);
    expect(statuses).to.deep.equal(['connecting', 'online', 'offline', 'online']);
    expect(socket.joins).to.have.length(2);
  });

  it('reports a refusal once and stops', async () => {
    socket.fire('connect');
    socket.answer({ ok: false, error: { code: 'forbidden', message: 'You are not allowed to do that.' } });

    await waitUntil(() => refusals.length === 1);
    expect(refusals).to.deep.equal([{ code: 'forbidden', message: 'You are not allowed to do that.' }]);
    expect(socket.closes).to.equal(1);
    socket.fire('disconnect');
    expect(statuses).to.deep.equal(['connecting']);
  });

  it('starts over when a join gets no answer', async () => {
    socket.fire('connect');
    socket.answer(new Error('operation has timed out'));

    await waitUntil(() => socket.reconnects === 1);
    expect(socket.closes).to.equal(0);
  });

  it('closes the socket on unsubscribe', () => {
    unsubscribe();

    expect(socket.closes).to.equal(1);
  });
});

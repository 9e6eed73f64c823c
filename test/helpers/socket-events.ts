import type { Page } from 'playwright-core';

/** One socket.io packet a page received: an event (`name`) or the reply to one of its own (`ack`). */
export interface SocketEvent {
  name: string;
  payload: unknown;
}

/**
 * Records, in order, every socket.io event and reply the page receives over
 * WebSocket (the transport the widget tries first). Attach it before the page
 * loads (`beforeLoad`). What never reached a reader's browser, the reader
 * cannot have seen: this turns "B never sees it" into a fact to check rather
 * than a moment to wait for.
 */
export function recordSocketEvents(page: Page): SocketEvent[] {
  const events: SocketEvent[] = [];
  page.on('websocket', (socket) => {
    socket.on('framereceived', ({ payload }) => {
      if (typeof payload !== 'string') return;
      // Engine.io "4" (message), then socket.io "2" (event) or "3" (ack) with an optional ack id, then JSON.
      const packet = /^4([23])\d*(\[.*)$/s.exec(payload);
      if (!packet) return;
      const body = JSON.parse(packet[2]!) as unknown[];
      if (packet[1] === '2') events.push({ name: String(body[0]), payload: body[1] });
      else events.push({ name: 'ack', payload: body });
    });
  });
  return events;
}

/** The part of a page event these journeys look at. */
export interface PageEventSummary {
  type: string;
  seq: number;
  /** The comment a `comment:created` or `comment:updated` carries. */
  comment?: { id: string; status: string };
  /** The comment a `comment:deleted` names. */
  id?: string;
}

/**
 * The page events among the recorded packets, whether they arrived live or
 * replayed in the reply to a `page:join` (`missed`), that concern comment `id`.
 */
export function pageEventsAbout(events: readonly SocketEvent[], id: string): PageEventSummary[] {
  const pageEvents = events.flatMap((event): unknown[] => {
    if (event.name !== 'ack') return [event.payload];
    const [reply] = event.payload as [{ missed?: unknown[] } | undefined];
    return reply?.missed ?? [];
  });
  return pageEvents.filter((event): event is PageEventSummary => {
    const candidate = event as Partial<PageEventSummary> | null;
    if (!candidate || typeof candidate.type !== 'string') return false;
    return candidate.comment?.id === id || (candidate.type === 'comment:deleted' && candidate.id === id);
  });
}

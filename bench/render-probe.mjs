/**
 * What bench/render.mjs installs in the host page before any of its scripts
 * run (Playwright's addInitScript serialises `installProbe`, so it must not
 * use anything from this module's scope). On the page's own clock it times:
 *
 * - each thread request the widget makes (`GET …/api/comments?…`): when its
 *   bytes arrived (Resource Timing `responseEnd`), when its JSON was parsed,
 *   the first frame after that painted, and when the last comment element it
 *   made the widget render has painted (see `timeRender`);
 * - each live `comment:created` message on the widget's WebSocket, the same way;
 * - when a permalink's comment takes focus;
 * - frame times while it scrolls the page to the bottom.
 *
 * Holding: `__renderProbe.hold()` makes the next thread request wait for
 * `release()`, so the bench can start a trace before the data is asked for.
 */
export function installProbe() {
  const probe = {
    /** One entry per thread request or live message, in order. */
    arrivals: [],
    held: false,
    /** The widget has joined the page's live room. */
    joined: false,
    holdNext: null,
    waiters: [],
  };
  window.__renderProbe = probe;

  const settle = () => {
    for (const waiter of [...probe.waiters]) waiter();
  };

  // Counts the updates (renders) of <parley-comment> elements: wraps `updated`, which Lit calls after each.
  probe.commentUpdates = 0;
  probe.lastCommentUpdateAt = 0;
  const define = CustomElementRegistry.prototype.define;
  CustomElementRegistry.prototype.define = function defineWithProbe(name, constructor, options) {
    if (name === 'parley-comment') {
      const updated = constructor.prototype.updated;
      constructor.prototype.updated = function updatedWithProbe(...args) {
        probe.commentUpdates++;
        probe.lastCommentUpdateAt = performance.now();
        return updated.apply(this, args);
      };
    }
    return define.call(this, name, constructor, options);
  };

  /**
   * Times what an arrival makes the widget render. The first animation frame
   * after it starts once the task that rendered it (Lit renders in that task's
   * microtasks) is done; a task queued from a frame runs once that frame has
   * painted. A widget that spreads rendering over several frames keeps
   * updating comments in the frames after: rendering is over at the first two
   * frames in a row without a comment update, and "all painted" is the paint
   * of the frame after the last update.
   */
  function timeRender(arrival) {
    const paints = [];
    let seen = probe.commentUpdates;
    arrival.updatesAtArrival = seen;
    let quiet = 0;
    const frame = () => {
      const first = arrival.frameAt === undefined;
      if (first) arrival.frameAt = performance.now();
      setTimeout(() => {
        paints.push(performance.now());
        if (first) arrival.paintedAt = paints[0];
      }, 0);
      quiet = !first && probe.commentUpdates === seen ? quiet + 1 : 0;
      seen = probe.commentUpdates;
      if (quiet < 2) {
        requestAnimationFrame(frame);
        return;
      }
      // This frame's paint task is queued after the earlier frames' ones.
      setTimeout(() => {
        const last = probe.lastCommentUpdateAt;
        arrival.updates = probe.commentUpdates - arrival.updatesAtArrival;
        arrival.allPaintedAt = last < arrival.parsedAt ? arrival.paintedAt : paints.find((t) => t > last);
        arrival.done = true;
        settle();
      }, 0);
    };
    requestAnimationFrame(frame);
  }

  probe.hold = () => {
    let release;
    probe.holdNext = new Promise((resolve) => (release = resolve));
    probe.release = () => release();
  };

  /** Resolves with arrival `index` once all it brought has painted. */
  probe.painted = (index) =>
    new Promise((resolve) => {
      const check = () => {
        const arrival = probe.arrivals[index];
        if (!arrival?.done) return;
        probe.waiters.splice(probe.waiters.indexOf(check), 1);
        resolve(arrival);
      };
      probe.waiters.push(check);
      check();
    });

  const realFetch = window.fetch;
  window.fetch = async function fetchWithProbe(input, init) {
    const url = typeof input === 'string' ? input : input instanceof Request ? input.url : String(input);
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    if (method !== 'GET' || !/\/api\/comments\?/.test(url)) return realFetch.call(this, input, init);
    const arrival = { kind: 'thread', url, requestedAt: performance.now() };
    probe.arrivals.push(arrival);
    if (probe.holdNext) {
      const wait = probe.holdNext;
      probe.holdNext = null;
      probe.held = true;
      settle();
      await wait;
      arrival.requestedAt = performance.now();
    }
    const response = await realFetch.call(this, input, init);
    const parse = response.json.bind(response);
    response.json = () =>
      parse().then((value) => {
        arrival.parsedAt = performance.now();
        arrival.comments = Array.isArray(value?.comments) ? value.comments.length : 0;
        const timing = performance.getEntriesByName(response.url || url, 'resource').at(-1);
        arrival.arrivedAt = timing ? timing.responseEnd : arrival.parsedAt;
        timeRender(arrival);
        return value;
      });
    return response;
  };

  // socket.io's engine sets `onmessage` after construction; a listener added here runs before it.
  // Its frames: `42[…]` an event, `43[…]` the answer to one (here, to joining the page's room).
  const RealWebSocket = window.WebSocket;
  window.WebSocket = class extends RealWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        if (typeof event.data !== 'string') return;
        if (event.data.startsWith('43') && event.data.includes('"ok":true')) probe.joined = true;
        if (!event.data.startsWith('42') || !event.data.includes('"comment:created"')) return;
        const now = performance.now();
        const arrival = { kind: 'live', arrivedAt: now, parsedAt: now, comments: 1 };
        probe.arrivals.push(arrival);
        timeRender(arrival);
      });
    }
  };

  // A permalink: the widget focuses the comment's article once it has scrolled it into view.
  window.addEventListener('focusin', () => {
    if (probe.focusedAt === undefined && location.hash.startsWith('#parley-comment-')) {
      probe.focusedAt = performance.now();
      settle();
    }
  });

  /** Resolves once a permalink's comment has taken focus, with how many thread requests it took. */
  probe.focused = () =>
    new Promise((resolve) => {
      const check = () => {
        if (probe.focusedAt === undefined) return;
        probe.waiters.splice(probe.waiters.indexOf(check), 1);
        const threads = probe.arrivals.filter((a) => a.kind === 'thread');
        resolve({ focusedAt: probe.focusedAt, firstArrivedAt: threads[0].arrivedAt, pages: threads.length });
      };
      probe.waiters.push(check);
      check();
    });

  /** The id of the comment whose article has focus, through the shadow roots. */
  probe.focusedCommentId = () => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active?.dataset?.commentId ?? null;
  };

  /** Every comment the reader can see: one `<article data-comment-id>` per comment, through the shadow roots. */
  probe.countRendered = () => {
    let count = 0;
    const walk = (root) => {
      for (const element of root.querySelectorAll('parley-comments, parley-thread, parley-comment')) {
        const shadow = element.shadowRoot;
        if (!shadow) continue;
        if (element.localName === 'parley-comment' && shadow.querySelector('.comment > article[data-comment-id]')) count++;
        walk(shadow);
      }
    };
    walk(document);
    return count;
  };

  /**
   * Scrolls from the top to the bottom, `step` pixels a frame, and returns the
   * time between frames (rAF timestamps).
   */
  probe.scrollThrough = (step) =>
    new Promise((resolve) => {
      window.scrollTo(0, 0);
      const gaps = [];
      const startedAt = performance.now();
      let last;
      const frame = (now) => {
        if (last !== undefined) gaps.push(now - last);
        last = now;
        const bottom = document.documentElement.scrollHeight - window.innerHeight;
        if (window.scrollY >= bottom - 1) {
          const endedAt = performance.now();
          resolve({
            gaps,
            startedAt,
            endedAt,
            height: document.documentElement.scrollHeight,
          });
          return;
        }
        window.scrollBy(0, step);
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
}

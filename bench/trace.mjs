/**
 * Where the renderer's main thread spent a stretch of time, from a Chromium
 * trace (Playwright's browser.startTracing / stopTracing), grouped the way
 * DevTools' Performance panel groups it: scripting, rendering (style and
 * layout), painting, other.
 *
 * Why a trace and not CDP `Performance.getMetrics`: its `ScriptDuration`
 * counts script run from a task's entry point (an event handler, a timer) but
 * not promise callbacks run from the microtask checkpoint, and Lit renders in
 * microtasks, so it missed most of the widget's work (12 ms against 70 ms for
 * the same 81 comments, in the first try of this bench).
 */

/** The trace categories needed here; `disabled-by-default-devtools.timeline` adds Layout, Paint and friends. */
export const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing', 'toplevel'];

const SCRIPTING = new Set([
  'EvaluateScript',
  'v8.evaluateModule',
  'v8.compile',
  'v8.compileModule',
  'v8.produceCache',
  'FunctionCall',
  'RunMicrotasks',
  'TimerFire',
  'FireAnimationFrame',
  'FireIdleCallback',
  'EventDispatch',
  'XHRReadyStateChange',
  'XHRLoad',
  'v8.run',
  'v8.callFunction',
  'V8.Execute',
  'MinorGC',
  'MajorGC',
  'BlinkGC.AtomicPhase',
  'ThreadState::performIdleLazySweep',
  'ThreadState::completeSweep',
  'GCEvent',
  'MajorGCEvent',
  'MinorGCEvent',
  'CppGC.AtomicMark',
  'V8.GCScavenger',
  'V8.GC_MARK_COMPACTOR',
]);
const RENDERING = new Set([
  'UpdateLayoutTree',
  'RecalculateStyles',
  'Layout',
  'UpdateLayerTree',
  'PrePaint',
  'Layerize',
  'HitTest',
  'ScrollLayer',
  'IntersectionObserverController::computeIntersections',
  'ComputeIntersections',
]);
const PAINTING = new Set(['Paint', 'PaintImage', 'Commit', 'CompositeLayers', 'UpdateLayer', 'Decode Image', 'DecodeImage', 'PaintSetup', 'RasterTask']);

function categoryOf(name) {
  if (SCRIPTING.has(name) || name.startsWith('V8.GC') || name.startsWith('BlinkGC')) return 'scripting';
  if (RENDERING.has(name)) return 'rendering';
  if (PAINTING.has(name)) return 'painting';
  if (name === 'ParseHTML' || name === 'ParseAuthorStyleSheet') return 'loading';
  return null;
}

/** Complete intervals ({ name, start, end } in µs) of one thread, from X events and B/E pairs. */
function intervals(events, pid, tid) {
  const out = [];
  const open = [];
  for (const e of events) {
    if (e.pid !== pid || e.tid !== tid) continue;
    if (e.ph === 'X' && typeof e.dur === 'number') out.push({ name: e.name, start: e.ts, end: e.ts + e.dur });
    else if (e.ph === 'B') open.push(e);
    else if (e.ph === 'E') {
      const begin = open.pop();
      if (begin) out.push({ name: begin.name, start: begin.ts, end: e.ts });
    }
  }
  return out.sort((a, b) => a.start - b.start || b.end - a.end);
}

/**
 * Parses a trace and finds the page's renderer main thread by the user-timing
 * mark `syncMark` (set by the page, whose `performance.now()` time was
 * `syncPageMs`). Returns a function giving the time per group (ms) between two
 * page times.
 */
export function traceBreakdown(buffer, { syncMark, syncPageMs }) {
  const parsed = JSON.parse(buffer.toString('utf8'));
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const mark = events.find((e) => e.name === syncMark && e.cat?.includes('blink.user_timing'));
  if (!mark) throw new Error(`trace has no mark ${syncMark}`);
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === mark.pid && e.args?.name === 'CrRendererMain');
  const tid = main ? main.tid : mark.tid;
  const offsetUs = mark.ts - syncPageMs * 1000;
  const spans = intervals(events, mark.pid, tid);
  const tasks = spans.filter((s) => s.name === 'ThreadControllerImpl::RunTask' || s.name === 'RunTask');

  /**
   * Self time of every event, grouped by its name's category, or by its
   * nearest categorised ancestor's, clipped to [fromMs, toMs] (page clock).
   */
  /** Self time per group (µs) of the events within [from, to] (trace clock, µs). */
  function grouped(from, to) {
    const totals = { scripting: 0, rendering: 0, painting: 0, loading: 0, other: 0 };
    const stack = [];
    const clip = (s) => Math.max(0, Math.min(s.end, to) - Math.max(s.start, from));
    const close = (until) => {
      while (stack.length && stack.at(-1).span.end <= until) {
        const { span, childTime, category } = stack.pop();
        const self = Math.max(0, clip(span) - childTime);
        totals[category ?? 'other'] += self;
        if (stack.length) stack.at(-1).childTime += clip(span);
      }
    };
    for (const span of spans) {
      if (span.end < from || span.start > to) continue;
      close(span.start);
      const inherited = stack.length ? stack.at(-1).category : null;
      stack.push({ span, childTime: 0, category: categoryOf(span.name) ?? inherited });
    }
    close(Infinity);
    const ms = (us) => Math.round(us) / 1000;
    return { scripting: ms(totals.scripting), rendering: ms(totals.rendering), painting: ms(totals.painting), other: ms(totals.other + totals.loading) };
  }

  /**
   * Self time of every event, grouped by its name's category, or by its
   * nearest categorised ancestor's, clipped to [fromMs, toMs] (page clock);
   * and the longest task overlapping that stretch, with what it was made of.
   */
  return function between(fromMs, toMs) {
    const from = fromMs * 1000 + offsetUs;
    const to = toMs * 1000 + offsetUs;
    const overlapping = tasks.filter((t) => t.end >= from && t.start <= to);
    const longest = overlapping.reduce((max, t) => (!max || t.end - t.start > max.end - max.start ? t : max), null);
    return {
      ...grouped(from, to),
      /** The longest task on the main thread that overlaps the stretch, whole (not clipped). */
      longestTask: longest ? (longest.end - longest.start) / 1000 : 0,
      longestTaskMadeOf: longest ? grouped(longest.start, longest.end) : null,
      /** Tasks over 50 ms, the Long Tasks API's threshold. */
      longTasks: overlapping.filter((t) => t.end - t.start > 50_000).length,
    };
  };
}

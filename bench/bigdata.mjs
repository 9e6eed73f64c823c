#!/usr/bin/env node
/**
 * `pnpm bench:bigdata`: Parley on a big database. Generates 1,000,000
 * comments over 10,000 pages into a temporary SQLite file with the server's
 * own schema (its migrations, run by its own store), starts `parley serve` on
 * it, and measures with autocannon what a reader's browser asks for first:
 *
 * - the first screen of a thread, exactly the widget's first request
 *   (`GET /api/comments?site=…&page=…&sort=oldest&limit=20`), with the
 *   server's rendered cache warm and cold;
 * - the counts of 50 pages in one request (`GET /api/counts`, what a page of
 *   `<parley-count>` elements sends).
 *
 * Knobs (environment): BENCH_BIG_COMMENTS (1000000), BENCH_BIG_PAGES (10000),
 * BENCH_BIG_USERS (500), BENCH_SECONDS (5, per measured run),
 * BENCH_BIG_CONNECTIONS (8, besides the single-connection runs),
 * BENCH_BIG_SEED (1), BENCH_BIG_DB (a path: keep the database there, and reuse
 * it on the next run when the knobs match). Never part of `pnpm test`.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { treeCpuMs, treeRssMiB } from './measure.mjs';
import { HOST, freePort, request, startServer, stopServer } from './servers.mjs';
import { mulberry32 } from './stats.mjs';

const bench = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(bench, '..');
const serverRequire = createRequire(path.join(root, 'packages/server/package.json'));

const SITE = 'default';
/** The server's default event retention (PARLEY_EVENT_RETENTION), which the generated events follow. */
const RETENTION = 1000;
/** What the widget asks for first: `ThreadState.load` with the widget's defaults. */
const FIRST_SCREEN = { sort: 'oldest', limit: 20 };
const COUNTS_PER_REQUEST = 50;

const settings = {
  comments: int('BENCH_BIG_COMMENTS', 1_000_000, 1_000, 50_000_000),
  pages: int('BENCH_BIG_PAGES', 10_000, 10, 5_000_000),
  users: int('BENCH_BIG_USERS', 500, 2, 1_000_000),
  seconds: int('BENCH_SECONDS', 5, 1, 600),
  connections: int('BENCH_BIG_CONNECTIONS', 8, 2, 1_000),
  seed: int('BENCH_BIG_SEED', 1, 0, 2 ** 31 - 1),
  db: process.env.BENCH_BIG_DB ? path.resolve(process.env.BENCH_BIG_DB) : null,
};

if (settings.comments < settings.pages) throw new Error('BENCH_BIG_COMMENTS must be at least BENCH_BIG_PAGES: every page has a comment');

function int(name, fallback, min, max) {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max}`);
  return value;
}

// ----- Randomness, reproducible from BENCH_BIG_SEED (mulberry32, from stats.mjs) -----

function shuffle(array, random) {
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [array[i], array[j]] = [array[j], array[i]];
  }
  return array;
}

/** The standard normal quantile (Acklam's approximation), for a deterministic log-normal spread. */
function probit(p) {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q) => (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/**
 * Comments per page, most first: log-normal (σ 1.2), at least one each,
 * adding up to `total`. With the defaults: about 5,200 on the busiest page,
 * 59 pages with over 1,000, a median of 49 and a tenth of pages with 10 or fewer.
 */
function pageSizes(pages, total) {
  const weights = Array.from({ length: pages }, (_, rank) => Math.exp(1.2 * probit(1 - (rank + 0.5) / pages)));
  const sum = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.max(1, Math.floor((w / sum) * total)));
  // Hand out what rounding left over (or take back what the minimum of one added), busiest first.
  let rest = total - sizes.reduce((a, b) => a + b, 0);
  for (let rank = 0; rest !== 0; rank = (rank + 1) % pages) {
    if (rest > 0) {
      sizes[rank]++;
      rest--;
    } else if (sizes[rank] > 1) {
      sizes[rank]--;
      rest++;
    }
  }
  return sizes;
}

// ----- Comment bodies -----

const WORDS = (
  'the a this that it is was not but and or so because really think agree point article data price market model cloud ' +
  'company deal partner growth revenue customers users open source server latency privacy regulators competition years ' +
  'months week today interesting good bad wrong right exactly maybe probably never always better worse cheaper faster ' +
  'slower risk bet strategy exclusive access platform contract investors engineers product launch source read again ' +
  'numbers chart graph comment reply question answer explain why how what when where who which long short term'
).split(' ');

/** A markdown comment of 1 to 4 paragraphs, now and then with emphasis, a link, a quote or a list. */
function commentSource(random) {
  const sentence = () => {
    const length = 6 + Math.floor(random() * 18);
    const words = Array.from({ length }, () => WORDS[Math.floor(random() * WORDS.length)]);
    if (random() < 0.15) words[1] = `*${words[1]}*`;
    if (random() < 0.08) words[3] = `**${words[3]}**`;
    if (random() < 0.05) words.push(`https://example.com/${Math.floor(random() * 1e6)}`);
    const text = words.join(' ');
    return text.charAt(0).toUpperCase() + text.slice(1) + (random() < 0.15 ? '?' : '.');
  };
  const paragraphs = [];
  const count = 1 + Math.floor(random() ** 2 * 4);
  for (let p = 0; p < count; p++) {
    const sentences = Array.from({ length: 1 + Math.floor(random() * 3) }, sentence).join(' ');
    const kind = random();
    paragraphs.push(kind < 0.05 ? `> ${sentences}` : kind < 0.08 ? `- ${sentence()}\n- ${sentence()}` : sentences);
  }
  return paragraphs.join('\n\n');
}

// ----- Generation -----

/**
 * Writes the big database: the server's own store creates the file (its
 * migrations, the default site), then the rows go in with plain SQL, in large
 * transactions, shaped as the store would have written them one by one.
 */
async function generate(file, render) {
  const started = performance.now();
  const { comments: N, pages: P, users: U } = settings;
  const random = mulberry32(settings.seed);

  const bodies = Array.from({ length: 4_000 }, () => {
    const source = commentSource(random);
    return { source, html: render(source) };
  });

  // Pages: sizes by rank, ranks shuffled over page ids so the busy ones are not all first.
  const sizes = pageSizes(P, N);
  const rankOfPage = shuffle(Array.from({ length: P }, (_, i) => i), random);
  const sizeOf = new Int32Array(P);
  for (let page = 0; page < P; page++) sizeOf[page] = sizes[rankOfPage[page]];

  // A year of articles; each page's comments come in the days after it is published.
  const YEAR_MS = 365 * 86_400_000;
  const start = Date.parse('2025-01-01T00:00:00.000Z');
  const publishedAt = Float64Array.from({ length: P }, () => start + random() * YEAR_MS);
  const timeOf = new Float64Array(N);
  const pageOfSlot = new Int32Array(N);
  for (let page = 0, slot = 0; page < P; page++) {
    for (let k = 0; k < sizeOf[page]; k++, slot++) {
      pageOfSlot[slot] = page;
      timeOf[slot] = publishedAt[page] + -Math.log(1 - random()) * 2 * 86_400_000;
    }
  }
  // Ids follow time, as AUTOINCREMENT does: the pages' comments interleave.
  const order = Uint32Array.from({ length: N }, (_, i) => i).sort((a, b) => timeOf[a] - timeOf[b]);

  const pageOf = new Int32Array(N);
  const parentOf = new Int32Array(N).fill(-1);
  const rootOf = new Int32Array(N).fill(-1);
  const depthOf = new Uint8Array(N);
  const authorOf = new Int32Array(N);
  const bodyOf = new Int32Array(N);
  const createdAt = new Float64Array(N);
  /** 0 approved, 1 pending (held), 2 removed by a moderator. */
  const moderationOf = new Uint8Array(N);
  const deleted = new Uint8Array(N);
  const hidden = new Uint8Array(N);
  const shownChildren = new Int32Array(N);
  const createdSeq = new Int32Array(N);
  const createdCount = new Int32Array(N);
  const pageSeq = new Int32Array(P);
  const pageCount = new Int32Array(P);
  const firstAt = new Float64Array(P).fill(Infinity);
  /** Per page, the comments a reader can reply to (shown, published, approved, not too deep). */
  const repliable = Array.from({ length: P }, () => []);
  const MAX_DEPTH = 5;

  for (let id = 0; id < N; id++) {
    const slot = order[id];
    const page = pageOfSlot[slot];
    pageOf[id] = page;
    createdAt[id] = timeOf[slot];
    if (firstAt[page] === Infinity) firstAt[page] = timeOf[slot];
    // Several hundred readers, some far more talkative than others.
    authorOf[id] = 1 + Math.floor(random() ** 2 * U);
    bodyOf[id] = Math.floor(random() * bodies.length);
    const candidates = repliable[page];
    if (candidates.length && random() < 0.6) {
      const parent = candidates[Math.floor(random() * candidates.length)];
      parentOf[id] = parent;
      rootOf[id] = rootOf[parent] === -1 ? parent : rootOf[parent];
      depthOf[id] = depthOf[parent] + 1;
    }
    if (random() < 0.02) {
      // Held for review: hidden, no event, not counted, and nobody can reply to it.
      moderationOf[id] = 1;
      hidden[id] = 1;
      continue;
    }
    pageSeq[page]++;
    pageCount[page]++;
    createdSeq[id] = pageSeq[page];
    createdCount[id] = pageCount[page];
    if (parentOf[id] !== -1) shownChildren[parentOf[id]]++;
    if (depthOf[id] < MAX_DEPTH) candidates.push(id);
  }

  // Later, some comments are removed by a moderator or deleted by their author:
  // children before parents, so a parent sees its children's final state and
  // stays (as a placeholder) while one of them is shown, as changeComment does.
  const removals = [];
  const endOfYear = start + YEAR_MS + 30 * 86_400_000;
  for (let id = N - 1; id >= 0; id--) {
    if (moderationOf[id] !== 0) continue;
    const roll = random();
    if (roll >= 0.025) continue;
    const page = pageOf[id];
    if (roll < 0.015) moderationOf[id] = 2;
    else deleted[id] = 1;
    const keptForReplies = shownChildren[id] > 0;
    if (!keptForReplies) {
      hidden[id] = 1;
      if (parentOf[id] !== -1) shownChildren[parentOf[id]]--;
    }
    pageSeq[page]++;
    pageCount[page]--;
    removals.push({ id, page, seq: pageSeq[page], count: pageCount[page], at: endOfYear + removals.length * 1000, keptForReplies });
  }

  const iso = (ms) => new Date(ms).toISOString();
  const keyOf = (page) => {
    const day = iso(publishedAt[page]).slice(0, 10).replaceAll('-', '/');
    return `/${day}/story-${page + 1}`;
  };
  const names = ['Ada', 'Grace', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Dennis', 'Frances', 'Alan', 'Radia', 'Tim', 'Hedy'];
  const nameOf = (user) => `${names[user % names.length]} ${user}`;
  const statusOf = (id) => (deleted[id] ? 'deleted' : moderationOf[id] === 2 ? 'removed' : moderationOf[id] === 1 ? 'pending' : 'published');
  /** The comment as readers see it, and as the store's events carry it (scrubbed once removed or deleted). */
  const publicComment = (id) => {
    const status = statusOf(id);
    const shown = status === 'published';
    return {
      id: String(id + 1),
      parentId: parentOf[id] === -1 ? null : String(parentOf[id] + 1),
      author: shown ? { id: String(authorOf[id]), name: nameOf(authorOf[id]) } : null,
      html: shown ? bodies[bodyOf[id]].html : '',
      status,
      createdAt: iso(createdAt[id]),
      editedAt: null,
      pinned: false,
    };
  };

  const Database = serverRequire('better-sqlite3');
  const db = new Database(file);
  // Bulk load: no journal, no fsync; the server reopens it in WAL with synchronous FULL.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -524288');
  const inBatches = (rows, size, insert) => {
    const tx = db.transaction((from, to) => {
      for (let i = from; i < to; i++) insert(i);
    });
    for (let from = 0; from < rows; from += size) tx(from, Math.min(rows, from + size));
  };

  const insertUser = db.prepare('INSERT INTO users (id, email, email_norm, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  inBatches(U, 50_000, (i) => {
    const email = `reader${i + 1}@bench.invalid`;
    // No one signs in as these users; an empty hash matches no password.
    insertUser.run(i + 1, email, email, nameOf(i + 1), '', iso(start - 86_400_000));
  });

  const insertPage = db.prepare(
    'INSERT INTO pages (id, site_id, key, url, title, seq, comment_count, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  inBatches(P, 50_000, (page) => {
    const key = keyOf(page);
    insertPage.run(page + 1, SITE, key, `https://news.example.com${key}`, `Story ${page + 1}`, pageSeq[page], pageCount[page], iso(firstAt[page]));
  });

  const insertComment = db.prepare(
    `INSERT INTO comments (id, site_id, page_id, parent_id, root_id, depth, author_id, source, html, status, moderation,
       held_reason, removed_reason, hidden, created_at, edited_at, deleted_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`,
  );
  const removedAt = new Map(removals.map((r) => [r.id, iso(r.at)]));
  inBatches(N, 50_000, (id) => {
    const body = bodies[bodyOf[id]];
    const gone = deleted[id] === 1;
    insertComment.run(
      id + 1,
      SITE,
      pageOf[id] + 1,
      parentOf[id] === -1 ? null : parentOf[id] + 1,
      rootOf[id] === -1 ? null : rootOf[id] + 1,
      depthOf[id],
      authorOf[id],
      gone ? '' : body.source,
      gone ? '' : body.html,
      gone ? 'deleted' : 'published',
      ['approved', 'pending', 'removed'][moderationOf[id]],
      moderationOf[id] === 1 ? 'Pre-moderation: new commenter' : null,
      moderationOf[id] === 2 ? 'Spam' : null,
      hidden[id],
      iso(createdAt[id]),
      gone ? removedAt.get(id) : null,
    );
  });

  // The events a reconnecting reader could still be sent: the last RETENTION of each page.
  const events = [];
  for (let id = 0; id < N; id++) {
    if (createdSeq[id] > pageSeq[pageOf[id]] - RETENTION && createdSeq[id] > 0) events.push({ page: pageOf[id], seq: createdSeq[id], id, kind: 'created' });
  }
  for (const removal of removals) if (removal.seq > pageSeq[removal.page] - RETENTION) events.push({ ...removal, kind: 'removal' });
  events.sort((a, b) => a.page - b.page || a.seq - b.seq);
  const insertEvent = db.prepare('INSERT INTO page_events (page_id, seq, payload, created_at) VALUES (?, ?, ?, ?)');
  inBatches(events.length, 50_000, (i) => {
    const event = events[i];
    const base = { site: SITE, page: keyOf(event.page), seq: event.seq };
    let payload;
    if (event.kind === 'created') {
      payload = { type: 'comment:created', ...base, count: createdCount[event.id], comment: publicComment(event.id) };
    } else if (moderationOf[event.id] === 2 && event.keptForReplies) {
      payload = { type: 'comment:updated', ...base, count: event.count, comment: publicComment(event.id) };
    } else {
      payload = { type: 'comment:deleted', ...base, count: event.count, id: String(event.id + 1), mode: deleted[event.id] && event.keptForReplies ? 'tombstoned' : 'removed' };
    }
    insertEvent.run(event.page + 1, event.seq, JSON.stringify(payload), event.kind === 'created' ? iso(createdAt[event.id]) : iso(event.at));
  });

  db.pragma('journal_mode = WAL');
  db.close();
  const byRank = [...Array(P).keys()].sort((a, b) => sizeOf[b] - sizeOf[a]);
  return {
    seconds: (performance.now() - started) / 1000,
    pages: Array.from({ length: P }, (_, page) => ({ key: keyOf(page), comments: sizeOf[page] })),
    hottest: byRank.slice(0, 50).map(keyOf),
    events: events.length,
    held: moderationOf.reduce((n, m) => n + (m === 1 ? 1 : 0), 0),
    removed: removals.length,
  };
}

/** The page keys and sizes of a database made earlier (BENCH_BIG_DB reused). */
function describe(file) {
  const Database = serverRequire('better-sqlite3');
  const db = new Database(file, { readonly: true });
  try {
    const sizes = new Map(db.prepare('SELECT page_id, count(*) FROM comments GROUP BY page_id').raw().all());
    const pages = db
      .prepare('SELECT id, key FROM pages WHERE site_id = ? ORDER BY id')
      .all(SITE)
      .map((p) => ({ key: p.key, comments: sizes.get(p.id) ?? 0 }));
    const hottest = [...pages].sort((a, b) => b.comments - a.comments).slice(0, 50).map((p) => p.key);
    return { seconds: 0, pages, hottest, reused: true };
  } finally {
    db.close();
  }
}

/**
 * Checks the invariants the store keeps, over the whole database: a comment
 * is shown (hidden = 0) exactly when it is published and approved or has a
 * shown reply; a page's count is its published, approved comments; its `seq`
 * is its last event's.
 */
function verifyDatabase(file) {
  const Database = serverRequire('better-sqlite3');
  const db = new Database(file, { readonly: true });
  try {
    const wrongHidden = db
      .prepare(
        `SELECT count(*) FROM comments c WHERE c.hidden <> CASE WHEN (c.status = 'published' AND c.moderation = 'approved')
           OR EXISTS (SELECT 1 FROM comments k WHERE k.parent_id = c.id AND k.hidden = 0) THEN 0 ELSE 1 END`,
      )
      .pluck()
      .get();
    const counted = new Map(
      db
        .prepare(`SELECT page_id, count(*) AS n FROM comments WHERE status = 'published' AND moderation = 'approved' GROUP BY page_id`)
        .raw()
        .all(),
    );
    const lastEvent = new Map(db.prepare('SELECT page_id, max(seq) FROM page_events GROUP BY page_id').raw().all());
    let wrongCounts = 0;
    let wrongSeqs = 0;
    for (const [id, count, seq] of db.prepare('SELECT id, comment_count, seq FROM pages').raw().all()) {
      if ((counted.get(id) ?? 0) !== count) wrongCounts++;
      if ((lastEvent.get(id) ?? 0) !== seq) wrongSeqs++;
    }
    if (wrongHidden || wrongCounts || wrongSeqs) {
      throw new Error(`generated data is inconsistent: ${wrongHidden} hidden flags, ${wrongCounts} page counts, ${wrongSeqs} page seqs`);
    }
  } finally {
    db.close();
  }
}

/**
 * A session for the user with the most comments, written to the database as
 * a sign-in would (the generated users have no password): a signed-in read
 * is never cached, and it also looks up the reader's own held comments.
 */
function signInBusiestReader(file) {
  const Database = serverRequire('better-sqlite3');
  const db = new Database(file);
  try {
    const [userId, comments] = db.prepare('SELECT author_id, count(*) FROM comments GROUP BY author_id ORDER BY 2 DESC LIMIT 1').raw().get();
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    db.prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(
      createHash('sha256').update(token).digest('hex'),
      userId,
      now.toISOString(),
      new Date(now.getTime() + 86_400_000).toISOString(),
    );
    return { userId, comments, token };
  } finally {
    db.close();
  }
}

// ----- Measuring -----

async function loadAutocannon() {
  if (!fs.existsSync(path.join(bench, 'node_modules/autocannon/package.json'))) {
    console.log('Installing bench dependencies (npm install --prefix bench)…');
    execFileSync('npm', ['install', '--prefix', bench, '--no-audit', '--no-fund', '--no-package-lock'], { stdio: 'inherit', timeout: 5 * 60_000 });
  }
  return createRequire(path.join(bench, 'package.json'))('autocannon');
}

const threadPath = (key) => `/api/comments?${new URLSearchParams({ site: SITE, page: key, sort: FIRST_SCREEN.sort, limit: String(FIRST_SCREEN.limit) })}`;

function countsPath(keys) {
  const query = new URLSearchParams({ site: SITE });
  for (const key of keys) query.append('page', key);
  return `/api/counts?${query}`;
}

const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

/**
 * One autocannon run of `seconds` on `connections`, each request's path from
 * `nextPath()`. Latencies are kept per request (autocannon's own histogram
 * rounds to whole milliseconds); the server's CPU time is read from /proc.
 */
function run(autocannon, server, { connections, seconds, nextPath, headers = {} }) {
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(server.origin)) throw new Error(`refusing to load a non-loopback target: ${server.origin}`);
  return new Promise((resolve, reject) => {
    const latencies = [];
    let bytes = 0;
    let failed = 0;
    const cpuBefore = treeCpuMs(server.pid);
    const tracker = autocannon(
      {
        url: server.origin,
        connections,
        duration: seconds,
        timeout: 10,
        headers,
        requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: nextPath() }) }],
      },
      (error, result) => {
        if (error) return reject(error);
        const cpuMs = treeCpuMs(server.pid) - cpuBefore;
        latencies.sort((a, b) => a - b);
        const answered = result['2xx'] + result.non2xx;
        resolve({
          perSecond: result['2xx'] / (result.duration || seconds),
          p50: percentile(latencies, 50),
          p99: percentile(latencies, 99),
          max: latencies.at(-1) ?? NaN,
          cpuMsPerRequest: answered ? cpuMs / answered : NaN,
          kibPerResponse: latencies.length ? bytes / latencies.length / 1024 : NaN,
          failed: failed + result.errors + result.timeouts,
          requests: answered,
        });
      },
    );
    tracker.on('response', (_client, status, resBytes, ms) => {
      if (status >= 200 && status < 300) {
        latencies.push(ms);
        bytes += resBytes;
      } else {
        failed++;
      }
    });
  });
}

/** Endless page keys, weighted by the page's comments half the time (busy pages get read more) and uniform the other half. */
function trafficMix(pages, random) {
  const cumulative = [];
  let total = 0;
  for (const page of pages) cumulative.push((total += page.comments));
  const weighted = () => {
    const target = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    return pages[lo].key;
  };
  return () => (random() < 0.5 ? weighted() : pages[Math.floor(random() * pages.length)].key);
}

/** Every page once, in random order, then again: no key repeats within `pages.length` requests. */
function cycle(keys, random) {
  const order = shuffle([...keys], random);
  let next = 0;
  return () => order[next++ % order.length];
}

const fmt = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

async function main() {
  const autocannon = await loadAutocannon();
  // The server's TypeScript, run as `parley serve` runs it: tsx's ESM hooks (its import entry; require() gives the CommonJS one).
  const tsxApi = path.join(path.dirname(serverRequire.resolve('tsx/esm/api')), 'index.mjs');
  (await import(pathToFileURL(tsxApi).href)).register();
  const { openSqliteStore } = await import(pathToFileURL(path.join(root, 'packages/server/src/store/sqlite.ts')).href);
  const { createMarkdownRenderer } = await import(pathToFileURL(path.join(root, 'packages/server/src/domain/markdown.ts')).href);

  console.log(`Parley big-data bench: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(
    `  ${settings.comments.toLocaleString('en')} comments over ${settings.pages.toLocaleString('en')} pages, ${settings.users} users, seed ${settings.seed}; ${settings.seconds} s per run, 1 and ${settings.connections} connections\n`,
  );

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bigdata-'));
  const stamp = JSON.stringify({ comments: settings.comments, pages: settings.pages, users: settings.users, seed: settings.seed, version: 1 });
  const file = settings.db ?? path.join(dir, 'parley.db');
  let server = null;
  try {
    let data;
    if (settings.db && fs.existsSync(file) && fs.existsSync(`${file}.bench.json`) && fs.readFileSync(`${file}.bench.json`, 'utf8') === stamp) {
      console.log(`Reusing ${file} (BENCH_BIG_DB, same knobs)…`);
      data = describe(file);
    } else {
      for (const suffix of ['', '-wal', '-shm', '.bench.json']) fs.rmSync(`${file}${suffix}`, { force: true });
      console.log('Generating…');
      // The server's own store makes the file: its migrations and the default site, as `parley serve` would.
      const store = openSqliteStore(file, { eventRetention: RETENTION });
      await store.ensureSite(SITE, SITE);
      await store.close();
      data = await generate(file, createMarkdownRenderer());
      if (settings.db) fs.writeFileSync(`${file}.bench.json`, stamp);
      console.log(
        `  ${fmt(data.seconds)} s: ${data.held.toLocaleString('en')} held, ${data.removed.toLocaleString('en')} removed or deleted, ${data.events.toLocaleString('en')} page events kept`,
      );
    }
    const verifyStarted = performance.now();
    verifyDatabase(file);
    const size = ['', '-wal'].reduce((sum, suffix) => sum + (fs.existsSync(file + suffix) ? fs.statSync(file + suffix).size : 0), 0);
    const sizes = data.pages.map((p) => p.comments).sort((a, b) => b - a);
    console.log(
      `  database ${fmt(size / 2 ** 20, 0)} MiB; busiest page ${sizes[0]} comments, ${sizes.filter((n) => n >= 1000).length} pages with 1,000 or more, median ${sizes[Math.floor(sizes.length / 2)]}`,
    );
    console.log(`  consistent (hidden flags, counts, seqs checked in ${fmt((performance.now() - verifyStarted) / 1000)} s)\n`);

    const reader = signInBusiestReader(file);
    console.log(`  signed in as the busiest reader, user ${reader.userId}, with ${reader.comments.toLocaleString('en')} comments\n`);

    const port = await freePort();
    server = await startServer({
      name: 'Parley',
      command: process.execPath,
      args: [path.join(root, 'packages/server/bin/parley.mjs'), 'serve'],
      cwd: root,
      port,
      readyPath: '/healthz',
      env: { PARLEY_PORT: String(port), PARLEY_HOST: HOST, PARLEY_DB: file, PARLEY_RATE_LIMITS: 'off', PARLEY_LOG_LEVEL: 'warn', PARLEY_SITE: SITE },
    });

    // The API agrees with the database: a sample of pages, busiest and random, read whole.
    const random = mulberry32(settings.seed + 1);
    const sample = [...data.hottest.slice(0, 3), ...Array.from({ length: 12 }, () => data.pages[Math.floor(random() * data.pages.length)].key)];
    const { counts } = await request(`${server.origin}${countsPath(sample)}`);
    for (const key of sample) {
      let cursor = null;
      let published = 0;
      let cut = false;
      let first = null;
      do {
        const thread = await request(`${server.origin}/api/comments?${new URLSearchParams({ site: SITE, page: key, sort: 'oldest', limit: '100', ...(cursor ? { cursor } : {}) })}`);
        first ??= thread;
        published += thread.comments.filter((c) => c.status === 'published').length;
        cut ||= thread.moreReplies.length > 0;
        cursor = thread.nextCursor;
      } while (cursor);
      if (first.count !== counts[key]) throw new Error(`${key}: counts says ${counts[key]}, the thread ${first.count}`);
      if (!cut && published !== first.count) throw new Error(`${key}: the thread shows ${published} published comments but counts ${first.count}`);
    }
    // And the store writes on top of it as it would have: one more comment, one more in count and seq.
    const writer = await request(`${server.origin}/api/auth/sign-up`, {
      method: 'POST',
      body: { site: SITE, name: 'Bench writer', email: `bench-writer-${Date.now()}@bench.invalid`, password: 'bench-password' },
    });
    const target = data.hottest[0];
    const before = await request(`${server.origin}${threadPath(target)}`);
    const posted = await request(`${server.origin}/api/comments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${writer.token}` },
      body: { site: SITE, page: target, body: 'One more, written through the API.' },
    });
    if (posted.count !== before.count + 1 || posted.seq !== before.seq + 1) {
      throw new Error(`a new comment on ${target} made count ${before.count} → ${posted.count} and seq ${before.seq} → ${posted.seq}`);
    }
    console.log(`API check: ${sample.length} pages read whole agree with their counts; a new comment moved count and seq by one\n`);

    const keys = data.pages.map((p) => p.key);
    const mix = trafficMix(data.pages, random);
    const coldKeys = cycle(keys, random);
    const hot = cycle(data.hottest, random);
    const known = () => keys[Math.floor(random() * keys.length)];
    // Ninety per cent of an article list's pages have comments; the rest were never commented on.
    const countBatch = () =>
      countsPath(Array.from({ length: COUNTS_PER_REQUEST }, (_, i) => (i % 10 === 9 ? `/never-commented/${Math.floor(random() * 1e9)}` : known())));
    const warmSet = Array.from({ length: 500 }, mix);
    const warmKeys = cycle([...new Set(warmSet)], random);
    const auth = { authorization: `Bearer ${reader.token}` };
    if (keys.length <= 1_000) console.log('!! 1,000 pages or fewer: the rendered cache holds them all, so "cold" runs are partly warm.\n');

    // JIT and SQLite's page cache: a short mixed warm-up that leaves no thread cached for the cold runs.
    await run(autocannon, server, { connections: settings.connections, seconds: 2, nextPath: () => countBatch() });
    await run(autocannon, server, { connections: settings.connections, seconds: 2, nextPath: () => threadPath(mix()), headers: auth });

    const scenarios = [
      ['first screen, cold: signed out, every request another page', () => threadPath(coldKeys())],
      ['first screen, cold: busiest reader signed in, traffic mix', () => threadPath(mix()), auth],
      ['first screen, cold: busiest reader signed in, 50 busiest pages', () => threadPath(hot()), auth],
      ['first screen, warm: signed out, 500 pages in the cache', () => threadPath(warmKeys())],
      [`counts of ${COUNTS_PER_REQUEST} pages in one request`, countBatch],
    ];
    // Fill the rendered cache with the warm set first.
    for (const key of new Set(warmSet)) await request(`${server.origin}${threadPath(key)}`);

    const rows = [];
    for (const [label, nextPath, headers] of scenarios) {
      for (const connections of [1, settings.connections]) {
        if (label.includes('warm')) for (const key of new Set(warmSet)) await request(`${server.origin}${threadPath(key)}`);
        const result = await run(autocannon, server, { connections, seconds: settings.seconds, nextPath, headers });
        rows.push({ label, connections, ...result });
        console.log(
          `  ${label.padEnd(58)} ${String(connections).padStart(3)} conn ${fmt(result.perSecond, 0).padStart(7)}/s  p50 ${fmt(result.p50, 2).padStart(6)} ms  p99 ${fmt(result.p99, 2).padStart(6)} ms  max ${fmt(result.max, 1).padStart(6)} ms  CPU ${fmt(result.cpuMsPerRequest, 3)} ms/req  ${fmt(result.kibPerResponse, 1)} KiB/resp${result.failed ? `  (${result.failed} failed)` : ''}`,
        );
      }
    }

    console.log('\n| Scenario | Conn | req/s | p50 ms | p99 ms | max ms | CPU ms/req | KiB/resp |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of rows) {
      console.log(`| ${r.label} | ${r.connections} | ${fmt(r.perSecond, 0)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${fmt(r.max, 1)} | ${fmt(r.cpuMsPerRequest, 3)} | ${fmt(r.kibPerResponse, 1)} |`);
    }
    const single = (label) => rows.find((r) => r.label.startsWith(label) && r.connections === 1);
    const cold = single('first screen, cold: signed out');
    const countsRow = single('counts of');
    console.log(`\nTargets (single connection): first screen p99 ≤ 10 ms cold: ${fmt(cold.p99, 2)} ms ${cold.p99 <= 10 ? 'met' : 'NOT met'};`);
    console.log(`  counts of ${COUNTS_PER_REQUEST} pages ≤ 10 ms (p99): ${fmt(countsRow.p99, 2)} ms ${countsRow.p99 <= 10 ? 'met' : 'NOT met'}`);
    console.log(`Server RSS after the runs: ${fmt(treeRssMiB(server.pid), 0)} MiB; generation ${data.reused ? 'skipped (reused)' : `${fmt(data.seconds)} s`}; database ${fmt(size / 2 ** 20, 0)} MiB`);
  } finally {
    await stopServer(server);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();

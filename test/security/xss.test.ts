import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Browsing } from '../helpers/browser.js';
import { adminTab, openTab, type AdminTab } from '../helpers/moderation.js';
import { ARTICLE_PATH, startStack, type Stack } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';
import { commentsHeading, signIn, signedInAs } from '../helpers/widget.js';
import { FIELDS, fromCanaryId, loadCorpus, payloadFor, type Field } from './corpus.js';
import { auditPage, countDeep, snapshotHost, textsDeep, valuesDeep, type AuditStats, type HostSnapshot } from './dom-audit.js';
import { loadEverything, WatchedBrowser, type CanaryHit } from './pages.js';
import { HOLD_WORD, NAME_MAX, seedHostileData, type Seeded, type SeededUser } from './seed.js';

/**
 * The XSS journey: every payload of xss-payloads.txt goes through the REST
 * API into every field a user or moderator controls (seed.ts), and is then
 * rendered in Chromium where people read it: the thread on the article, the
 * readers' account panels, and every tab of the moderator's admin. Nothing
 * may run, and the rendered DOM (shadow roots included) may hold no event
 * handler, no script/data URL, no style, and nothing the sanitiser does not
 * allow; the host page must look exactly as it does without the widget.
 */

const payloads = loadCorpus();
const SETUP_MS = 240_000;
const SURFACE_MS = 180_000;

type Surface = 'thread' | 'account panel' | 'admin: Reported' | 'admin: Pending' | 'admin: Removed' | 'admin: Audit log' | 'admin: Settings';

/** The host page with and without the widget: what a clean render must match. */
interface Baseline {
  snapshot: HostSnapshot;
  /** Findings the host page has on its own (its `data:,` favicon link). */
  findings: string[];
}

let browsing: Browsing;
let stack: Stack;
let seeded: Seeded;
let watched: WatchedBrowser;
const baselines = new Map<string, Baseline>();
/** Payloads of each field rendered on each surface (counted only once a surface passed). */
const coverage = new Map<Field, Map<Surface, number>>();
const audited: { surface: string; stats: AuditStats }[] = [];
const startedAt = Date.now();

beforeAll(async () => {
  browsing = await Browsing.launch();
  stack = await startStack();
  const seedStart = Date.now();
  seeded = await seedHostileData(stack, payloads);
  console.log(`Seeded the corpus through the API in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);
  watched = new WatchedBrowser(browsing.browser);
  // The host pages as they are without the widget: the script that would load it is aborted.
  for (const [url, script] of [
    [stack.host.articleUrl, `${stack.serverUrl}/embed.js`],
    [stack.host.adminUrl, `${stack.serverUrl}/admin.js`],
  ] as const) {
    const page = await watched.open(url, 'baseline', { blockScripts: [script] });
    await page.waitForLoadState('load');
    baselines.set(url, { snapshot: await snapshotHost(page), findings: (await auditPage(page)).findings });
  }
  await watched.closeAll();
}, SETUP_MS);

afterEach(async () => {
  await watched?.closeAll();
  // A hit after a surface's last check (or in a test that failed before its check) still fails.
  const hits = watched?.hits.splice(0) ?? [];
  const errors = watched?.pageErrors.splice(0) ?? [];
  if (hits.length) throw new Error(`The canary ran:\n${hits.map(explain).join('\n')}`);
  if (errors.length) throw new Error(`Uncaught errors on the page:\n${errors.join('\n')}`);
});

afterAll(async () => {
  if (seeded) report();
  await watched?.closeAll();
  await stack?.close();
  await browsing?.close();
});

/** Prints what was sent, what was refused, and where each field was rendered. */
function report(): void {
  const lines = [`XSS corpus: ${payloads.length} payloads`];
  let renders = 0;
  for (const field of Object.keys(FIELDS) as Field[]) {
    const t = seeded.tallies[field];
    const surfaces = [...(coverage.get(field) ?? new Map<Surface, number>())];
    renders += surfaces.reduce((sum, [, count]) => sum + count, 0);
    const where = surfaces.map(([surface, count]) => `${surface} ${count}`).join(', ') || 'not rendered';
    const truncated = t.truncated ? `, ${t.truncated} cut to ${NAME_MAX} chars` : '';
    const numbers = [...new Set(t.refusedPayloads)];
    const refused = numbers.length ? ` (payloads ${numbers.length > 30 ? `${numbers.slice(0, 30).join(' ')} …` : numbers.join(' ')})` : '';
    const asSent = field === 'pageUrl' ? ` (each payload as sent, ${seeded.urlsAsSent} stored, and inside an http URL)` : '';
    lines.push(`  ${field}: sent ${t.sent}${asSent}, stored ${t.accepted}${truncated}, refused with 400: ${t.refused}${refused}; rendered on ${where}`);
  }
  lines.push(`  payload renders checked: ${renders}, on ${audited.length} audited pages`);
  for (const { surface, stats } of audited) {
    lines.push(`    ${surface}: ${stats.elements} elements, ${stats.shadowRoots} shadow roots, ${stats.bodies} rendered bodies, ${stats.links} body links`);
  }
  lines.push(`  time: ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  console.log(lines.join('\n'));
}

function covered(surface: Surface, counts: Partial<Record<Field, number>>): void {
  for (const [field, count] of Object.entries(counts) as [Field, number][]) {
    const bySurface = coverage.get(field) ?? new Map<Surface, number>();
    bySurface.set(surface, (bySurface.get(surface) ?? 0) + count);
    coverage.set(field, bySurface);
  }
}

/** A canary hit in words: which payload, from which line of the corpus and which field. */
function explain(hit: CanaryHit): string {
  const id = Number(hit.detail.split(',')[0]);
  if (!Number.isInteger(id)) return `${hit.kind}(${hit.detail}) in ${hit.where}`;
  const { number, field } = fromCanaryId(id);
  const payload = payloads[number - 1];
  return `${hit.kind}(${hit.detail}) in ${hit.where}: payload ${number} (line ${payload?.line}) from the ${field} field: ${payload?.template.slice(0, 100)}`;
}

/**
 * The checks every rendered surface must pass: no canary call anywhere (any
 * frame), no finding in the DOM beyond the host page's own, and the host
 * page's light DOM and styles exactly as without the widget.
 */
async function expectClean(page: Page, hostUrl: string, surface: string): Promise<void> {
  const baseline = baselines.get(hostUrl);
  if (!baseline) throw new Error(`No baseline for ${hostUrl}`);
  const audit = await auditPage(page);
  const inPageHits = await page.evaluate(() => [...((window as unknown as { __parleyXssHits: string[] }).__parleyXssHits ?? [])]);
  const findings = audit.findings.filter((finding) => !baseline.findings.includes(finding));
  expect({ surface, canary: watched.hits.splice(0).map(explain), inPageHits, findings }).toEqual({ surface, canary: [], inPageHits: [], findings: [] });
  expect(await snapshotHost(page), `${surface}: the host page's light DOM or styles changed`).toEqual(baseline.snapshot);
  audited.push({ surface, stats: audit.stats });
}

/** Every `stored` value shows, as exactly that text, among `rendered`. */
function expectShownAsText(rendered: readonly string[], stored: readonly string[], what: string): void {
  const shown = new Set(rendered);
  const missing = stored.filter((value) => !shown.has(value));
  expect(missing.slice(0, 5), `${missing.length} of ${stored.length} ${what} not shown as their exact text`).toEqual([]);
}

/** How long a surface with a thousand items may take to render on a busy machine. */
const RENDER_MS = 60_000;

/**
 * Renders a whole list (pressing `more` until it is gone) and waits until
 * `count` reaches `expected`, then runs the security checks. Hostile markup
 * that got through can break what the count relies on, so when the list
 * does not come out whole the checks run first: their failure says more.
 */
async function renderAll(
  page: Page,
  hostUrl: string,
  surface: string,
  { more, count, expected }: { more?: string; count: () => Promise<number>; expected: number },
): Promise<void> {
  try {
    if (more) {
      await waitUntil(async () => (await count()) > 0 || expected === 0, `the first items of ${surface}`, RENDER_MS);
      await loadEverything(page, more, count);
    }
    await waitUntil(async () => (await count()) === expected, `all ${expected} items of ${surface}`, RENDER_MS);
  } catch (error) {
    await expectClean(page, hostUrl, surface);
    throw error;
  }
  await expectClean(page, hostUrl, surface);
}

/** A watched page of the article, signed in as `user` through the widget's dialog. */
async function openArticleAs(user: SeededUser): Promise<Page> {
  watched.surface = `article as ${user.name}`;
  const page = await watched.open(stack.host.articleUrl, user.name, { largePages: { serverUrl: stack.serverUrl } });
  await signIn(page, user);
  await signedInAs(page, user).waitFor();
  return page;
}

describe('the XSS corpus', () => {
  it('has at least 200 payloads, each calling the canary with its own id', () => {
    expect(payloads.length).toBeGreaterThanOrEqual(200);
    for (const payload of payloads) expect(payload.template, `line ${payload.line}`).toContain('§');
    expect(new Set(payloads.map((payload) => payload.template)).size, 'duplicate payloads').toBe(payloads.length);
  });
});

describe('the checks of the XSS journey', () => {
  it('catch a running script, an event handler (also on a clobbered form), a script URL, a script in a shadow root and a style reaching the host page', async () => {
    watched.surface = 'planted payloads';
    const page = await watched.open(stack.host.articleUrl, 'Planter', { largePages: { serverUrl: stack.serverUrl } });
    await page.getByRole('article', { name: /^Comment by / }).first().waitFor();
    await page.evaluate(() => {
      const find = (root: Document | ShadowRoot, selector: string): Element | null => {
        const direct = root.querySelector(selector);
        if (direct) return direct;
        for (const element of root.querySelectorAll('*')) {
          const found = element.shadowRoot && find(element.shadowRoot, selector);
          if (found) return found;
        }
        return null;
      };
      const body = find(document, '[part~="comment__body"]');
      if (!body) throw new Error('No rendered comment body to plant in');
      // The form clobbers its own `attributes`, as sanitiser-bypass markup does; the audit must see past it.
      body.insertAdjacentHTML('beforeend', '<img src="x:" onerror="__parleyXss(7)"><a href="Java&#x09;Script:void 0">x</a><form onsubmit="x"><input name="attributes"></form>');
      body.getRootNode().appendChild(document.createElement('script'));
      const style = document.createElement('style');
      style.textContent = '#parley-xss-sentinel { color: rgb(1, 2, 3) }';
      document.head.append(style);
    });
    await waitUntil(() => watched.hits.length > 0, 'the planted canary call');
    expect(watched.hits.splice(0).map((hit) => `${hit.kind}:${hit.detail}`)).toEqual(['canary:7']);

    const findings = (await auditPage(page)).findings.join('\n');
    expect(findings).toMatch(/event-handler attribute onerror/);
    expect(findings).toMatch(/script or data URL in href/);
    expect(findings).toMatch(/<script> inside a shadow root/);
    expect(findings).toMatch(/element outside the allowlist in a body.*<img/);
    expect(findings).toMatch(/event-handler attribute onsubmit.*<form/);
    const snapshot = await snapshotHost(page);
    const baseline = baselines.get(stack.host.articleUrl)!.snapshot;
    expect(snapshot.styleSheets).toBe(baseline.styleSheets + 1);
    expect(snapshot.sentinel).not.toBe(baseline.sentinel);
  });
});

describe('every payload in every field', () => {
  it('renders in the thread on the article as inert text: bodies, author names, "replying to" names, and bodies arriving live', { timeout: SURFACE_MS }, async () => {
    const { client, rex, names } = seeded;
    const thread = await client.all<{ id: string }>('listComments', 'comments', { query: { site: 'default', page: ARTICLE_PATH } });
    const first = await client.expect<{ count: number }>('listComments', { query: { site: 'default', page: ARTICLE_PATH } });
    const hostUrl = stack.host.articleUrl;

    const page = await openArticleAs(rex);
    watched.surface = 'thread';
    await commentsHeading(page, first.count).waitFor();
    const rendered = () => countDeep(page, 'article[data-comment-id]');
    await renderAll(page, hostUrl, 'thread on the article, signed in as Rex', { more: 'Load more comments', count: rendered, expected: thread.length });
    expectShownAsText(await textsDeep(page, 'span.author'), names, 'hostile names (as authors)');
    expectShownAsText(await textsDeep(page, 'span.replying-to'), names.map((name) => `replying to ${name}`), 'hostile names (in "replying to")');

    // Hostile bodies arriving live take the realtime path into the same page.
    watched.surface = 'thread, live';
    let arrived = 0;
    for (const payload of payloads.filter(({ number }) => number % 10 === 1)) {
      const posted = await client.call('createComment', { token: seeded.bea.token, body: { site: 'default', page: ARTICLE_PATH, body: payloadFor(payload, 'body') } });
      if (posted.ok) arrived += 1;
    }
    await renderAll(page, hostUrl, 'thread on the article, live', { count: rendered, expected: thread.length + arrived });
    covered('thread', { body: seeded.tallies.body.accepted + arrived, name: names.length });
  });

  it("renders in readers' account panels: their hostile comments, pages (titles, URLs, keys) and blocked names", { timeout: SURFACE_MS }, async () => {
    const { client, bea, pat, blake, hal, names, tallies } = seeded;
    const hostUrl = stack.host.articleUrl;
    const panels: { user: SeededUser; fields: Partial<Record<Field, number>> }[] = [
      { user: bea, fields: { body: tallies.body.accepted } },
      { user: pat, fields: { pageTitle: tallies.pageTitle.accepted, pageUrl: tallies.pageUrl.accepted, pageKey: tallies.pageKey.accepted } },
      { user: blake, fields: { name: names.length } },
      { user: hal, fields: { bannedWord: seeded.bannedWords.length - 1 } },
    ];
    for (const { user, fields } of panels) {
      const mine = await client.all('listMyComments', 'comments', { token: user.token, query: { site: 'default' } });
      const blocked = await client.expect<{ users: unknown[] }>('listBlockedUsers', { token: user.token, query: { site: 'default' } });
      const page = await openArticleAs(user);
      const surface = `account panel of ${user.name}`;
      watched.surface = surface;
      await page.getByRole('button', { name: 'Account', exact: true }).click();
      await page.getByRole('dialog', { name: 'Account' }).waitFor();
      await renderAll(page, hostUrl, surface, {
        more: 'Load more',
        count: async () => (await countDeep(page, 'ul.mine > li')) + (await countDeep(page, 'ul.blocked > li')),
        expected: mine.length + blocked.users.length,
      });
      if (user === blake) expectShownAsText(await textsDeep(page, 'ul.blocked > li > span'), names, 'hostile names (blocked users)');
      covered('account panel', fields);
      await watched.closeAll();
    }
  });

  it('renders in every tab of the admin element: queues, audit log and settings', { timeout: SURFACE_MS }, async () => {
    const { client, moderator, names, tallies } = seeded;
    const token = moderator.token;
    const hostUrl = stack.host.adminUrl;
    watched.surface = 'admin sign-in';
    const page = await watched.open(hostUrl, moderator.name, { largePages: { serverUrl: stack.serverUrl } });
    await signIn(page, moderator);
    await adminTab(page, 'Reported').waitFor();

    type Item = { reportDetails: { details: string }[]; removedReason: string | null; heldReason: string | null };
    const queue = async (tab: AdminTab, name: 'reported' | 'pending' | 'removed') => {
      const items = await client.all<Item>('listModerationQueue', 'items', { token, query: { site: 'default', queue: name } });
      watched.surface = `admin: ${tab}`;
      await openTab(page, tab);
      await renderAll(page, hostUrl, `admin: ${tab}`, { more: 'Load more', count: () => countDeep(page, 'parley-queue-item'), expected: items.length });
      return items;
    };

    const reported = await queue('Reported', 'reported');
    expectShownAsText(await textsDeep(page, 'span.author'), names, 'hostile names (queue authors)');
    const details = reported.flatMap((item) => item.reportDetails.map((report) => report.details)).filter((text) => text.trim());
    expectShownAsText(await textsDeep(page, 'ul.details q'), details, 'report details');
    covered('admin: Reported', { body: tallies.body.accepted, reportDetails: tallies.reportDetails.accepted, name: names.length });

    const pending = await queue('Pending', 'pending');
    expectShownAsText(await textsDeep(page, 'p.note'), pending.map((item) => `Held: ${item.heldReason}`), 'held reasons');
    const heldForWords = pending.filter((item) => item.heldReason?.startsWith('Banned word: ') && item.heldReason !== `Banned word: ${HOLD_WORD}`).length;
    covered('admin: Pending', {
      pageTitle: tallies.pageTitle.accepted,
      pageUrl: tallies.pageUrl.accepted,
      pageKey: tallies.pageKey.accepted,
      bannedWord: heldForWords,
    });

    const removed = await queue('Removed', 'removed');
    expectShownAsText(await textsDeep(page, 'p.note'), removed.map((item) => `Removed: ${item.removedReason}`), 'removal reasons');
    covered('admin: Removed', { body: tallies.body.accepted, removalReason: tallies.removalReason.accepted });

    const bans = (await client.expect<{ bans: { reason: string; user: { name: string } }[] }>('listBans', { token, query: { site: 'default' } })).bans;
    // A payload too long for a ban reason left its account unbanned; the others are listed by name.
    const bannedNames = bans.map((ban) => ban.user.name).filter((name) => names.includes(name));

    const entries = await client.all<{ reason: string | null; targetLabel: string }>('listAuditLog', 'entries', { token, query: { site: 'default' } });
    watched.surface = 'admin: Audit log';
    await openTab(page, 'Audit log');
    await renderAll(page, hostUrl, 'admin: Audit log', { more: 'Load more', count: () => countDeep(page, 'tr[data-entry-id]'), expected: entries.length });
    expectShownAsText(await textsDeep(page, 'td.why'), entries.map((entry) => entry.reason ?? ''), 'audit reasons');
    expectShownAsText(await textsDeep(page, 'td.target'), entries.map((entry) => entry.targetLabel), 'audit targets');
    covered('admin: Audit log', {
      body: tallies.body.accepted,
      name: bannedNames.length,
      removalReason: tallies.removalReason.accepted,
      banReason: tallies.banReason.accepted,
      pageKey: seeded.lockedPages.length,
    });

    watched.surface = 'admin: Settings';
    await openTab(page, 'Settings');
    const bannedWordsBox = async () => (await valuesDeep(page, 'textarea[name="bannedWords"]'))[0] ?? '';
    await renderAll(page, hostUrl, 'admin: Settings', {
      count: async () =>
        (await countDeep(page, 'ul[aria-label="Banned users"] > li')) +
        (await countDeep(page, 'ul[aria-label="Locked pages"] > li')) +
        ((await bannedWordsBox()) ? 1 : 0),
      expected: bans.length + seeded.lockedPages.length + 1,
    });
    // A textarea's value turns every CR and CRLF into LF, so a word holding one shows across two lines.
    const words = seeded.bannedWords.join('\n').replace(/\r\n?/g, '\n').split('\n');
    const box = (await bannedWordsBox()).split('\n');
    const differing = words.flatMap((word, index) => (word === box[index] ? [] : [{ index, stored: word, shown: box[index] }]));
    expect(differing.slice(0, 3), `${differing.length} banned words shown differently from how they are stored`).toEqual([]);
    expect(box).toHaveLength(words.length);
    expectShownAsText(await textsDeep(page, 'ul[aria-label="Banned users"] q'), bans.map((ban) => ban.reason), 'ban reasons');
    expectShownAsText(await textsDeep(page, 'ul[aria-label="Banned users"] strong'), bannedNames, 'hostile names (banned users)');
    expectShownAsText(await textsDeep(page, 'ul[aria-label="Locked pages"] span.key'), seeded.lockedPages, 'hostile page keys (locked pages)');
    covered('admin: Settings', {
      bannedWord: seeded.bannedWords.length - 1,
      banReason: tallies.banReason.accepted,
      name: bannedNames.length,
      pageKey: seeded.lockedPages.length,
    });
  });
});

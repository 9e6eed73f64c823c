import { createModerator } from '../helpers/moderation.js';
import { ARTICLE_PATH, type Stack } from '../helpers/stack.js';
import { newAccount, type Account } from '../helpers/widget.js';
import { inBatches, isRefusal, RestClient, type CallResult } from './api.js';
import { FIELDS, payloadFor, truncate, type Field, type Payload } from './corpus.js';

/** The server's limit on display names, in UTF-16 units. */
export const NAME_MAX = 50;

/** A word every page-field comment carries, and the first banned word: it holds those comments for review. */
export const HOLD_WORD = 'xssheld';

/** How many hostile names share one reply chain (a chain's replies come back with their top-level comment). */
const NAMES_PER_CHAIN = 40;

/** Requests in flight at once while seeding: enough to be quick, few enough to keep scrypt's pool busy, not queued. */
const WIDTH = 8;

/** What happened to the payloads sent in one field. */
export interface FieldTally {
  sent: number;
  /** Stored by the server (and so rendered somewhere). */
  accepted: number;
  /** Answered 400: the API's validation said no. Not a failure. */
  refused: number;
  /** Payload numbers of the refused ones, for the report. */
  refusedPayloads: number[];
  /** Accepted after being cut to the field's length limit (names only). */
  truncated: number;
}

/** A person the seed created, with a session. */
export interface SeededUser extends Account {
  id: string;
  token: string;
}

export interface Session {
  token: string;
  user: { id: string; name: string };
}

interface CommentOut {
  comment: { id: string; status: string };
}

/** What the seed made: who can sign in, what each field kept, and what the pages should show. */
export interface Seeded {
  client: RestClient;
  moderator: SeededUser;
  /** Reads the thread on the article; signed in, never the author of anything in it. */
  rex: SeededUser;
  /** Wrote every hostile comment body on the article, and the replies that name hostile authors. */
  bea: SeededUser;
  /** Wrote one comment on each hostile page: titles, URLs, keys. */
  pat: SeededUser;
  /** Blocked every hostile name. */
  blake: SeededUser;
  /** Wrote one comment holding each banned word. */
  hal: SeededUser;
  tallies: Record<Field, FieldTally>;
  /** Display names as the server stored them. */
  names: string[];
  /** The banned words list as the server stored it. */
  bannedWords: string[];
  /** Page keys the moderator locked (the hostile keys). */
  lockedPages: string[];
  /** Page URLs stored as sent, not inside an http URL: payloads that are themselves http URLs. */
  urlsAsSent: number;
}

function emptyTallies(): Record<Field, FieldTally> {
  const tallies = {} as Record<Field, FieldTally>;
  for (const field of Object.keys(FIELDS) as Field[]) tallies[field] = { sent: 0, accepted: 0, refused: 0, refusedPayloads: [], truncated: 0 };
  return tallies;
}

/**
 * Counts a field's result. A 400 is the API doing its job; any other failure
 * means the server broke on hostile input, and throws.
 */
function tally<T>(tallies: Record<Field, FieldTally>, field: Field, payload: Payload, result: CallResult<T>): T | null {
  const entry = tallies[field];
  entry.sent += 1;
  if (result.ok) {
    entry.accepted += 1;
    return result.body;
  }
  if (isRefusal(result)) {
    entry.refused += 1;
    entry.refusedPayloads.push(payload.number);
    return null;
  }
  throw new Error(`Payload ${payload.number} in ${field}: the server answered ${result.status} ${JSON.stringify(result.error)}`);
}

async function signUp(client: RestClient, account: Account): Promise<CallResult<Session>> {
  return client.call<Session>('signUp', { body: { site: 'default', ...account } });
}

async function person(client: RestClient, name: string): Promise<SeededUser> {
  // The email comes from a plain word: `name` may have spaces.
  const account = { ...newAccount('Person'), name };
  const session = await client.expect<Session>('signUp', { body: { site: 'default', ...account } });
  return { ...account, id: session.user.id, token: session.token };
}

/**
 * Puts every payload of the corpus into every field a user or moderator
 * controls, through the REST API, the way a hostile client would:
 *
 * - comment bodies: on the article (Bea), and on a page of removed comments (Rita);
 * - display names: one account per payload, each with a comment deep in a reply
 *   chain (so replies say "replying to NAME"), reported by Rex and blocked by Blake;
 * - page titles, page URLs (as sent, and inside an http URL) and page keys: one page
 *   each, with a comment by Pat that the banned word `xssheld` holds for review;
 * - report details: Rex reports each hostile body on the article;
 * - removal reasons: the moderator removes each of Rita's comments;
 * - ban reasons: the moderator bans each hostile name (or a stand-in account);
 * - banned words: the whole corpus, then one held comment by Hal per word.
 */
export async function seedHostileData(stack: Stack, payloads: readonly Payload[]): Promise<Seeded> {
  const client = await RestClient.connect(stack.serverUrl);
  const tallies = emptyTallies();
  const origin = stack.host.origin;

  const moderatorAccount = await createModerator(stack, 'Mia');
  const modSession = await client.expect<Session>('signIn', {
    body: { site: 'default', email: moderatorAccount.email, password: moderatorAccount.password },
  });
  const moderator: SeededUser = { ...moderatorAccount, id: modSession.user.id, token: modSession.token };
  const [rex, bea, pat, blake, hal, rita] = await inBatches(['Rex', 'Bea', 'Pat', 'Blake', 'Hal', 'Rita'], WIDTH, (name) => person(client, name));
  const post = (user: SeededUser, body: Record<string, unknown>) =>
    client.call<CommentOut>('createComment', { token: user.token, body: { site: 'default', ...body } });
  const onArticle = { page: ARTICLE_PATH, pageUrl: stack.host.articleUrl, pageTitle: 'The Velotip article' };

  // Display names: one account per payload, cut to the limit when longer.
  const named = await inBatches(payloads, WIDTH, async (payload) => {
    const full = payloadFor(payload, 'name');
    const name = truncate(full, NAME_MAX);
    const account = { ...newAccount('Hostile'), name };
    const session = tally(tallies, 'name', payload, await signUp(client, account));
    if (!session) return null;
    if (name !== full) tallies.name.truncated += 1;
    return { payload, user: { ...account, id: session.user.id, token: session.token } as SeededUser, stored: session.user.name };
  });
  const nameUsers = named.filter((entry) => entry !== null);

  // Comment bodies on the article.
  const bodies = await inBatches(payloads, WIDTH, async (payload) => {
    const created = tally(tallies, 'body', payload, await post(bea!, { ...onArticle, body: payloadFor(payload, 'body') }));
    return created ? { payload, id: created.comment.id } : null;
  });

  // Reply chains, so every hostile name is an author at depth 3 with a reply under it.
  const nameComments: string[] = [];
  for (let start = 0; start < nameUsers.length; start += NAMES_PER_CHAIN) {
    const group = nameUsers.slice(start, start + NAMES_PER_CHAIN);
    let parentId: string | null = null;
    for (const depth of [0, 1, 2]) {
      const created: CommentOut = await client.expect('createComment', {
        token: bea!.token,
        body: { site: 'default', ...onArticle, parentId, body: `Names chain ${start / NAMES_PER_CHAIN + 1}, depth ${depth}.` },
      });
      parentId = created.comment.id;
    }
    await inBatches(group, WIDTH, async ({ payload, user }) => {
      const own: CommentOut = await client.expect('createComment', {
        token: user.token,
        body: { site: 'default', ...onArticle, parentId, body: `Written by the account named with payload ${payload.number}.` },
      });
      nameComments.push(own.comment.id);
      await client.expect('createComment', {
        token: bea!.token,
        body: { site: 'default', ...onArticle, parentId: own.comment.id, body: `A reply to payload ${payload.number}'s author.` },
      });
    });
  }

  // Report details: Rex reports each hostile body; a refused detail still leaves a plain report.
  await inBatches(bodies, WIDTH, async (entry) => {
    if (!entry) return;
    const report = (details?: string) =>
      client.call('reportComment', { token: rex!.token, params: { id: entry.id }, body: { site: 'default', reason: 'other', ...(details === undefined ? {} : { details }) } });
    if (tally(tallies, 'reportDetails', entry.payload, await report(payloadFor(entry.payload, 'reportDetails'))) === null) {
      await client.expect('reportComment', { token: rex!.token, params: { id: entry.id }, body: { site: 'default', reason: 'other' } });
    }
  });
  // Names in the moderation queue: Rex reports each hostile author's comment, Blake blocks them all.
  await inBatches(nameComments, WIDTH, (id) =>
    client.expect('reportComment', { token: rex!.token, params: { id }, body: { site: 'default', reason: 'spam' } }),
  );
  await inBatches(nameUsers, WIDTH, ({ user }) => client.expect('blockUser', { token: blake!.token, body: { site: 'default', userId: user.id } }));

  // Bodies that a moderator will remove, each with a hostile reason.
  const removable = await inBatches(payloads, WIDTH, async (payload) => {
    const page = { page: '/xss/removed', pageUrl: `${origin}/xss/removed`, pageTitle: 'Removed comments' };
    let created = await post(rita!, { ...page, body: payloadFor(payload, 'body') });
    if (isRefusal(created)) created = await post(rita!, { ...page, body: `Removal target for payload ${payload.number}.` });
    if (!created.ok) throw new Error(`Posting removal target ${payload.number} failed: ${JSON.stringify(created.error)}`);
    return { payload, id: created.body.comment.id };
  });

  // Banned words: the whole corpus; entries the API refuses are dropped and the rest sent again.
  let words = [HOLD_WORD, ...payloads.map((payload) => payloadFor(payload, 'bannedWord'))];
  let owners: (Payload | null)[] = [null, ...payloads];
  const refusedWords = new Set<Payload>();
  for (;;) {
    const result = await client.call<{ settings: { bannedWords: string[] } }>('updateSiteSettings', {
      token: moderator.token,
      body: { site: 'default', bannedWords: words },
    });
    if (result.ok) break;
    if (!isRefusal(result) || !result.error.fields) throw new Error(`Setting banned words failed: ${JSON.stringify(result.error)}`);
    const bad = new Set(Object.keys(result.error.fields).map((path) => Number(path.split('.')[1])));
    if (!bad.size || [...bad].some((index) => !owners[index])) throw new Error(`Banned words refused as a whole: ${JSON.stringify(result.error)}`);
    for (const index of bad) refusedWords.add(owners[index]!);
    words = words.filter((_word, index) => !bad.has(index));
    owners = owners.filter((_owner, index) => !bad.has(index));
  }
  for (const payload of payloads) {
    const entry = tallies.bannedWord;
    entry.sent += 1;
    if (refusedWords.has(payload)) {
      entry.refused += 1;
      entry.refusedPayloads.push(payload.number);
    } else entry.accepted += 1;
  }
  const settings = await client.expect<{ settings: { bannedWords: string[] } }>('getSiteSettings', {
    token: moderator.token,
    query: { site: 'default' },
  });

  // Page fields: one page per payload and field, each holding one of Pat's comments for review.
  let urlsAsSent = 0;
  const heldBody = (payload: Payload, field: string) => `${HOLD_WORD}: the page with payload ${payload.number} in its ${field}.`;
  await inBatches(payloads, WIDTH, async (payload) => {
    const n = payload.number;
    tally(tallies, 'pageTitle', payload, await post(pat!, {
      page: `/xss/title/${n}`,
      pageUrl: `${origin}/xss/title/${n}`,
      pageTitle: payloadFor(payload, 'pageTitle'),
      body: heldBody(payload, 'title'),
    }));
    // The URL as sent (most are not http URLs and are refused), then inside an http URL.
    const asSent = tally(tallies, 'pageUrl', payload, await post(pat!, { page: `/xss/url-as-sent/${n}`, pageUrl: payloadFor(payload, 'pageUrl'), body: heldBody(payload, 'URL') }));
    if (asSent) urlsAsSent += 1;
    tally(tallies, 'pageUrl', payload, await post(pat!, {
      page: `/xss/url/${n}`,
      pageUrl: `${origin}/xss/url/${n}?p=${payloadFor(payload, 'pageUrl')}`,
      body: heldBody(payload, 'URL'),
    }));
  });
  const keys = await inBatches(payloads, WIDTH, async (payload) => {
    const key = payloadFor(payload, 'pageKey');
    const created = tally(tallies, 'pageKey', payload, await post(pat!, { page: key, body: heldBody(payload, 'key') }));
    return created ? key : null;
  });

  // One held comment per banned word, so each shows as "Held: Banned word: …".
  await inBatches(settings.settings.bannedWords.filter((word) => word !== HOLD_WORD), WIDTH, (word) =>
    client.expect('createComment', { token: hal!.token, body: { site: 'default', page: '/xss/held', pageUrl: `${origin}/xss/held`, body: word } }),
  );

  // Removal reasons.
  await inBatches(removable, WIDTH, async ({ payload, id }) => {
    const remove = (reason: string) =>
      client.call('moderateComment', { token: moderator.token, params: { id }, body: { site: 'default', action: 'remove', reason } });
    if (tally(tallies, 'removalReason', payload, await remove(payloadFor(payload, 'removalReason'))) === null) {
      await client.expect('moderateComment', { token: moderator.token, params: { id }, body: { site: 'default', action: 'remove', reason: 'A plain reason.' } });
    }
  });

  // Ban reasons: each hostile name is banned; a payload refused as a name bans a stand-in.
  const nameUserOf = new Map(nameUsers.map((entry) => [entry.payload, entry.user]));
  await inBatches(payloads, WIDTH, async (payload) => {
    const target = nameUserOf.get(payload) ?? (await person(client, `Stand-in ${payload.number}`));
    tally(tallies, 'banReason', payload, await client.call('banUser', {
      token: moderator.token,
      body: { site: 'default', userId: target.id, duration: 'permanent', reason: payloadFor(payload, 'banReason') },
    }));
  });

  // Hostile page keys also show where the moderator locks them.
  const lockedPages = keys.filter((key) => key !== null);
  const locked = await client.expect<{ settings: { lockedPages: string[] } }>('updateSiteSettings', {
    token: moderator.token,
    body: { site: 'default', lockedPages },
  });

  return {
    client,
    moderator,
    rex: rex!,
    bea: bea!,
    pat: pat!,
    blake: blake!,
    hal: hal!,
    tallies,
    names: nameUsers.map((entry) => entry.stored),
    bannedWords: settings.settings.bannedWords,
    lockedPages: locked.settings.lockedPages,
    urlsAsSent,
  };
}

import type {
  AuditEntry,
  Ban,
  BanBody,
  Me,
  ModerationAction,
  OperationId,
  Queue,
  QueueItem,
  RouteOutput,
  SiteSettings,
  UpdateSettingsBody,
} from '@parley/protocol';
import { ApiError, type CallInput, type ParleyApi } from '../api/api-client.js';
import type { ConnectionStatus } from '../api/realtime.js';
import { Observable } from '../lib/observable.js';
import type { SessionState } from '../state/session-state.js';
import { ParleyModeratedEvent, ParleySettingsSavedEvent, ParleyUserBannedEvent, ParleyUserUnbannedEvent } from './admin-events.js';
import { Loadable } from './loadable.js';
import type { ModerationRealtime } from './moderation-realtime.js';
import { PagedList } from './paged-list.js';

export const queues = ['reported', 'pending', 'removed'] as const satisfies readonly Queue[];

/** The admin's tabs, in order. */
export const adminTabs = [...queues, 'audit', 'settings'] as const;
export type AdminTab = (typeof adminTabs)[number];

/**
 * `signed-out`: no session. `checking`: asking the server for the role.
 * `moderator`: may moderate the site. `denied`: signed in, not a moderator
 * of this site. `error`: the role could not be read.
 */
export type Access = 'signed-out' | 'checking' | 'moderator' | 'denied' | 'error';

export interface ModerationOptions {
  api: ParleyApi;
  session: SessionState;
  site: string;
  /** Delivers the admin's public events; the state has no element of its own to fire them from. */
  announce(event: Event): void;
  pageSize?: number;
}

export type BanRequest = Omit<BanBody, 'site' | 'userId'>;
export type SettingsChanges = Omit<UpdateSettingsBody, 'site'>;

/**
 * What one moderator sees of one site: their access, the three queues, the
 * audit log, the settings and the bans, and the actions on them. Built per
 * session token: signing in as someone else builds a new one.
 */
export class ModerationState extends Observable {
  access: Access = 'signed-out';
  accessError: ApiError | null = null;
  me: Me | null = null;
  tab: AdminTab = 'reported';
  connection: ConnectionStatus | 'idle' = 'idle';
  /** Why live updates are off, when the server refused them. */
  liveRefusal: string | null = null;
  /** Updated every half minute so relative times move on. */
  now = new Date();

  readonly queues: Record<Queue, PagedList<QueueItem>>;
  readonly audit: PagedList<AuditEntry>;
  readonly settings: Loadable<SiteSettings>;
  readonly bans: Loadable<Ban[]>;

  /** The session token this state was built for. */
  readonly token: string | null;

  private readonly options: Required<ModerationOptions>;

  constructor(options: ModerationOptions) {
    super();
    this.options = { pageSize: 20, ...options };
    this.token = options.session.token;
    const common = {
      onChange: () => this.notify(),
      // A read refused as forbidden means the role is gone; an action refused so may have other reasons.
      onError: (error: ApiError) => {
        if (error.code === 'forbidden') this.deny();
      },
      pageSize: this.options.pageSize,
    };
    const queue = (name: Queue) =>
      new PagedList<QueueItem>({
        ...common,
        idOf: (item) => item.comment.id,
        fetchPage: async ({ cursor, limit, signal }) =>
          this.call('listModerationQueue', { query: { site: this.site, queue: name, cursor, limit }, signal }),
      });
    this.queues = { reported: queue('reported'), pending: queue('pending'), removed: queue('removed') };
    this.audit = new PagedList<AuditEntry>({
      ...common,
      idOf: (entry) => entry.id,
      fetchPage: async ({ cursor, limit, signal }) => {
        const page = await this.call('listAuditLog', { query: { site: this.site, cursor, limit }, signal });
        return { items: page.entries, nextCursor: page.nextCursor };
      },
    });
    this.settings = new Loadable<SiteSettings>({
      ...common,
      fetch: async (signal) => (await this.call('getSiteSettings', { query: { site: this.site }, signal })).settings,
    });
    this.bans = new Loadable<Ban[]>({
      ...common,
      fetch: async (signal) => (await this.call('listBans', { query: { site: this.site }, signal })).bans,
    });
  }

  get site(): string {
    return this.options.site;
  }

  /** Asks the server who is signed in and whether they moderate this site, then loads the open tab. */
  async start(): Promise<void> {
    if (!this.token) {
      this.access = 'signed-out';
      this.notify();
      return;
    }
    this.access = 'checking';
    this.accessError = null;
    this.notify();
    try {
      const { user } = await this.call('getMe', { query: { site: this.site } });
      this.me = user;
      this.access = user.role === 'moderator' ? 'moderator' : 'denied';
    } catch (error) {
      if (this.access !== 'checking') return;
      this.access = 'error';
      this.accessError = error instanceof ApiError ? error : new ApiError('internal_error');
    }
    this.notify();
    if (this.access === 'moderator') await this.show(this.tab);
  }

  /** Opens a tab, reading its content if it was never read or changed since. */
  async show(tab: AdminTab): Promise<void> {
    if (this.tab !== tab) {
      this.tab = tab;
      this.notify();
    }
    if (this.access !== 'moderator') return;
    if (tab === 'audit') {
      if (this.audit.stale) await this.audit.refresh();
    } else if (tab === 'settings') {
      await Promise.all([this.settings.stale ? this.settings.load() : undefined, this.bans.stale ? this.bans.load() : undefined]);
    } else if (this.queues[tab].stale) {
      await this.queues[tab].refresh();
    }
  }

  /** Something changed on the server: everything is stale, and the open tab is read again. */
  changed(): Promise<void> {
    for (const list of Object.values(this.queues)) list.stale = true;
    this.audit.stale = true;
    this.settings.stale = true;
    this.bans.stale = true;
    return this.show(this.tab);
  }

  /** Follows the site's moderation room: every change reads the open tab again. */
  connect(realtime: ModerationRealtime): () => void {
    if (!this.token || this.access !== 'moderator') return () => undefined;
    let lost = false;
    return realtime.subscribe(this.site, this.token, {
      onChange: (event) => {
        if (event.site === this.site) void this.changed();
      },
      onStatus: (status) => {
        this.connection = status;
        this.notify();
        if (status === 'offline') lost = true;
        if (status === 'online' && lost) {
          lost = false;
          // Whatever happened while the connection was down was not heard: read again.
          void this.changed();
        }
      },
      onRefused: (error) => {
        this.connection = 'offline';
        this.liveRefusal = error.message;
        if (error.code === 'unauthenticated') this.signedOut();
        else if (error.code === 'forbidden') this.deny();
        this.notify();
      },
    });
  }

  /** Approves, removes (with a reason) or restores a comment; it leaves the queues at once. */
  async moderate(item: QueueItem, action: ModerationAction, reason?: string): Promise<void> {
    const id = item.comment.id;
    await this.call('moderateComment', { params: { id }, body: { site: this.site, action, ...(reason ? { reason } : {}) } });
    for (const list of Object.values(this.queues)) {
      list.remove(id);
      list.stale = true;
    }
    this.audit.stale = true;
    this.options.announce(new ParleyModeratedEvent(id, action));
  }

  /** Bans a comment's author; their items show the ban at once (and leave the open queues if their comments go too). */
  async ban(userId: string, request: BanRequest): Promise<Ban> {
    const { ban } = await this.call('banUser', { body: { site: this.site, userId, ...request } });
    const info = { reason: ban.reason, expiresAt: ban.expiresAt };
    for (const [name, list] of Object.entries(this.queues)) {
      if (request.removeComments && name !== 'removed') {
        for (const item of list.items) if (item.author?.id === userId) list.remove(item.comment.id);
      }
      list.update((item) => (item.author?.id === userId ? { ...item, author: { ...item.author, ban: info } } : item));
      list.stale = true;
    }
    this.bans.stale = true;
    this.audit.stale = true;
    this.options.announce(new ParleyUserBannedEvent(userId, ban));
    return ban;
  }

  /** Lifts a user's ban. */
  async unban(userId: string): Promise<void> {
    await this.call('unbanUser', { params: { userId }, query: { site: this.site } });
    for (const list of Object.values(this.queues)) {
      list.update((item) => (item.author?.id === userId ? { ...item, author: { ...item.author, ban: null } } : item));
      list.stale = true;
    }
    if (this.bans.value) this.bans.set(this.bans.value.filter((ban) => ban.user.id !== userId));
    this.audit.stale = true;
    this.options.announce(new ParleyUserUnbannedEvent(userId));
  }

  /** Saves settings; fields left out stay as they are. Throws the server's error (with `fields`) when refused. */
  async saveSettings(changes: SettingsChanges): Promise<SiteSettings> {
    const { settings } = await this.call('updateSiteSettings', { body: { site: this.site, ...changes } });
    this.settings.set(settings);
    this.audit.stale = true;
    this.options.announce(new ParleySettingsSavedEvent(settings));
    return settings;
  }

  /** Closes comments on a page, at once. */
  lockPage(page: string): Promise<SiteSettings> {
    const locked = this.settings.value?.lockedPages ?? [];
    return this.saveSettings({ lockedPages: locked.includes(page) ? locked : [...locked, page] });
  }

  /** Opens comments on a page again, at once. */
  unlockPage(page: string): Promise<SiteSettings> {
    const locked = this.settings.value?.lockedPages ?? [];
    return this.saveSettings({ lockedPages: locked.filter((key) => key !== page) });
  }

  tick(): void {
    this.now = new Date();
    this.notify();
  }

  /** Stops every read on its way (the admin left the page or the session changed). */
  stop(): void {
    for (const list of Object.values(this.queues)) list.abort();
    this.audit.abort();
    this.settings.abort();
    this.bans.abort();
  }

  /** One API call with the session's token; a refusal of the session or the role is applied here. */
  private async call<K extends OperationId>(operation: K, input: Omit<CallInput<K>, 'token'>): Promise<RouteOutput<K>> {
    try {
      return await this.options.api.call(operation, { ...input, token: this.token } as CallInput<K>);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'unauthenticated') this.signedOut();
      throw error;
    }
  }

  /** The server no longer knows the token. */
  private signedOut(): void {
    this.access = 'signed-out';
    this.notify();
    // The session tells every widget of the page, and <parley-admin> builds a new state.
    if (this.options.session.token === this.token) this.options.session.expire();
  }

  /** The moderator role on this site is gone: stop showing what only a moderator may see. */
  private deny(): void {
    if (this.access !== 'moderator') return;
    this.access = 'denied';
    this.notify();
  }
}

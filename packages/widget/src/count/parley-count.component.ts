import { commentCountLabel } from '@parley/protocol/client';
import type { ParleyApi } from '../api/api-client.js';
import { defaultPageKey } from '../lib/page-key.js';
import { CountBatcher } from './count-batcher.js';
import { countStyles } from './parley-count.styles.js';

/**
 * Shared by every `<parley-count>` of the page (and of every bundle that
 * defines one): sharing it is what turns fifty counts into one request.
 */
const batcher = new CountBatcher();

/** Events after which a count on the page may have changed: the reader's own post or delete. */
const CHANGES = ['parley-comment-posted', 'parley-comment-deleted'] as const;

/**
 * @summary How many comments a page has, in words: "No comments",
 * "1 comment", "12 comments". For article lists, and for a link to the
 * thread near an article's title.
 *
 * The count is the one the page's thread shows a signed-out reader
 * (published comments, replies included). Every `<parley-count>` that
 * connects, or changes `server`, `site` or `page`, in the same task is
 * counted with the others of its server and site in one request
 * (`getCommentCounts`, up to 100 pages each). A count is asked again after
 * the reader posts or deletes a comment in a `<parley-comments>` of the same
 * document, and when the document becomes visible again. Until the count has
 * loaded, and if it cannot be loaded, the element shows its own content
 * (the default slot), e.g. "Comments".
 *
 * A plain custom element rather than a Lit one: it renders one line of text,
 * and the script-tag bundle for article lists (`count.js`) stays a few KiB.
 *
 * @slot - Shown until the count has loaded, and instead of it if it cannot be loaded.
 *
 * @csspart count - The count's text.
 *
 * @cssproperty --parley-font-family - Font (inherits the page's by default).
 */
export class ParleyCount extends HTMLElement {
  static readonly observedAttributes = ['server', 'site', 'page'];

  private readonly fallback: HTMLSlotElement;
  private readonly text: HTMLSpanElement;

  private _count: number | null = null;
  private _server = '';
  private _site = 'default';
  private _page = '';
  private _api: ParleyApi | undefined;
  /** The request whose answer counts; the answer of one made before it is dropped. */
  private latest: Promise<number> | undefined;
  private loadQueued = false;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.innerHTML = `<style>${countStyles}</style><slot></slot><span part="count" hidden></span>`;
    this.fallback = root.querySelector('slot')!;
    this.text = root.querySelector('span')!;
  }

  /** Origin of the Parley server, e.g. `https://comments.example.com`. */
  get server(): string {
    return this._server;
  }
  set server(value: string) {
    if (value === this._server) return;
    this._server = value;
    this.changed();
  }

  /** Site id on that server. */
  get site(): string {
    return this._site;
  }
  set site(value: string) {
    if (value === this._site) return;
    this._site = value;
    this.changed();
  }

  /** Thread key; defaults to the page's canonical URL path, as `<parley-comments>` does. */
  get page(): string {
    return this._page;
  }
  set page(value: string) {
    if (value === this._page) return;
    this._page = value;
    this.changed();
  }

  /** REST client to use instead of one built from `server` (tests, custom transports). */
  get api(): ParleyApi | undefined {
    return this._api;
  }
  set api(value: ParleyApi | undefined) {
    if (value === this._api) return;
    this._api = value;
    this.changed();
  }

  /** The count shown, or null while it has not loaded (or could not be). */
  get count(): number | null {
    return this._count;
  }

  connectedCallback(): void {
    for (const type of CHANGES) document.addEventListener(type, this.onChange);
    document.addEventListener('visibilitychange', this.onVisibilityChange);
    this.queueLoad();
  }

  disconnectedCallback(): void {
    for (const type of CHANGES) document.removeEventListener(type, this.onChange);
    document.removeEventListener('visibilitychange', this.onVisibilityChange);
  }

  attributeChangedCallback(name: string, _old: string | null, value: string | null): void {
    if (name === 'server') this.server = value ?? '';
    else if (name === 'site') this.site = value ?? 'default';
    else if (name === 'page') this.page = value ?? '';
  }

  private readonly onChange = () => void this.refresh();

  private readonly onVisibilityChange = () => {
    if (document.visibilityState === 'visible') void this.refresh();
  };

  /** Asks the server for the count again; the one shown stays until the answer arrives. */
  refresh(): Promise<void> {
    if (!this.isConnected) return Promise.resolve();
    if (!this._api && !this._server) return Promise.resolve();
    const request = batcher.count({ api: this._api, server: this._server }, this._site, this._page || defaultPageKey());
    this.latest = request;
    return request.then(
      (count) => {
        if (this.latest === request) this.show(count);
      },
      () => {
        // The count stays as it was: the last one known, or the element's own content.
      },
    );
  }

  /** `server`, `site`, `page` or `api` changed: the count shown is another page's. */
  private changed(): void {
    this.latest = undefined;
    this.show(null);
    this.queueLoad();
  }

  /** Loads once for every change made in the same task, as a Lit element would render once. */
  private queueLoad(): void {
    if (this.loadQueued) return;
    this.loadQueued = true;
    queueMicrotask(() => {
      this.loadQueued = false;
      void this.refresh();
    });
  }

  private show(count: number | null): void {
    this._count = count;
    this.fallback.hidden = count !== null;
    this.text.hidden = count === null;
    this.text.textContent = count === null ? '' : commentCountLabel(count);
  }
}

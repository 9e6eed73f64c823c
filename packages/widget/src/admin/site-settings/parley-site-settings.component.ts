import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { consume } from '@lit/context';
import { state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { limits, premoderationLabels, premoderationModes } from '@parley/protocol/client';
import type { Premoderation, SiteSettings } from '@parley/protocol';
import { ApiError } from '../../api/api-client.js';
import { ObserveController } from '../../lib/observable.js';
import { formatAbsolute } from '../../lib/relative-time.js';
import { controlStyles } from '../../styles/controls.js';
import { sharedStyles } from '../../styles/shared.js';
import { formStyles } from '../form.styles.js';
import { toPageKey } from '../format.js';
import { moderationContext } from '../moderation-context.js';
import type { ModerationState, SettingsChanges } from '../moderation-state.js';
import { siteSettingsStyles } from './parley-site-settings.styles.js';

/** The form as typed, before it is read into settings. */
interface Draft {
  premoderation: Premoderation;
  reportThreshold: string;
  bannedWords: string;
  editWindowMinutes: string;
}

type DraftField = keyof Draft;

const toDraft = (settings: SiteSettings): Draft => ({
  premoderation: settings.premoderation,
  reportThreshold: String(settings.reportThreshold),
  bannedWords: settings.bannedWords.join('\n'),
  editWindowMinutes: String(settings.editWindowMinutes),
});

/** A server field path (`bannedWords.3`) to the form field it belongs to. */
const fieldOf = (path: string) => path.split('.')[0] as DraftField;

/**
 * @summary The site's moderation settings: pre-moderation, report threshold,
 * banned words, edit window; locking pages; the users banned now.
 *
 * @csspart form - The settings form.
 * @csspart locks - The "Lock comments on a page" section.
 * @csspart bans - The "Banned users" section.
 * @csspart error - The box shown when the settings could not be loaded.
 */
export class ParleySiteSettings extends LitElement {
  static override styles = [sharedStyles, controlStyles, formStyles, siteSettingsStyles];

  private readonly observer = new ObserveController(this);

  @consume({ context: moderationContext, subscribe: true })
  @state()
  private moderation?: ModerationState;

  @state() private draft: Draft | null = null;
  /** The moderator changed the form since it was last filled from the server. */
  @state() private dirty = false;
  @state() private saving = false;
  @state() private saved = false;
  @state() private error = '';
  @state() private fieldErrors: Partial<Record<DraftField, string>> = {};
  @state() private pageText = '';
  @state() private lockBusy = false;
  @state() private lockError = '';
  @state() private lockStatus = '';
  @state() private bansError = '';

  private shownSettings: SiteSettings | null = null;

  // Untyped: `moderation` is private, and PropertyValues<this> lists public members only.
  override willUpdate(changed: PropertyValues): void {
    this.observer.observe(this.moderation);
    if (changed.has('moderation')) {
      this.shownSettings = null;
      this.dirty = false;
    }
    const settings = this.moderation?.settings.value ?? null;
    // Fresh settings from the server fill the form, unless the moderator is in the middle of editing it.
    if (settings && settings !== this.shownSettings) {
      this.shownSettings = settings;
      if (!this.dirty || !this.draft) this.draft = toDraft(settings);
    }
  }

  private edit(field: DraftField, value: string): void {
    if (!this.draft) return;
    this.draft = { ...this.draft, [field]: value };
    this.dirty = true;
    this.saved = false;
    if (this.fieldErrors[field]) this.fieldErrors = { ...this.fieldErrors, [field]: undefined };
  }

  /** Reads the form; numbers that are not whole numbers are left to the server to explain. */
  private changes(draft: Draft): SettingsChanges {
    const number = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
    return {
      premoderation: draft.premoderation,
      reportThreshold: number(draft.reportThreshold),
      bannedWords: [...new Set(draft.bannedWords.split('\n').map((word) => word.trim()).filter(Boolean))],
      editWindowMinutes: number(draft.editWindowMinutes),
    };
  }

  private async save(event: Event): Promise<void> {
    event.preventDefault();
    const moderation = this.moderation;
    if (!moderation || !this.draft || this.saving) return;
    const changes = this.changes(this.draft);
    const blank: Partial<Record<DraftField, string>> = {};
    if (Number.isNaN(changes.reportThreshold)) blank.reportThreshold = 'Enter a number.';
    if (Number.isNaN(changes.editWindowMinutes)) blank.editWindowMinutes = 'Enter a number (0 for no limit).';
    this.saved = false;
    if (Object.keys(blank).length) {
      this.fieldErrors = blank;
      this.error = 'Check the fields marked below.';
      return;
    }
    this.saving = true;
    this.error = '';
    this.fieldErrors = {};
    try {
      const settings = await moderation.saveSettings(changes);
      this.dirty = false;
      this.draft = toDraft(settings);
      this.shownSettings = settings;
      this.saved = true;
    } catch (error) {
      this.error = (error as Error).message;
      if (error instanceof ApiError) {
        const fields: Partial<Record<DraftField, string>> = {};
        for (const [path, message] of Object.entries(error.fields)) fields[fieldOf(path)] ??= message;
        this.fieldErrors = fields;
      }
    } finally {
      this.saving = false;
    }
  }

  private async lock(event: Event): Promise<void> {
    event.preventDefault();
    const moderation = this.moderation;
    const page = toPageKey(this.pageText);
    if (!moderation || this.lockBusy) return;
    this.lockStatus = '';
    if (!page) {
      this.lockError = 'Enter the page to lock, e.g. /2026/04/28/article.';
      return;
    }
    await this.changeLock(() => moderation.lockPage(page), `Comments are closed on ${page}.`);
    if (!this.lockError) this.pageText = '';
  }

  private unlock(page: string): Promise<void> {
    const moderation = this.moderation;
    if (!moderation || this.lockBusy) return Promise.resolve();
    this.lockStatus = '';
    return this.changeLock(() => moderation.unlockPage(page), `Comments are open again on ${page}.`);
  }

  private async changeLock(work: () => Promise<unknown>, done: string): Promise<void> {
    this.lockBusy = true;
    this.lockError = '';
    try {
      await work();
      this.lockStatus = done;
    } catch (error) {
      this.lockError = (error as Error).message;
    } finally {
      this.lockBusy = false;
    }
  }

  private async unban(userId: string): Promise<void> {
    this.bansError = '';
    try {
      await this.moderation?.unban(userId);
    } catch (error) {
      this.bansError = (error as Error).message;
    }
  }

  /** The hint and the field's error, and the attributes that tie them to the field. */
  private describe(field: DraftField, hint?: string) {
    const error = this.fieldErrors[field];
    const ids = [hint ? `${field}-hint` : '', error ? `${field}-error` : ''].filter(Boolean).join(' ');
    return {
      ids: ids || nothing,
      invalid: error ? 'true' : nothing,
      after: html`${hint ? html`<small id=${`${field}-hint`}>${hint}</small>` : nothing}
      ${error ? html`<p class="field-error" id=${`${field}-error`}>${error}</p>` : nothing}`,
    };
  }

  private renderForm(draft: Draft) {
    const threshold = this.describe('reportThreshold', 'Readers whose reports hide a comment until a moderator reviews it.');
    const words = this.describe('bannedWords', 'One per line. A comment containing one is held for review.');
    const editWindow = this.describe('editWindowMinutes', '0 means no limit.');
    const premoderationError = this.fieldErrors.premoderation;
    return html`
      <form part="form" novalidate @submit=${this.save}>
        <fieldset aria-describedby=${premoderationError ? 'premoderation-error' : nothing}>
          <legend>Pre-moderation</legend>
          ${premoderationModes.map(
            (mode) => html`<label>
              <input
                type="radio"
                name="premoderation"
                value=${mode}
                .checked=${draft.premoderation === mode}
                @change=${() => this.edit('premoderation', mode)}
              />
              ${premoderationLabels[mode]}
            </label>`,
          )}
          ${premoderationError ? html`<p class="field-error" id="premoderation-error">${premoderationError}</p>` : nothing}
        </fieldset>
        <label>
          Report threshold
          <input
            name="reportThreshold"
            type="number"
            inputmode="numeric"
            min="1"
            max="100"
            step="1"
            .value=${draft.reportThreshold}
            aria-describedby=${threshold.ids}
            aria-invalid=${threshold.invalid}
            @input=${(e: Event) => this.edit('reportThreshold', (e.target as HTMLInputElement).value)}
          />
        </label>
        ${threshold.after}
        <label>
          Banned words
          <textarea
            name="bannedWords"
            rows="5"
            .value=${draft.bannedWords}
            aria-describedby=${words.ids}
            aria-invalid=${words.invalid}
            @input=${(e: Event) => this.edit('bannedWords', (e.target as HTMLTextAreaElement).value)}
          ></textarea>
        </label>
        ${words.after}
        <label>
          Edit window (minutes)
          <input
            name="editWindowMinutes"
            type="number"
            inputmode="numeric"
            min="0"
            step="1"
            .value=${draft.editWindowMinutes}
            aria-describedby=${editWindow.ids}
            aria-invalid=${editWindow.invalid}
            @input=${(e: Event) => this.edit('editWindowMinutes', (e.target as HTMLInputElement).value)}
          />
        </label>
        ${editWindow.after} ${this.error ? html`<p class="alert" role="alert">${this.error}</p>` : nothing}
        <div class="row">
          <button type="submit" class="primary" aria-busy=${this.saving ? 'true' : 'false'} ?disabled=${this.saving}>Save settings</button>
          <p class="status" role="status">${this.saved ? 'Settings saved.' : ''}</p>
        </div>
      </form>
    `;
  }

  private renderLocks(locked: readonly string[]) {
    return html`
      <section part="locks" aria-labelledby="locks-title">
        <h3 id="locks-title">Lock comments on a page</h3>
        <p class="lead">Readers of a locked page are told that comments are closed, and cannot post.</p>
        <form class="lock" novalidate @submit=${this.lock}>
          <label>
            Page
            <input
              name="page"
              maxlength=${limits.pageKeyMax}
              placeholder="/2026/04/28/article"
              aria-describedby="page-hint"
              .value=${this.pageText}
              @input=${(e: Event) => (this.pageText = (e.target as HTMLInputElement).value)}
            />
          </label>
          <small id="page-hint">The page's path, or its full address.</small>
          <div class="row">
            <button type="submit" ?disabled=${this.lockBusy}>Lock</button>
          </div>
        </form>
        ${this.lockError ? html`<p class="alert" role="alert">${this.lockError}</p>` : nothing}
        <p class="status" role="status">${this.lockStatus}</p>
        ${locked.length
          ? html`<ul class="entries" aria-label="Locked pages">
              ${repeat(
                locked,
                (page) => page,
                (page) => html`<li>
                  <span class="key">${page}</span>
                  <button type="button" ?disabled=${this.lockBusy} @click=${() => this.unlock(page)}>Unlock ${page}</button>
                </li>`,
              )}
            </ul>`
          : html`<p class="lead">No pages are locked.</p>`}
      </section>
    `;
  }

  private renderBans() {
    const bans = this.moderation?.bans;
    let content;
    if (!bans || bans.status === 'idle' || bans.status === 'loading') content = html`<p class="lead">Loading…</p>`;
    else if (bans.status === 'error') {
      content = html`<div role="alert">
        <p class="alert">Couldn't load the bans. ${bans.error?.message ?? ''}</p>
        <button type="button" @click=${() => void bans.load()}>Retry</button>
      </div>`;
    } else if (!bans.value?.length) content = html`<p class="lead">Nobody is banned.</p>`;
    else {
      content = html`<ul class="entries" aria-label="Banned users">
        ${repeat(
          bans.value,
          (ban) => ban.user.id,
          (ban) => html`<li>
            <span>
              <strong>${ban.user.name}</strong>
              ${ban.expiresAt
                ? html`banned until <time datetime=${ban.expiresAt}>${formatAbsolute(new Date(ban.expiresAt))}</time>`
                : 'banned permanently'}${ban.reason ? html`: <q>${ban.reason}</q>` : nothing}
            </span>
            <button type="button" @click=${() => this.unban(ban.user.id)}>Unban ${ban.user.name}</button>
          </li>`,
        )}
      </ul>`;
    }
    return html`
      <section part="bans" aria-labelledby="bans-title">
        <h3 id="bans-title">Banned users</h3>
        ${this.bansError ? html`<p class="alert" role="alert">${this.bansError}</p>` : nothing} ${content}
      </section>
    `;
  }

  override render() {
    const settings = this.moderation?.settings;
    if (!settings || settings.status === 'idle' || settings.status === 'loading') {
      return html`<p class="lead" role="status">Loading the settings…</p>`;
    }
    if (settings.status === 'error' || !this.draft || !settings.value) {
      return html`<div class="error" role="alert" part="error">
        <p>Couldn't load the settings. ${settings.error?.message ?? ''}</p>
        <button type="button" @click=${() => void settings.load()}>Retry</button>
      </div>`;
    }
    return html`${this.renderForm(this.draft)} ${this.renderLocks(settings.value.lockedPages)} ${this.renderBans()}`;
  }
}

import { fixture, html, waitUntil } from '@open-wc/testing';
import type { LitElement } from 'lit';
import type { Sort } from '@parley/protocol';
import '../comments/parley-comments.js';
import type { ParleyComments } from '../comments/parley-comments.js';
import { deepQueryAll } from './dom.js';
import type { FakeApi, FakeRealtime } from './fake-api.js';

/**
 * Waits until every Lit element under `root` (through shadow roots) has
 * rendered and none has another update queued.
 */
export async function settled(root: Element): Promise<void> {
  // Bounded, so an element that never stops updating fails the test instead of hanging the page.
  for (let round = 0; round < 20; round++) {
    const elements = [root, ...deepQueryAll(root, '*')].filter((el): el is LitElement => 'updateComplete' in el);
    const done = await Promise.all(elements.map((el) => el.updateComplete));
    const after = [root, ...deepQueryAll(root, '*')].filter((el) => 'updateComplete' in el).length;
    if (done.every(Boolean) && after === elements.length) return;
  }
  throw new Error('the elements kept updating');
}

/**
 * Mounts `<parley-comments>` on the fakes and waits for its first load to
 * finish (the widget subscribes to live updates only after it).
 */
export async function renderWidget(api: FakeApi, realtime: FakeRealtime, options: { sort?: Sort } = {}): Promise<ParleyComments> {
  const el = await fixture<ParleyComments>(
    html`<parley-comments site="default" page="/p" sort=${options.sort ?? 'oldest'} .api=${api} .realtime=${realtime}></parley-comments>`,
  );
  // The widget subscribes once the page is idle after the thread has painted (2 s at most).
  await waitUntil(() => realtime.subscribed, 'the widget should subscribe once the thread has loaded', { timeout: 5000 });
  await settled(el);
  return el;
}

/** The `<parley-comment>` whose article is labelled `label`, e.g. "Comment by Ada". */
export function commentLabelled(root: Element, label: string): HTMLElementTagNameMap['parley-comment'] {
  const article = deepQueryAll(root, 'article').find((a) => a.getAttribute('aria-label') === label);
  if (!article) throw new Error(`no article labelled "${label}"`);
  return (article.getRootNode() as ShadowRoot).host as HTMLElementTagNameMap['parley-comment'];
}

/** The labels of the comments' articles, in page order. */
export function articleLabels(root: Element): string[] {
  return deepQueryAll(root, 'article').map((a) => a.getAttribute('aria-label') ?? '');
}

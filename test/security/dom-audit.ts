import type { Page } from 'playwright-core';
import { SENTINEL_ID } from './pages.js';

/**
 * What the sanitiser lets through in a rendered comment body: the server's
 * allowlist (packages/server/src/domain/markdown.ts). A body holding anything
 * else means something got past it.
 */
const BODY_TAGS = ['p', 'br', 'em', 'strong', 's', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a'];
const BODY_ATTRIBUTES = ['href', 'rel', 'target', 'start'];

/** Parts that hold server-rendered HTML (`unsafeHTML`) in the thread and the admin. */
const BODY_PARTS = ['comment__body', 'item__body'];

/**
 * Elements that have no business inside the widget's shadow roots: Lit
 * styles through adopted stylesheets, and the widget embeds nothing.
 */
const FORBIDDEN_IN_SHADOW = ['script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'link', 'base', 'meta', 'portal'];

/** Attributes that hold a URL a browser may load or navigate to. */
const URL_ATTRIBUTES = ['href', 'src', 'srcset', 'action', 'formaction', 'data', 'xlink:href', 'poster', 'background', 'ping', 'codebase', 'cite', 'lowsrc', 'dynsrc'];

export interface AuditOptions {
  bodyTags: string[];
  bodyAttributes: string[];
  bodyParts: string[];
  forbiddenInShadow: string[];
  urlAttributes: string[];
}

/** Counts of what an audit looked at, so a pass means something. */
export interface AuditStats {
  elements: number;
  shadowRoots: number;
  bodies: number;
  links: number;
}

export interface AuditResult {
  findings: string[];
  stats: AuditStats;
}

/**
 * Runs in the page. Walks the document and every open shadow root inside it,
 * recursively, and lists what a payload could have caused: event-handler
 * attributes, script/data/vbscript URLs, style attributes, forbidden
 * elements in shadow roots, and anything in a rendered body beyond the
 * sanitiser's allowlist.
 */
function auditInPage(options: AuditOptions): AuditResult {
  const findings: string[] = [];
  const stats = { elements: 0, shadowRoots: 0, bodies: 0, links: 0 };
  // Read through the prototypes: markup that got through can clobber a form's properties
  // (<input name=attributes>), and the audit must still see what is there.
  const getter = <T>(proto: object, name: string) => Object.getOwnPropertyDescriptor(proto, name)!.get as (this: unknown) => T;
  const attributesOf = getter<NamedNodeMap>(Element.prototype, 'attributes');
  const localNameOf = getter<string>(Element.prototype, 'localName');
  const shadowRootOf = getter<ShadowRoot | null>(Element.prototype, 'shadowRoot');
  const outerHtmlOf = getter<string>(Element.prototype, 'outerHTML');
  const getAttribute = Element.prototype.getAttribute;
  const allIn = (root: ParentNode): Element[] =>
    Array.from((root instanceof Document ? Document.prototype : root instanceof ShadowRoot ? DocumentFragment.prototype : Element.prototype).querySelectorAll.call(root, '*'));
  const attributes = (element: Element) => Array.from(attributesOf.call(element), (attribute) => ({ name: attribute.name, value: attribute.value }));
  // The URL parser drops leading C0 controls and spaces and ignores tabs and newlines anywhere;
  // direction marks and zero-width characters are removed too, to be strict.
  const normalise = (value: string) => value.replace(/[\u0000-\u0020\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g, '').toLowerCase();
  const scriptUrl = (value: string) => /^(javascript|data|vbscript|livescript):/.test(normalise(value));
  const describe = (element: Element, where: string) => {
    const text = outerHtmlOf.call(element).replace(/\s+/g, ' ');
    return `${where}: ${text.length > 160 ? `${text.slice(0, 160)}…` : text}`;
  };
  const checkBody = (body: Element, where: string) => {
    stats.bodies += 1;
    for (const element of allIn(body)) {
      const tag = localNameOf.call(element);
      if (!options.bodyTags.includes(tag)) findings.push(`element outside the allowlist in a body, ${describe(element, where)}`);
      for (const { name } of attributes(element)) {
        if (!options.bodyAttributes.includes(name)) findings.push(`attribute ${name} outside the allowlist in a body, ${describe(element, where)}`);
      }
      if (tag === 'a' && getAttribute.call(element, 'href') !== null) stats.links += 1;
    }
  };
  const visit = (root: Document | ShadowRoot, where: string) => {
    const inShadow = root instanceof ShadowRoot;
    if (inShadow) stats.shadowRoots += 1;
    for (const element of allIn(root)) {
      stats.elements += 1;
      const tag = localNameOf.call(element);
      for (const { name: rawName, value } of attributes(element)) {
        const name = rawName.toLowerCase();
        if (name.startsWith('on')) findings.push(`event-handler attribute ${rawName}, ${describe(element, where)}`);
        if (name === 'style') findings.push(`style attribute, ${describe(element, where)}`);
        if (options.urlAttributes.includes(name)) {
          // srcset and ping hold several URLs.
          const urls = name === 'srcset' ? value.split(',').map((candidate) => candidate.trim().split(/\s+/)[0] ?? '') : name === 'ping' ? value.split(/\s+/) : [value];
          if (urls.some(scriptUrl)) findings.push(`script or data URL in ${rawName}, ${describe(element, where)}`);
        }
      }
      if (inShadow && options.forbiddenInShadow.includes(tag)) findings.push(`<${tag}> inside a shadow root, ${describe(element, where)}`);
      const part = getAttribute.call(element, 'part')?.split(/\s+/) ?? [];
      if (part.some((name) => options.bodyParts.includes(name))) checkBody(element, where);
      const shadow = shadowRootOf.call(element);
      if (shadow) visit(shadow, `${where} > ${tag}`);
    }
  };
  visit(document, 'document');
  return { findings, stats };
}

/** Audits the page's document and its shadow roots. */
export function auditPage(page: Page): Promise<AuditResult> {
  return page.evaluate(auditInPage, {
    bodyTags: BODY_TAGS,
    bodyAttributes: BODY_ATTRIBUTES,
    bodyParts: BODY_PARTS,
    forbiddenInShadow: FORBIDDEN_IN_SHADOW,
    urlAttributes: URL_ATTRIBUTES,
  });
}

/**
 * What the host page's own light DOM looks like and how the sentinel is
 * styled: if any markup or style from user content reached the host page,
 * this differs from the same page without the widget.
 */
export interface HostSnapshot {
  /** Every light-DOM element's tag in document order, the widget's own elements left out. */
  elements: string;
  styleSheets: number;
  adoptedStyleSheets: number;
  sentinel: string;
  body: string;
  root: string;
}

function snapshotInPage(sentinelId: string): HostSnapshot {
  const properties = ['display', 'visibility', 'color', 'background-color', 'background-image', 'font-family', 'font-size', 'opacity', 'position', 'transform', 'filter', 'content'];
  const style = (element: Element | null) => {
    if (!element) return 'missing';
    const computed = getComputedStyle(element);
    return properties.map((property) => `${property}: ${computed.getPropertyValue(property)}`).join('; ');
  };
  const widgetTags = ['parley-comments', 'parley-admin'];
  return {
    elements: [...document.querySelectorAll('*')]
      .filter((element) => !widgetTags.includes(element.localName) && element.id !== sentinelId)
      .map((element) => element.localName)
      .join(' '),
    styleSheets: document.styleSheets.length,
    adoptedStyleSheets: document.adoptedStyleSheets.length,
    sentinel: style(document.getElementById(sentinelId)),
    body: style(document.body),
    root: style(document.documentElement),
  };
}

export function snapshotHost(page: Page): Promise<HostSnapshot> {
  return page.evaluate(snapshotInPage, SENTINEL_ID);
}

/** Runs in the page: every element matching `selector` in the document and in its open shadow roots. */
function textsInPage({ selector, property }: { selector: string; property: 'textContent' | 'value' }): string[] {
  const found: string[] = [];
  const visit = (root: Document | ShadowRoot) => {
    for (const element of root.querySelectorAll(selector)) {
      found.push(property === 'value' ? ((element as HTMLTextAreaElement).value ?? '') : (element.textContent ?? ''));
    }
    for (const element of root.querySelectorAll('*')) if (element.shadowRoot) visit(element.shadowRoot);
  };
  visit(document);
  return found;
}

/** The text of every element matching `selector`, across shadow roots, in one round trip however many there are. */
export function textsDeep(page: Page, selector: string): Promise<string[]> {
  return page.evaluate(textsInPage, { selector, property: 'textContent' as const });
}

/** The value of every form field matching `selector`, across shadow roots. */
export function valuesDeep(page: Page, selector: string): Promise<string[]> {
  return page.evaluate(textsInPage, { selector, property: 'value' as const });
}

/** How many elements match `selector`, across shadow roots. */
export async function countDeep(page: Page, selector: string): Promise<number> {
  return (await textsDeep(page, selector)).length;
}

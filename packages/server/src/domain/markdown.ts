import { createRequire } from 'node:module';
import MarkdownIt from 'markdown-it';

// js-xss is CommonJS and sets some exports in a loop, which Node's ESM import cannot see.
const { FilterXSS, escapeAttrValue, friendlyAttrValue } = createRequire(import.meta.url)('xss') as typeof import('xss');

const LINK_REL = 'nofollow ugc noopener noreferrer';
const ABSOLUTE_LINK = /^(?:https?|mailto):/i;

/** The only attributes kept, each with the test its entity-decoded value must pass. */
const ALLOWED_ATTRIBUTES: Record<string, Record<string, (value: string) => boolean>> = {
  // Only absolute links: a relative one would resolve against whichever host page
  // embeds the thread, which is not what its author saw or meant.
  a: { href: (value) => ABSOLUTE_LINK.test(value), rel: (value) => value === LINK_REL, target: (value) => value === '_blank' },
  ol: { start: (value) => /^\d{1,9}$/.test(value) },
};

/**
 * Renders the markdown subset comments may use to safe HTML: emphasis, links,
 * code, quotes, lists, strikethrough. Raw HTML is off in the parser, and the
 * output is sanitised by an allowlist (js-xss, built once), so a bug in either
 * alone is not enough for markup to reach a reader.
 */
export function createMarkdownRenderer(): (source: string) => string {
  // xhtmlOut: `<br />`, as comments stored before have it.
  const md = new MarkdownIt('default', { html: false, xhtmlOut: true, linkify: true, breaks: true, typographer: false });
  md.disable(['heading', 'lheading', 'table', 'image', 'hr', 'html_block', 'html_inline', 'reference']);
  // Every link opens in a new tab and passes neither the reader's page nor rank;
  // the sanitiser keeps these two attributes with exactly these values only.
  const renderToken: NonNullable<typeof md.renderer.rules.link_open> = (tokens, idx, options, _env, self) =>
    self.renderToken(tokens, idx, options);
  const linkOpen = md.renderer.rules.link_open ?? renderToken;
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    tokens[idx]!.attrSet('rel', LINK_REL);
    tokens[idx]!.attrSet('target', '_blank');
    return linkOpen(tokens, idx, options, env, self);
  };

  const sanitize = createHtmlSanitizer();
  return (source) => sanitize(md.render(source)).trim();
}

/**
 * The allowlist the renderer's output goes through, on its own: it keeps
 * nothing outside the comment subset whatever HTML it is given, so it stops
 * markup even if the markdown parser lets some through.
 */
export function createHtmlSanitizer(): (html: string) => string {
  const sanitizer = new FilterXSS({
    whiteList: {
      p: [], br: [], em: [], strong: [], s: [], del: [], code: [], pre: [], blockquote: [], ul: [], li: [],
      ol: Object.keys(ALLOWED_ATTRIBUTES.ol!),
      a: Object.keys(ALLOWED_ATTRIBUTES.a!),
    },
    // Any other tag is dropped (its text kept); these are dropped with what they hold.
    stripIgnoreTag: true,
    stripIgnoreTagBody: ['script', 'style', 'textarea', 'option', 'xmp'],
    allowCommentTag: false,
    css: false,
    // Attributes outside the list are dropped by default. One on it is kept only when
    // its value, with quotes and numeric entities decoded and invisible characters
    // removed, passes its test (a named entity left undecoded can only fail it); it is
    // written as it came, with its quotes and angle brackets escaped.
    onTagAttr(tag, name, value, isWhiteAttr) {
      if (!isWhiteAttr) return undefined;
      return ALLOWED_ATTRIBUTES[tag]?.[name]?.(friendlyAttrValue(value)) ? `${name}="${escapeAttrValue(value)}"` : '';
    },
  });
  return (html) => sanitizer.process(html);
}

import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

const LINK_REL = 'nofollow ugc noopener noreferrer';
const ABSOLUTE_LINK = /^(?:https?|mailto):/i;

/**
 * Renders the markdown subset comments may use to safe HTML: emphasis, links,
 * code, quotes, lists, strikethrough. Raw HTML is off in the parser, and the
 * output is sanitised by an allowlist, so a bug in either alone is not enough
 * for markup to reach a reader.
 */
export function createMarkdownRenderer(): (source: string) => string {
  const md = new MarkdownIt('default', { html: false, linkify: true, breaks: true, typographer: false });
  md.disable(['heading', 'lheading', 'table', 'image', 'hr', 'html_block', 'html_inline', 'reference']);
  const sanitizeOptions: sanitizeHtml.IOptions = {
    allowedTags: ['p', 'br', 'em', 'strong', 's', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a'],
    allowedAttributes: { a: ['href', 'rel', 'target'], ol: ['start'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesAppliedToAttributes: ['href'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    transformTags: {
      // Only absolute links: a relative one would resolve against whichever host page
      // embeds the thread, which is not what its author saw or meant.
      a: (tagName, attribs) => ({
        tagName,
        attribs: { ...(ABSOLUTE_LINK.test(attribs.href ?? '') ? { href: attribs.href } : {}), rel: LINK_REL, target: '_blank' },
      }),
    },
  };
  return (source) => sanitizeHtml(md.render(source), sanitizeOptions).trim();
}

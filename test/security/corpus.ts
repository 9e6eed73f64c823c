import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The corpus file: one hostile payload per line, notations explained in its header. */
export const CORPUS_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'xss-payloads.txt');

/** Where the canary id's placeholder stands in a payload. */
const ID_PLACEHOLDER = '§';

/**
 * Every field a user or moderator controls, with the digit the canary id ends
 * in, so a payload that runs says where it came from.
 */
export const FIELDS = {
  body: 1,
  name: 2,
  pageTitle: 3,
  pageUrl: 4,
  pageKey: 5,
  reportDetails: 6,
  banReason: 7,
  removalReason: 8,
  bannedWord: 9,
} as const;

export type Field = keyof typeof FIELDS;

/** One payload of the corpus, before it is made concrete for a field. */
export interface Payload {
  /** 1-based position among the payloads; the canary id is `number * 10 + field code`. */
  number: number;
  /** Line in the corpus file, for failure messages. */
  line: number;
  /** The line as written, notations and all. */
  template: string;
}

/** The canary id a payload calls with when it runs from `field`. */
export function canaryId(payload: Payload, field: Field): number {
  return payload.number * 10 + FIELDS[field];
}

/** Which payload and field a canary id stands for. */
export function fromCanaryId(id: number): { number: number; field: Field | undefined } {
  const code = id % 10;
  const field = (Object.keys(FIELDS) as Field[]).find((name) => FIELDS[name] === code);
  return { number: Math.floor(id / 10), field };
}

/** The payload as sent in `field`: canary id filled in, notations expanded. */
export function payloadFor(payload: Payload, field: Field): string {
  let text = payload.template.replaceAll(ID_PLACEHOLDER, String(canaryId(payload, field)));
  text = text.replace(/⟦U\+([0-9A-Fa-f]{4,6})⟧/g, (_m, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)));
  text = text.replace(/⟦repeat:(\d+):(.*?)⟧/g, (_m, count: string, unit: string) => unit.repeat(Number(count)));
  text = text.replace(/⟦b64:(.*?)⟧/g, (_m, inner: string) => Buffer.from(inner, 'utf8').toString('base64'));
  if (text.includes('⟦') || text.includes('⟧')) {
    throw new Error(`${CORPUS_FILE}:${payload.line}: a ⟦…⟧ notation was not understood`);
  }
  return text;
}

/**
 * Cuts `text` to at most `max` UTF-16 units (the unit the server's length
 * limits count in), never between the two halves of a surrogate pair.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return cut;
}

/**
 * Reads the corpus. Fails when a payload has no canary placeholder (it could
 * run without anyone noticing) or a notation the loader cannot expand.
 */
export function loadCorpus(file = CORPUS_FILE): Payload[] {
  const payloads: Payload[] = [];
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines.forEach((raw, index) => {
    const template = raw.replace(/\r$/, '');
    if (!template.trim() || template.startsWith('#')) return;
    if (!template.includes(ID_PLACEHOLDER)) throw new Error(`${file}:${index + 1}: the payload has no ${ID_PLACEHOLDER} canary id`);
    const payload = { number: payloads.length + 1, line: index + 1, template };
    payloadFor(payload, 'body');
    payloads.push(payload);
  });
  return payloads;
}

import type { ContactFinding, ContactKind } from '../models/types';

/**
 * Contact details painted onto a photo, found in recognised text: phone numbers (Chinese mobiles with or
 * without +86 and separators, landlines with area codes, 400/800 numbers, other international numbers),
 * URLs and bare domains, e-mail addresses, QQ numbers and WeChat ids (after their usual keywords and the
 * homophones sellers use to dodge filters). Pure and synchronous; the input is any OCR output.
 *
 * Text is NFKC-normalised first, so full-width digits, letters, `：` and `＠` count as their ASCII forms;
 * findings quote the normalised text.
 */
export function findContacts(text: string): ContactFinding[] {
  const normalised = text.normalize('NFKC');
  const findings: ContactFinding[] = [];
  const seen = new Set<string>();
  const add = (kind: ContactKind, match: string): void => {
    const value = match.trim();
    const key = `${kind}:${value}`;
    if (!value || seen.has(key)) return;
    seen.add(key);
    findings.push({ kind, text: value });
  };
  // One contact often matches several patterns ("+86 138…" is a mobile and an international number;
  // "www.x.com" is a www link and a bare domain; an e-mail's domain is a domain): within a kind, and for
  // links inside e-mail addresses, a span already reported is not reported again.
  // A link with a scheme wins over an e-mail inside it (`https://user@host` is a URL).
  const schemeSpans = collect(normalised, [SCHEME_URL]);
  const emailSpans = collect(normalised, [EMAIL], schemeSpans);
  const urlSpans = [
    ...schemeSpans,
    ...collect(normalised, BARE_URL_PATTERNS, [...emailSpans, ...schemeSpans]),
  ];
  const phoneSpans = collect(normalised, PHONE_PATTERNS, emailSpans);
  for (const span of emailSpans) add('email', span.text);
  for (const span of urlSpans) add('url', span.text);
  for (const span of collect(normalised, [QQ])) add('qq', span.text);
  for (const span of collect(normalised, [WECHAT])) add('wechat', span.text);
  for (const span of phoneSpans) add('phone', span.text);
  return findings;
}

interface Span {
  start: number;
  end: number;
  text: string;
}

/** Matches of the patterns in priority order, skipping any that overlap an earlier match or `exclude`. */
function collect(text: string, patterns: RegExp[], exclude: Span[] = []): Span[] {
  const spans: Span[] = [];
  const overlaps = (start: number, end: number): boolean =>
    [...exclude, ...spans].some((s) => start < s.end && end > s.start);
  for (const pattern of patterns) {
    for (const m of text.matchAll(pattern)) {
      const start = m.index;
      const end = start + m[0].length;
      if (!overlaps(start, end)) spans.push({ start, end, text: m[0] });
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}

/** A digit may not touch the number on either side (otherwise any long serial number would match). */
const D_BEFORE = String.raw`(?<![0-9])`;
const D_AFTER = String.raw`(?![0-9])`;
const SEP = String.raw`[\s\-.]?`;

/** 1[3-9]x xxxx xxxx, optionally +86 / 0086 / 86 first, grouped with spaces, dashes or dots. */
const CN_MOBILE = new RegExp(
  String.raw`${D_BEFORE}(?:(?:\+|00)?86${SEP})?1[3-9][0-9](?:${SEP}[0-9]){8}${D_AFTER}`,
  'g',
);
/** Area code 0xx / 0xxx (optionally in parentheses or after +86) then a 7-8 digit local number. */
const CN_LANDLINE = new RegExp(
  String.raw`${D_BEFORE}(?:(?:\+|00)?86${SEP})?(?:\(0[1-9][0-9]{1,2}\)|0[1-9][0-9]{1,2})${SEP}[2-9][0-9]{2,3}${SEP}[0-9]{4}${D_AFTER}`,
  'g',
);
/** Nationwide service numbers: 400-xxx-xxxx and 800-xxx-xxxx. */
const CN_SERVICE = new RegExp(String.raw`${D_BEFORE}[48]00${SEP}[0-9]{3}${SEP}[0-9]{4}${D_AFTER}`, 'g');
/** Any other +country number: + then 8 to 15 digits in groups. */
const INTERNATIONAL = new RegExp(String.raw`\+[1-9][0-9]{0,2}(?:[\s\-.]?[0-9]){7,13}${D_AFTER}`, 'g');
/** A labelled number: 电话/手机/热线/tel/phone/call followed by at least 7 digits in groups. */
const LABELLED_PHONE = new RegExp(
  String.raw`(?:电话|手机|热线|座机|联系方式|致电|tel|phone|mobile|call)\s*[:.]?\s*\+?[0-9](?:[\s\-.]?[0-9]){6,14}${D_AFTER}`,
  'gi',
);
const PHONE_PATTERNS = [CN_MOBILE, CN_LANDLINE, CN_SERVICE, INTERNATIONAL, LABELLED_PHONE];

const EMAIL = /[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

/** Top-level domains that sellers' shop links actually use; a bare `word.tld` counts only with one of these. */
const TLDS = [
  'com',
  'cn',
  'net',
  'org',
  'top',
  'xyz',
  'vip',
  'shop',
  'store',
  'site',
  'online',
  'club',
  'wang',
  'link',
  'cc',
  'tv',
  'me',
  'io',
  'co',
  'hk',
  'tw',
  'info',
  'biz',
  'ltd',
  'ink',
  'tk',
  'ru',
  'uk',
  'de',
  'jp',
].join('|');
const SCHEME_URL = /\b(?:https?|ftp):\/\/[^\s"'<>，。]+/gi;
const BARE_URL_PATTERNS = [
  /\bwww\d?\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:\/[^\s"'<>，。]*)?/gi,
  new RegExp(
    String.raw`(?<![A-Za-z0-9@./-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?:${TLDS})(?![A-Za-z0-9])(?:\/[^\s"'<>，。]*)?`,
    'gi',
  ),
];

/** QQ numbers are 5 to 11 digits and never start with 0. Keywords: QQ, 扣扣, 企鹅号, Q号, Q群. */
const QQ = new RegExp(
  String.raw`(?:(?<![A-Za-z])[Qq]{2}(?:号|群)?|扣扣|企鹅号?|(?<![A-Za-z])[Qq](?:号|群))\s*(?:号码?)?\s*[:=]?\s*[1-9][0-9]{4,10}${D_AFTER}`,
  'g',
);

/**
 * WeChat: 微信 and its homophones (薇信, 威信, V信, 微x) or VX/WX/weixin/wechat, then an id: 6-20 letters,
 * digits, `_` or `-` starting with a letter, or a mobile number (many sellers use theirs).
 */
const WECHAT = new RegExp(
  String.raw`(?:微信|薇信|威信|徽信|[Vv]信|微[Xx]|加微|(?<![A-Za-z])(?:[Vv][Xx]|[Ww][Xx]|weixin|wechat|WeChat|WECHAT|WEIXIN)(?![a-wyz]))\s*(?:号|ID|id)?\s*[:=]?\s*(?:[A-Za-z][-_A-Za-z0-9]{5,19}|1[3-9][0-9](?:[\s-]?[0-9]){8})(?![-_A-Za-z0-9])`,
  'g',
);

import { stemEnglish } from './english';
import { foldText, isHan } from './normalize';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

/** What to mark: analyzed Latin terms (exact or as prefixes) and Chinese strings. */
export interface HighlightTerms {
  latin: ReadonlySet<string>;
  prefixes?: readonly string[];
  han: readonly string[];
}

/** Splits matched index terms (Latin and Chinese mixed) into what {@link highlightText} needs. */
export function highlightTermsOf(terms: Iterable<string>, prefixes: readonly string[] = []): HighlightTerms {
  const latin = new Set<string>();
  const han: string[] = [];
  for (const term of terms) {
    if (isHan(term)) han.push(term);
    else latin.add(term);
  }
  return { latin, prefixes, han };
}

/** Words as analyzed, remembered: the hits of a page (and of the next search) repeat their words. */
const ANALYZED_WORDS = 50_000;
const analyzedWords = new Map<string, { folded: string; analyzed: string }>();

function analyzeWord(word: string): { folded: string; analyzed: string } {
  let known = analyzedWords.get(word);
  if (!known) {
    if (analyzedWords.size >= ANALYZED_WORDS) analyzedWords.clear();
    const folded = foldText(word);
    known = { folded, analyzed: stemEnglish(folded) };
    analyzedWords.set(word, known);
  }
  return known;
}

function latinMatches(word: string, terms: HighlightTerms): boolean {
  const { folded, analyzed } = analyzeWord(word);
  if (terms.latin.has(analyzed)) return true;
  return (terms.prefixes ?? []).some((p) => analyzed.startsWith(p) || folded.startsWith(p));
}

/**
 * Wraps every matching word of `text` in <mark>…</mark> and HTML-escapes everything else. Matching is
 * done on the analyzed form of each word, so "Headphones" is marked for the term "headphone"; Chinese is
 * marked character span by character span, adjacent spans merged (蓝牙 + 耳机 → one <mark>).
 */
export function highlightText(text: string, terms: HighlightTerms): string {
  const chars = Array.from(text);
  const marked = new Array<boolean>(chars.length).fill(false);
  // Latin words: mark whole words whose analyzed form matched.
  const wordPattern = WORDS();
  // Code unit → character index; the identity unless the text has characters beyond the BMP.
  const codeUnitToChar: number[] | null = chars.length === text.length ? null : [];
  if (codeUnitToChar)
    chars.forEach((ch, i) => {
      for (let k = 0; k < ch.length; k++) codeUnitToChar.push(i);
    });
  for (const match of text.matchAll(wordPattern)) {
    const start = codeUnitToChar ? codeUnitToChar[match.index]! : match.index;
    for (const part of splitLatinAndHan(match[0])) {
      if (part.han) continue;
      if (latinMatches(part.text, terms))
        for (let k = 0; k < part.length; k++) marked[start + part.offset + k] = true;
    }
  }
  // Chinese: mark every occurrence of every matched string.
  if (terms.han.length) {
    for (const needle of terms.han) {
      const needleChars = Array.from(needle);
      for (let i = 0; i + needleChars.length <= chars.length; i++) {
        let same = true;
        for (let k = 0; k < needleChars.length && same; k++) same = chars[i + k] === needleChars[k];
        if (same) for (let k = 0; k < needleChars.length; k++) marked[i + k] = true;
      }
    }
  }
  // Runs of marked and unmarked characters, each escaped at once.
  let out = '';
  let run = '';
  let open = false;
  for (let i = 0; i < chars.length; i++) {
    if (marked[i] !== open) {
      out += escapeHtml(run) + (open ? '</mark>' : '<mark>');
      run = '';
      open = marked[i]!;
    }
    run += chars[i];
  }
  out += escapeHtml(run);
  if (open) out += '</mark>';
  return out;
}

/** Words as `highlightText` matches them (a fresh global pattern: `matchAll` keeps no state across calls). */
const WORDS = () => /[\p{L}\p{N}'’]+/gu;

/** Where in `text` (code units) the first marked word or Chinese string starts; -1 when nothing matches. */
function firstMatch(text: string, terms: HighlightTerms): number {
  let first = -1;
  for (const needle of terms.han) {
    const at = text.indexOf(needle);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  for (const match of text.matchAll(WORDS())) {
    if (first >= 0 && match.index >= first) break;
    if (splitLatinAndHan(match[0]).some((part) => !part.han && latinMatches(part.text, terms)))
      return match.index;
  }
  return first;
}

const isLowSurrogate = (text: string, at: number) => {
  const code = text.charCodeAt(at);
  return code >= 0xdc00 && code <= 0xdfff;
};

/**
 * The passage of about `size` characters of `text` around its first match, marked as `highlightText`
 * does; null when nothing in it matches. Like Elasticsearch's one description fragment (the adapter asks
 * for 160 characters), and cheaper than marking a whole long description: only the words up to the first
 * match are looked at, and only the passage is marked.
 */
export function highlightFragment(text: string, terms: HighlightTerms, size = 160): string | null {
  const first = firstMatch(text, terms);
  if (first < 0) return null;
  if (text.length <= size) return highlightText(text, terms);
  // A quarter of the passage before the match, from the start of a word.
  let start = Math.max(0, first - Math.floor(size / 4));
  if (start > 0) {
    const space = text.slice(start, first).search(/\s/u);
    start = space >= 0 ? start + space + 1 : first;
  }
  let end = Math.min(text.length, start + size);
  if (end < text.length) {
    const space = text.slice(first, end).search(/\s\S*$/u);
    if (space > 0) end = first + space;
  }
  if (isLowSurrogate(text, start)) start--;
  if (end < text.length && isLowSurrogate(text, end)) end++;
  return highlightText(text.slice(start, end).trim(), terms);
}

const HAN_CHARACTER = /\p{Script=Han}/u;

function splitLatinAndHan(word: string): { text: string; han: boolean; offset: number; length: number }[] {
  if (!HAN_CHARACTER.test(word))
    return [{ text: word.replace(/['’]s$/u, ''), han: false, offset: 0, length: Array.from(word).length }];
  const parts: { text: string; han: boolean; offset: number; length: number }[] = [];
  let offset = 0;
  for (const piece of word.split(/(\p{Script=Han}+)/u)) {
    const length = Array.from(piece).length;
    if (piece) parts.push({ text: piece.replace(/['’]s$/u, ''), han: isHan(piece), offset, length });
    offset += length;
  }
  return parts;
}
